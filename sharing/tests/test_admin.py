"""The Django admin for share links, favourites lists and daily counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from galleries.tests.factories import GalleryFactory
from sharing import analytics, services
from sharing.models import FavouriteList, LinkDay, ShareLink
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def anna(link):
    favourite_list = FavouriteListFactory(link=link, name="Anna", email="anna@x.test")
    photo = link.visible_photos().first()
    services.favourite_add(favourite_list=favourite_list, photo=photo, note="Lovely")
    services.list_submit(favourite_list=favourite_list)
    return favourite_list


def test_the_links_list_shows_label_gallery_owner_and_status(admin_client, link):
    ShareLinkFactory(gallery=link.gallery, label="Paused", is_active=False)

    response = admin_client.get(reverse("admin:sharing_sharelink_changelist"))

    html = response.content.decode()
    for text in [
        "Couple",
        "Anna &amp; Ben",
        "olivia@studio.test",
        "Active",
        "Disabled",
    ]:
        assert text in html


@pytest.mark.parametrize("query", ["Couple", "Anna", "olivia@studio"])
def test_links_can_be_found_by_label_gallery_or_owner(admin_client, link, query):
    ShareLinkFactory(gallery=GalleryFactory(title="Other"), label="Unrelated")

    response = admin_client.get(
        reverse("admin:sharing_sharelink_changelist"), {"q": query}
    )

    assert list(response.context["cl"].result_list) == [link]


@pytest.mark.parametrize(
    ("status", "label"),
    [
        ("active", "Couple"),
        ("expired", "Old"),
        ("disabled", "Paused"),
        ("password", "Guests"),
    ],
)
def test_links_can_be_filtered_by_status(admin_client, gallery, status, label):
    ShareLinkFactory(gallery=gallery, label="Couple")
    ShareLinkFactory(gallery=gallery, label="Guests", secret="pw", is_active=False)
    ShareLinkFactory(
        gallery=gallery, label="Old", expires_at=timezone.now() - datetime.timedelta(1)
    )
    ShareLinkFactory(gallery=gallery, label="Paused", is_active=False)

    response = admin_client.get(
        reverse("admin:sharing_sharelink_changelist"), {"status": status}
    )

    labels = {link.label for link in response.context["cl"].result_list}
    assert label in labels
    if status != "disabled":
        assert len(labels) == 1


def test_a_links_page_never_shows_its_password_hash(admin_client, locked_link):
    response = admin_client.get(
        reverse("admin:sharing_sharelink_change", args=[locked_link.pk])
    )

    assert response.status_code == 200
    assert locked_link.password.encode() not in response.content
    assert "password" not in response.context["adminform"].form.fields


def test_a_links_sets_are_picked_from_its_own_gallery(
    admin_client, link, other_gallery
):
    response = admin_client.get(
        reverse("admin:sharing_sharelink_change", args=[link.pk])
    )

    choices = set(response.context["adminform"].form.fields["sets"].queryset)
    assert choices == set(link.gallery.sets.all())
    assert b"selectfilter" in response.content  # filter_horizontal


def test_saving_a_link_in_the_admin_goes_through_the_service(
    admin_client, link, ceremony, monkeypatch
):
    calls = []
    real = services.link_update
    monkeypatch.setattr(
        services, "link_update", lambda **kw: calls.append(kw) or real(**kw)
    )

    response = admin_client.post(
        reverse("admin:sharing_sharelink_change", args=[link.pk]),
        {
            "label": "Couple (final)",
            "is_active": "on",
            "expires_at_0": "",
            "expires_at_1": "",
            "sets": [str(ceremony.pk)],
            "downloads": "original",
            "welcome_message": "",
            "favourites_enabled": "on",
            "favourites_limit": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    link.refresh_from_db()
    assert link.label == "Couple (final)"
    assert link.downloads == "original"
    assert list(link.sets.all()) == [ceremony]
    assert calls


def test_links_are_made_by_photographers_not_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:sharing_sharelink_add"))

    assert response.status_code == 403


def test_disabling_links_with_the_admin_action(admin_client, link, locked_link):
    admin_client.post(
        reverse("admin:sharing_sharelink_changelist"),
        {"action": "disable_links", "_selected_action": [link.pk, locked_link.pk]},
    )

    assert not ShareLink.objects.filter(is_active=True).exists()


def test_removing_passwords_with_the_admin_action(admin_client, locked_link):
    admin_client.post(
        reverse("admin:sharing_sharelink_changelist"),
        {"action": "remove_passwords", "_selected_action": [locked_link.pk]},
    )

    locked_link.refresh_from_db()
    assert not locked_link.has_password


def test_deleting_a_link_in_the_admin(admin_client, link):
    response = admin_client.post(
        reverse("admin:sharing_sharelink_delete", args=[link.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not ShareLink.objects.filter(pk=link.pk).exists()


def test_a_favourites_list_shows_its_photos_and_notes_but_not_its_token(
    admin_client, anna
):
    response = admin_client.get(
        reverse("admin:sharing_favouritelist_change", args=[anna.pk])
    )

    html = response.content.decode()
    assert "Lovely" in html
    assert "<img" in html
    assert anna.token not in html


def test_favourites_lists_can_be_found_and_filtered(admin_client, anna, link):
    FavouriteListFactory(link=link, name="Ben")
    url = reverse("admin:sharing_favouritelist_changelist")

    found = admin_client.get(url, {"q": "anna@x"}).context["cl"].result_list
    sent = admin_client.get(url, {"sent": "yes"}).context["cl"].result_list

    assert list(found) == [anna]
    assert list(sent) == [anna]


def test_reopening_lists_with_the_admin_action(admin_client, anna):
    admin_client.post(
        reverse("admin:sharing_favouritelist_changelist"),
        {"action": "reopen_lists", "_selected_action": [anna.pk]},
    )

    anna.refresh_from_db()
    assert not anna.is_submitted


def test_deleting_lists_with_the_admin_bulk_action(admin_client, anna):
    admin_client.post(
        reverse("admin:sharing_favouritelist_changelist"),
        {"action": "delete_selected", "_selected_action": [anna.pk], "post": "yes"},
    )

    assert not FavouriteList.objects.exists()


def test_daily_counts_can_be_read_but_not_changed(admin_client, link):
    analytics.count(link, "views", 5)
    day = LinkDay.objects.get()

    listing = admin_client.get(reverse("admin:sharing_linkday_changelist"))
    change = admin_client.post(
        reverse("admin:sharing_linkday_change", args=[day.pk]), {"views": "999"}
    )

    assert listing.status_code == 200
    assert b"Couple" in listing.content
    assert change.status_code == 403
    day.refresh_from_db()
    assert day.views == 5
    assert admin_client.get(reverse("admin:sharing_linkday_add")).status_code == 403


def test_the_admin_is_for_staff_only(client, owner, link):
    client.force_login(owner)

    response = client.get(reverse("admin:sharing_sharelink_changelist"))

    assert response.status_code == 302
