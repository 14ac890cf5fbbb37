"""The photographer's sharing API: links, their counts, and their visitors' lists."""

import datetime

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.tests.openapi import assert_documented
from config.tests.permission_matrix import (
    api_request,
    assert_answered_for_owner,
    every,
    rows,
    unchanged,
)
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory
from sharing import analytics, recipients, services
from sharing.models import FavouriteList, LinkDay, Recipient, ShareLink
from sharing.tests.conftest import LINK_PASSWORD
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory


def _links_url(gallery) -> str:
    return reverse("api:gallery-link-list", args=[gallery.pk])


def _link_url(link) -> str:
    return reverse("api:link-detail", args=[link.pk])


def _error_attrs(response) -> set:
    return {error["attr"] for error in response.json()["errors"]}


# --- Links ------------------------------------------------------------------------------


def test_a_photographer_makes_a_password_link_and_the_password_is_never_shown(
    owner_api, gallery
):
    response = owner_api.post(
        _links_url(gallery),
        {"label": "Guests", "password": "s3cret words", "downloads": "original"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    link = ShareLink.objects.get(pk=body["id"])
    assert body["label"] == "Guests"
    assert body["has_password"] is True
    assert "password" not in body
    assert "s3cret" not in response.content.decode()
    assert check_password("s3cret words", link.password)
    assert body["token"] == link.token
    assert body["url"] == f"http://testserver/s/{link.token}/"
    assert body["status"] == "active"
    assert body["sets"] == []
    assert body["downloads"] == "original"


def test_a_link_can_show_only_some_sets(owner_api, gallery, ceremony):
    response = owner_api.post(
        _links_url(gallery),
        {"label": "Family", "sets": [str(ceremony.pk)]},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["sets"] == [str(ceremony.pk)]
    assert list(ShareLink.objects.get().visible_sets()) == [ceremony]


def test_sets_of_another_gallery_are_a_field_error(
    owner_api, owner, gallery, other_gallery
):
    mine_elsewhere = GalleryFactory(owner=owner).sets.first()
    for foreign in (mine_elsewhere, other_gallery.sets.first()):
        response = owner_api.post(
            _links_url(gallery),
            {"label": "Family", "sets": [str(foreign.pk)]},
            format="json",
        )

        assert response.status_code == 400
        assert _error_attrs(response) == {"sets"}
        assert "sets of this gallery" in response.json()["errors"][0]["detail"]
    assert not ShareLink.objects.exists()


def test_an_unknown_download_right_is_a_field_error(owner_api, gallery):
    response = owner_api.post(
        _links_url(gallery), {"label": "Couple", "downloads": "raw"}, format="json"
    )

    assert response.status_code == 400
    assert _error_attrs(response) == {"downloads"}


@pytest.mark.parametrize("limit", [-1, 0])
def test_a_favourites_limit_below_one_is_a_field_error(owner_api, gallery, limit):
    response = owner_api.post(
        _links_url(gallery),
        {"label": "Couple", "favourites_limit": limit},
        format="json",
    )

    assert response.status_code == 400
    assert _error_attrs(response) == {"favourites_limit"}


def test_a_link_without_a_label_is_a_field_error(owner_api, gallery):
    response = owner_api.post(_links_url(gallery), {"label": ""}, format="json")

    assert response.status_code == 400
    assert _error_attrs(response) == {"label"}


def test_a_gallerys_links_are_listed_oldest_first_within_a_query_budget(
    owner_api, gallery, ceremony, django_assert_max_num_queries
):
    for n in range(12):
        ShareLinkFactory(gallery=gallery, label=f"Link {n}").sets.set([ceremony])
    ShareLinkFactory(label="Another gallery's")

    with django_assert_max_num_queries(5):
        response = owner_api.get(_links_url(gallery))

    body = response.json()
    assert body["count"] == 12
    assert [link["label"] for link in body["results"]][:2] == ["Link 0", "Link 1"]
    assert body["results"][0]["sets"] == [str(ceremony.pk)]
    assert all("password" not in link for link in body["results"])


def test_leaving_out_the_password_keeps_it(owner_api, locked_link):
    response = owner_api.patch(
        _link_url(locked_link), {"label": "Wedding guests"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["has_password"] is True
    locked_link.refresh_from_db()
    assert check_password(LINK_PASSWORD, locked_link.password)
    assert locked_link.label == "Wedding guests"


def test_an_empty_password_removes_it_and_text_replaces_it(owner_api, locked_link):
    removed = owner_api.patch(_link_url(locked_link), {"password": ""}, format="json")
    assert removed.json()["has_password"] is False

    replaced = owner_api.patch(
        _link_url(locked_link), {"password": "new words"}, format="json"
    )
    assert replaced.json()["has_password"] is True
    assert "new words" not in replaced.content.decode()
    locked_link.refresh_from_db()
    assert check_password("new words", locked_link.password)


def test_a_link_can_be_disabled_limited_and_its_status_follows(
    owner_api, link, reception
):
    disabled = owner_api.patch(
        _link_url(link),
        {"is_active": False, "sets": [str(reception.pk)], "favourites_limit": 40},
        format="json",
    ).json()
    assert disabled["status"] == "disabled"
    assert disabled["sets"] == [str(reception.pk)]
    assert disabled["favourites_limit"] == 40

    yesterday = timezone.now() - datetime.timedelta(days=1)
    expired = owner_api.patch(
        _link_url(link),
        {"is_active": True, "expires_at": yesterday.isoformat()},
        format="json",
    ).json()
    assert expired["status"] == "expired"

    everything = owner_api.patch(_link_url(link), {"sets": []}, format="json").json()
    assert everything["sets"] == []


def test_a_full_update_replaces_the_fields_it_is_given(owner_api, link):
    response = owner_api.put(
        _link_url(link),
        {"label": "Planner", "downloads": "none", "welcome_message": "Hello!"},
        format="json",
    )

    assert response.status_code == 200
    link.refresh_from_db()
    assert (link.label, link.downloads, link.welcome_message) == (
        "Planner",
        "none",
        "Hello!",
    )


def test_changing_a_link_to_sets_of_another_gallery_is_a_field_error(
    owner_api, link, other_gallery
):
    response = owner_api.patch(
        _link_url(link), {"sets": [str(other_gallery.sets.first().pk)]}, format="json"
    )

    assert response.status_code == 400
    assert _error_attrs(response) == {"sets"}
    assert not link.sets.exists()


def test_deleting_a_link_takes_its_lists_with_it(owner_api, link):
    FavouriteListFactory(link=link)

    response = owner_api.delete(_link_url(link))

    assert response.status_code == 204
    assert not ShareLink.objects.filter(pk=link.pk).exists()
    assert not FavouriteList.objects.exists()


def test_the_session_of_the_website_works_too(owner_client, link):
    response = owner_client.get(_link_url(link))

    assert response.status_code == 200
    assert response.json()["label"] == "Couple"


# --- Analytics --------------------------------------------------------------------------


def test_a_links_analytics_are_daily_rows_and_totals(owner_api, link):
    LinkDay.objects.create(
        link=link, day=analytics.today() - datetime.timedelta(days=40), views=100
    )
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")
    analytics.count(link, "downloads", 3)
    url = reverse("api:link-analytics", args=[link.pk])

    default = owner_api.get(url).json()
    week = owner_api.get(url, {"days": 7}).json()

    assert len(default["days"]) == 30
    assert len(week["days"]) == 7
    today = week["days"][-1]
    assert today["day"] == analytics.today().isoformat()
    assert (today["views"], today["visitors"], today["downloads"]) == (1, 1, 3)
    assert week["days"][0]["views"] == 0
    assert default["totals"]["views"] == 101
    assert default["totals"]["downloads"] == 3
    assert default["totals"]["last_visited_at"] is not None


@pytest.mark.parametrize("days", ["0", "1000", "many"])
def test_an_analytics_period_out_of_range_is_a_field_error(owner_api, link, days):
    response = owner_api.get(
        reverse("api:link-analytics", args=[link.pk]), {"days": days}
    )

    assert response.status_code == 400
    assert _error_attrs(response) == {"days"}


# --- Favourites lists -------------------------------------------------------------------


@pytest.fixture
def anna_list(link, gallery):
    """Anna hearted two ceremony photos, one with a note, and sent her list."""
    favourite_list = FavouriteListFactory(link=link, name="Anna", email="a@x.test")
    first, second = gallery.photos.order_by("position")[:2]
    services.favourite_add(favourite_list=favourite_list, photo=first, note="Crop?")
    services.favourite_add(favourite_list=favourite_list, photo=second)
    services.list_submit(favourite_list=favourite_list)
    return favourite_list


def test_every_list_on_a_gallerys_links_is_listed_with_its_count(
    owner_api, gallery, anna_list, django_assert_max_num_queries
):
    guests = ShareLinkFactory(gallery=gallery, label="Guests")
    FavouriteListFactory(link=guests, name="Uncle Bob")
    FavouriteListFactory(name="On another gallery")

    with django_assert_max_num_queries(5):
        response = owner_api.get(
            reverse("api:gallery-favourite-list-list", args=[gallery.pk])
        )

    body = response.json()
    assert body["count"] == 2
    by_name = {item["name"]: item for item in body["results"]}
    assert by_name["Anna"]["count"] == 2
    assert by_name["Anna"]["is_submitted"] is True
    assert by_name["Anna"]["link"]["label"] == "Couple"
    assert by_name["Uncle Bob"]["count"] == 0
    assert by_name["Uncle Bob"]["link"]["label"] == "Guests"


def test_a_list_shows_its_photos_notes_and_thumbnails(owner_api, anna_list, gallery):
    first, second = gallery.photos.order_by("position")[:2]

    body = owner_api.get(
        reverse("api:favourite-list-detail", args=[anna_list.pk])
    ).json()

    assert [item["photo"] for item in body["items"]] == [str(first.pk), str(second.pk)]
    assert body["items"][0]["filename"] == first.original_filename
    assert body["items"][0]["note"] == "Crop?"
    assert body["items"][0]["hearted_at"]
    assert "grid.jpeg" in body["items"][0]["thumbnails"]
    assert body["email"] == "a@x.test"


def test_a_submitted_list_can_be_reopened(owner_api, anna_list):
    response = owner_api.post(reverse("api:favourite-list-reopen", args=[anna_list.pk]))

    assert response.status_code == 200
    assert response.json()["is_submitted"] is False
    anna_list.refresh_from_db()
    assert not anna_list.is_submitted


def test_a_list_as_a_lightroom_filter(owner_api, anna_list, gallery):
    first, second = gallery.photos.order_by("position")[:2]

    response = owner_api.get(
        reverse("api:favourite-list-lightroom", args=[anna_list.pk])
    )

    assert response.json() == {
        "filter": f"{first.original_filename}, {second.original_filename}"
    }


def test_a_list_can_be_deleted(owner_api, anna_list):
    response = owner_api.delete(
        reverse("api:favourite-list-detail", args=[anna_list.pk])
    )

    assert response.status_code == 204
    assert not FavouriteList.objects.exists()


# --- Who may -----------------------------------------------------------------------------


@pytest.fixture
def things(gallery, ceremony, link, locked_link):
    favourite_list = FavouriteListFactory(link=link)
    services.favourite_add(
        favourite_list=favourite_list, photo=gallery.photos.first(), note="Yes"
    )
    services.list_submit(favourite_list=favourite_list)
    recipient = recipients.register(link=link, email="guest@example.test")
    expiring = ShareLinkFactory(
        gallery=gallery, expires_at=timezone.now() + datetime.timedelta(days=20)
    )
    return {
        "expiring": expiring.pk,
        "gallery": gallery.pk,
        "ceremony": ceremony.pk,
        "link": link.pk,
        "list": favourite_list.pk,
        "recipient": recipient.pk,
    }


API = rows(
    ("get", "api:gallery-link-list", ["gallery"], None),
    ("post", "api:gallery-link-list", ["gallery"], {"label": "Hacked"}),
    ("get", "api:link-detail", ["link"], None),
    ("patch", "api:link-detail", ["link"], {"label": "Hacked", "password": "x"}),
    ("put", "api:link-detail", ["link"], {"label": "Hacked"}),
    ("delete", "api:link-detail", ["link"], None),
    ("get", "api:link-analytics", ["link"], None),
    ("get", "api:gallery-favourite-list-list", ["gallery"], None),
    ("get", "api:favourite-list-detail", ["list"], None),
    ("delete", "api:favourite-list-detail", ["list"], None),
    ("post", "api:favourite-list-reopen", ["list"], None),
    ("get", "api:favourite-list-lightroom", ["list"], None),
    ("get", "api:favourite-list-xmp", ["list"], None),
    ("get", "api:link-recipients", ["link"], None),
    (
        "post",
        "api:link-recipients",
        ["link"],
        {"emails": "eve@example.test", "subject": "Hi", "message": "Look"},
    ),
    ("get", "api:link-activity-csv", ["link"], None),
    ("post", "api:recipient-resend", ["recipient"], None),
    ("post", "api:recipient-revoke", ["recipient"], None),
    ("get", "api:link-reminder-preview", ["expiring"], None),
    (
        "patch",
        "api:link-detail",
        ["expiring"],
        {"expiry_reminders": False, "reminder_days": [2]},
    ),
)


def _snapshot():
    return (
        list(
            ShareLink.objects.values_list(
                "id", "label", "password", "is_active", "expiry_reminders"
            )
        ),
        list(ShareLink.objects.values_list("id", "reminder_days")),
        list(FavouriteList.objects.values_list("id", "submitted_at")),
        list(Recipient.objects.values_list("id", "email", "sends", "revoked_at")),
        len(mail.outbox),
    )


@every(API)
def test_a_stranger_gets_404_from_every_owner_sharing_endpoint(
    stranger_api, things, row
):
    with unchanged(_snapshot):
        response = api_request(stranger_api, row, things)

    assert response.status_code == 404


@every(API)
def test_an_anonymous_caller_gets_401_from_every_owner_sharing_endpoint(
    api_client, things, row
):
    with unchanged(_snapshot):
        response = api_request(api_client, row, things)

    assert response.status_code == 401


# The matrix only means something if these calls work for their owner: each one,
# writes included, on a world of its own.
@every(API)
def test_the_owner_can_use_every_endpoint_checked_above(owner_api, things, row):
    response = api_request(owner_api, row, things)

    assert response.status_code in {200, 201, 202, 204}, (str(row), response.content)
    assert_answered_for_owner(response, row)


def test_a_malformed_link_id_is_simply_not_found(owner_api):
    assert owner_api.get("/api/v1/links/not-a-uuid/").status_code == 404


def test_a_strangers_list_of_links_for_their_own_gallery_is_theirs_alone(
    stranger_api, stranger, link
):
    theirs = GalleryFactory(owner=stranger)
    ReadyPhotoFactory(gallery=theirs)

    body = stranger_api.get(_links_url(theirs)).json()

    assert body["count"] == 0


# --- Found by the contract check (bin/contract): answers as documented ------------------


def test_analytics_refuse_a_malformed_days_with_a_documented_field_error(
    owner_api, link
):
    url = reverse("api:link-analytics", args=[link.pk])

    for days in ("null", "0", "400"):
        response = owner_api.get(url, {"days": days})

        assert response.status_code == 400
        assert _error_attrs(response) == {"days"}
        assert_documented(response)


def test_a_malformed_set_id_for_a_link_is_a_documented_field_error(
    owner_api, gallery, link
):
    made = owner_api.post(
        _links_url(gallery), {"label": "x", "sets": ["nope"]}, format="json"
    )
    changed = owner_api.patch(_link_url(link), {"sets": ["nope"]}, format="json")
    replaced = owner_api.put(
        _link_url(link), {"label": "x", "sets": ["nope"]}, format="json"
    )

    for response in (made, changed, replaced):
        assert response.status_code == 400
        assert _error_attrs(response) == {"sets"}
        assert_documented(response)


# --- The invitation template ----------------------------------------------------------


def test_the_invitation_template_is_ours_until_the_photographer_saves_their_own(
    owner_api, stranger_api
):
    url = reverse("api:invitation-template")
    ours = owner_api.get(url).json()
    assert "{gallery}" in ours["subject"]

    saved = owner_api.put(
        url,
        {"subject": "  Your {gallery}  photos ", "message": "Hi!\nLove, {studio}"},
        format="json",
    )

    assert saved.status_code == 200
    assert saved.json() == {
        "subject": "Your {gallery} photos",
        "message": "Hi!\nLove, {studio}",
    }
    assert owner_api.get(url).json()["subject"] == "Your {gallery} photos"
    assert stranger_api.get(url).json() == ours


def test_an_empty_invitation_template_is_refused_in_words(owner_api):
    answer = owner_api.put(
        reverse("api:invitation-template"),
        {"subject": "   ", "message": "Hi"},
        format="json",
    )

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["attr"] == "subject"


def test_the_invitation_template_needs_a_login(api_client):
    url = reverse("api:invitation-template")
    assert api_client.get(url).status_code == 401
    assert api_client.put(url, {"subject": "x", "message": "y"}).status_code == 401
