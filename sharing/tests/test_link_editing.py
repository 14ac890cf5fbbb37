"""Making, changing, disabling and deleting a share link through the photographer's
forms."""

import datetime

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone

from galleries.tests.factories import GalleryFactory
from sharing import services
from sharing.models import FavouriteList, ShareLink
from sharing.tests.link_form import link_form


def test_making_a_link_with_every_setting(owner_client, gallery, ceremony):
    response = owner_client.post(
        reverse("sharing:link_create", args=[gallery.pk]),
        link_form(
            label="Family",
            password="secret words",
            expires_on="2031-05-01",
            sets=[ceremony.pk],
            downloads="original",
            favourites_limit="40",
            favourites_require_email="on",
            welcome_message="Enjoy!",
        ),
    )

    link = ShareLink.objects.get(label="Family")
    assert response["Location"] == reverse("sharing:link_detail", args=[link.pk])
    assert check_password("secret words", link.password)
    assert timezone.localtime(link.expires_at).date() == datetime.date(2031, 5, 1)
    assert timezone.localtime(link.expires_at).hour == 23
    assert list(link.sets.all()) == [ceremony]
    assert (link.downloads, link.favourites_limit) == ("original", 40)
    assert link.favourites_require_email
    assert link.welcome_message == "Enjoy!"


def test_a_link_with_no_sets_ticked_shows_every_set(owner_client, gallery):
    owner_client.post(reverse("sharing:link_create", args=[gallery.pk]), link_form())

    link = ShareLink.objects.get()
    assert not link.sets.exists()
    assert link.visible_photos().count() == 5


def test_the_form_says_no_ticked_set_means_all_sets(owner_client, gallery):
    response = owner_client.get(reverse("sharing:link_create", args=[gallery.pk]))

    assert b"Tick none to show every set" in response.content
    assert b'type="date"' in response.content


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"label": "   "}, "label"),
        ({"expires_on": "2020-01-01"}, "expires_on"),
        ({"expires_on": "not a date"}, "expires_on"),
        ({"favourites_limit": "0"}, "favourites_limit"),
        ({"favourites_limit": "many"}, "favourites_limit"),
        ({"downloads": "everything"}, "downloads"),
        ({"label": "x" * 101}, "label"),
        ({"sets": "not-a-set"}, "sets"),
        ({"favourites_limit": "10000000000000000000000"}, "favourites_limit"),
    ],
)
def test_bad_input_is_explained_on_the_form(owner_client, gallery, changes, field):
    response = owner_client.post(
        reverse("sharing:link_create", args=[gallery.pk]), link_form(**changes)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert b"field-errors" in response.content
    assert not ShareLink.objects.exists()


def test_a_set_of_another_gallery_is_refused(owner_client, gallery, owner):
    elsewhere = GalleryFactory(owner=owner).sets.get()

    response = owner_client.post(
        reverse("sharing:link_create", args=[gallery.pk]),
        link_form(sets=[elsewhere.pk]),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["sets"]
    assert not ShareLink.objects.exists()


def test_editing_keeps_the_password_when_the_field_is_left_empty(
    owner_client, locked_link
):
    old_hash = locked_link.password

    owner_client.post(
        reverse("sharing:link_edit", args=[locked_link.pk]), link_form(label="Guests 2")
    )

    locked_link.refresh_from_db()
    assert locked_link.label == "Guests 2"
    assert locked_link.password == old_hash


def test_editing_can_change_the_password(owner_client, locked_link):
    owner_client.post(
        reverse("sharing:link_edit", args=[locked_link.pk]),
        link_form(password="new one"),
    )

    locked_link.refresh_from_db()
    assert check_password("new one", locked_link.password)


def test_editing_can_remove_the_password(owner_client, locked_link):
    owner_client.post(
        reverse("sharing:link_edit", args=[locked_link.pk]),
        link_form(remove_password="on"),
    )

    locked_link.refresh_from_db()
    assert not locked_link.has_password


def test_a_new_password_and_removing_it_at_once_is_refused(owner_client, locked_link):
    old_hash = locked_link.password

    response = owner_client.post(
        reverse("sharing:link_edit", args=[locked_link.pk]),
        link_form(password="new", remove_password="on"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    locked_link.refresh_from_db()
    assert locked_link.password == old_hash


def test_the_edit_form_warns_that_a_new_password_signs_everyone_out(
    owner_client, locked_link
):
    response = owner_client.get(reverse("sharing:link_edit", args=[locked_link.pk]))

    assert b"signs out everyone" in response.content
    assert b"Remove the password" in response.content
    # The hash never reaches the page.
    assert locked_link.password.encode() not in response.content


def test_an_expired_link_can_be_edited_without_moving_its_date(owner_client, link):
    services.link_update(
        link=link, expires_at=services.expiry_from_date(datetime.date(2020, 1, 1))
    )

    response = owner_client.post(
        reverse("sharing:link_edit", args=[link.pk]),
        link_form(label="Renamed", expires_on="2020-01-01"),
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.label == "Renamed"
    assert link.is_expired


def test_the_edit_form_starts_from_the_links_settings(owner_client, gallery, ceremony):
    link = services.link_create(
        gallery=gallery,
        label="Family",
        sets=[ceremony],
        expires_at=services.expiry_from_date(datetime.date(2031, 5, 1)),
    )

    response = owner_client.get(reverse("sharing:link_edit", args=[link.pk]))

    html = response.content.decode()
    assert 'value="Family"' in html
    assert 'value="2031-05-01"' in html
    assert f'value="{ceremony.pk}" id="id_sets_0" checked' in html


# --- Disabling and deleting -------------------------------------------------------------


def test_disabling_and_enabling_a_link(owner_client, link):
    url = reverse("sharing:link_toggle", args=[link.pk])

    response = owner_client.post(url)
    link.refresh_from_db()
    assert not link.is_active
    assert response["Location"] == reverse("sharing:links", args=[link.gallery_id])

    owner_client.post(url)
    link.refresh_from_db()
    assert link.is_active


def test_toggling_goes_back_to_the_page_it_came_from_but_never_off_site(
    owner_client, link
):
    url = reverse("sharing:link_toggle", args=[link.pk])
    detail = reverse("sharing:link_detail", args=[link.pk])

    assert owner_client.post(url, {"next": detail})["Location"] == detail
    away = owner_client.post(url, {"next": "https://evil.test/"})
    assert away["Location"] == reverse("sharing:links", args=[link.gallery_id])


def test_deleting_a_link_asks_first_then_deletes_it_with_its_lists(
    owner_client, link, anna
):
    url = reverse("sharing:link_delete", args=[link.pk])

    confirm = owner_client.get(url)
    assert b"Delete this link?" in confirm.content
    assert b"1 favourites list" in confirm.content
    assert ShareLink.objects.filter(pk=link.pk).exists()

    response = owner_client.post(url)

    assert response["Location"] == reverse("sharing:links", args=[link.gallery_id])
    assert not ShareLink.objects.filter(pk=link.pk).exists()
    assert not FavouriteList.objects.filter(pk=anna.pk).exists()
