"""The public share-link API as a phone app uses it, with no account: the gallery, its
photos, the password, and the visitor's favourites."""

import datetime
import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from galleries.models import Photo
from galleries.tests.conftest import RENDITION_KEYS
from galleries.tests.factories import ReadyPhotoFactory
from sharing import analytics, gate, services
from sharing.api.gate import ShareRateThrottle
from sharing.models import FavouriteList
from sharing.tests.conftest import LINK_PASSWORD
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory


@pytest.fixture
def app() -> APIClient:
    """A phone app: no cookies kept between calls unless a test says so."""
    return APIClient()


def _url(name: str, token: str, *args) -> str:
    return reverse(f"api:{name}", args=[token, *args])


def _unlock(app, link, password=LINK_PASSWORD):
    return app.post(_url("share-unlock", link.token), {"password": password})


def _codes(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


def _start_list(app, link, name="Anna", **headers):
    response = app.post(
        _url("share-list-start", link.token), {"name": name}, format="json", **headers
    )
    assert response.status_code == 201, response.content
    return response.json()


# --- The gallery ------------------------------------------------------------------------


def test_an_app_gets_the_gallery_its_sets_cover_and_what_the_link_allows(
    app, link, gallery, owner
):
    services.link_update(
        link=link,
        welcome_message="Enjoy!",
        favourites_limit=40,
        favourites_require_email=True,
    )

    response = app.get(_url("share", link.token))

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Anna & Ben"
    assert body["studio"] == "Olivia Studio"
    assert body["welcome_message"] == "Enjoy!"
    assert [(s["name"], s["photo_count"]) for s in body["sets"]] == [
        ("Ceremony", 3),
        ("Reception", 2),
    ]
    assert body["photo_count"] == 5
    assert set(body["cover"]["renditions"]) == RENDITION_KEYS
    assert body["downloads"] == "web"
    assert body["zip_url"] == f"http://testserver/s/{link.token}/zip/"
    assert body["favourites"] == {"enabled": True, "limit": 40, "require_email": True}
    assert (body["requires_password"], body["unlocked"]) == (False, True)
    assert body["url"] == f"http://testserver/s/{link.token}/"


def test_opening_the_gallery_counts_a_view_and_a_visitor(app, link):
    app.get(_url("share", link.token), HTTP_USER_AGENT="Phone")
    app.get(_url("share", link.token), HTTP_USER_AGENT="Phone")

    today = analytics.daily(link, days=1)[0]
    assert (today["views"], today["visitors"]) == (2, 1)
    link.refresh_from_db()
    assert link.last_visited_at is not None


def test_a_link_to_some_sets_shows_only_them_and_never_a_hidden_cover(
    app, gallery, ceremony, reception
):
    gallery.cover = reception.photos.first()
    gallery.save()
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])

    body = app.get(_url("share", link.token)).json()

    assert [s["name"] for s in body["sets"]] == ["Ceremony"]
    assert body["photo_count"] == 3
    assert body["cover"]["id"] in {str(p.pk) for p in ceremony.photos.all()}


def test_no_zip_and_no_download_urls_when_the_link_allows_none(app, gallery):
    link = ShareLinkFactory(gallery=gallery, downloads="none")

    gallery_body = app.get(_url("share", link.token)).json()
    photo = app.get(_url("share-photo-list", link.token)).json()["results"][0]

    assert gallery_body["zip_url"] is None
    assert photo["downloads"] == {"web": None, "original": None}


@pytest.mark.parametrize(
    ("downloads", "web", "original"),
    [("web", True, False), ("original", True, True)],
)
def test_download_urls_follow_the_links_rights(app, gallery, downloads, web, original):
    link = ShareLinkFactory(gallery=gallery, downloads=downloads)

    photo = app.get(_url("share-photo-list", link.token)).json()["results"][0]

    base = f"http://testserver/s/{link.token}/p/{photo['id']}/download/"
    assert photo["downloads"]["web"] == (f"{base}?size=web" if web else None)
    assert photo["downloads"]["original"] == (
        f"{base}?size=original" if original else None
    )


def test_a_download_url_works_for_an_app_holding_the_access_token(app, locked_link):
    token = _unlock(app, locked_link).json()["access_token"]
    fresh = APIClient()
    photo = fresh.get(
        _url("share-photo-list", locked_link.token), HTTP_X_SHARE_ACCESS=token
    ).json()["results"][0]
    url = photo["downloads"]["web"]

    refused = fresh.get(url)
    downloaded = fresh.get(url, HTTP_X_SHARE_ACCESS=token)

    assert refused.status_code == 302
    assert "/unlock/" in refused["Location"]
    assert downloaded.status_code == 302
    assert "/unlock/" not in downloaded["Location"]
    assert analytics.daily(locked_link, days=1)[0]["downloads"] == 1


# --- Nothing through a closed door ------------------------------------------------------


@pytest.fixture
def photo_of(gallery):
    return gallery.photos.order_by("position").first()


def _public_calls(token, photo_id, list_token="not-a-list"):
    item = [token, list_token, photo_id]
    return [
        ("get", reverse("api:share", args=[token]), None),
        ("get", reverse("api:share-photo-list", args=[token]), None),
        ("get", reverse("api:share-photo-detail", args=[token, photo_id]), None),
        ("post", reverse("api:share-list-start", args=[token]), {"name": "Eve"}),
        ("get", reverse("api:share-list", args=[token, list_token]), None),
        ("put", reverse("api:share-list-item", args=item), {"note": "x"}),
        ("delete", reverse("api:share-list-item", args=item), None),
        ("post", reverse("api:share-list-submit", args=[token, list_token]), None),
    ]


def test_a_disabled_link_answers_exactly_like_a_missing_one_everywhere(
    app, link, photo_of
):
    favourite_list = FavouriteListFactory(link=link)
    services.link_update(link=link, is_active=False)
    disabled = _public_calls(link.token, photo_of.pk, favourite_list.token)
    missing = _public_calls("no-such-link-token", photo_of.pk, favourite_list.token)
    disabled.append(("post", _url("share-unlock", link.token), {"password": "x"}))
    missing.append(
        ("post", _url("share-unlock", "no-such-link-token"), {"password": "x"})
    )

    for (method, url, data), (_, other_url, _) in zip(disabled, missing, strict=True):
        one = getattr(app, method)(url, data, format="json")
        other = getattr(app, method)(other_url, data, format="json")
        assert one.status_code == other.status_code == 404, url
        assert one.content == other.content


def test_an_expired_link_answers_410_and_nothing_else_everywhere(app, link, photo_of):
    favourite_list = FavouriteListFactory(link=link)
    services.link_update(
        link=link, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    calls = _public_calls(link.token, photo_of.pk, favourite_list.token)
    calls.append(("post", _url("share-unlock", link.token), {"password": "x"}))

    for method, url, data in calls:
        response = getattr(app, method)(url, data, format="json")
        assert response.status_code == 410, url
        assert _codes(response) == ["expired"]
        assert "contact your photographer" in response.json()["errors"][0]["detail"]
        assert "Anna" not in response.content.decode()
    assert not analytics.daily(link, days=1)[0]["views"]


def test_a_locked_link_shows_nothing_of_the_gallery_anywhere(
    app, locked_link, gallery, photo_of
):
    favourite_list = FavouriteListFactory(link=locked_link)
    secrets = [gallery.title, str(photo_of.pk), photo_of.original_filename, "photos/"]

    for method, url, data in _public_calls(
        locked_link.token, photo_of.pk, favourite_list.token
    ):
        response = getattr(app, method)(url, data, format="json")
        assert response.status_code == 401, url
        assert _codes(response) == ["password_required"]
        assert response["WWW-Authenticate"].startswith("ShareAccess")
        text = response.content.decode()
        assert not any(secret in text for secret in secrets), url
    assert not FavouriteList.objects.exclude(pk=favourite_list.pk).exists()
    assert not analytics.daily(locked_link, days=1)[0]["views"]


# --- Unlocking --------------------------------------------------------------------------


def test_an_app_unlocks_with_the_password_and_sends_the_token_as_a_header(
    app, locked_link
):
    response = _unlock(app, locked_link)

    assert response.status_code == 200
    body = response.json()
    assert body["header"] == "X-Share-Access"
    assert (
        body["expires_at"] > (timezone.now() + datetime.timedelta(days=29)).isoformat()
    )
    fresh = APIClient()  # no cookie from the unlock: the header alone opens it
    opened = fresh.get(
        _url("share", locked_link.token), HTTP_X_SHARE_ACCESS=body["access_token"]
    )
    assert opened.status_code == 200
    assert opened.json()["title"] == "Anna & Ben"
    assert opened.json()["requires_password"] is True
    assert fresh.get(_url("share", locked_link.token)).status_code == 401


def test_a_wrong_password_is_a_clear_field_error(app, locked_link):
    response = _unlock(app, locked_link, "open sesame!")

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == ("password", "wrong_password")
    assert "not the password" in error["detail"]
    assert "access_token" not in response.content.decode()


def test_a_link_without_password_needs_no_unlock(app, link):
    response = _unlock(app, link, "anything")

    assert response.status_code == 400
    assert _codes(response) == ["no_password"]


def test_the_browser_session_unlock_works_for_the_browsable_api(client, locked_link):
    assert client.get(_url("share", locked_link.token)).status_code == 401
    # The browsable API draws forms even for refused answers: they must not fail.
    for name in ("share-unlock", "share-list-start"):
        form = client.get(_url(name, locked_link.token), HTTP_ACCEPT="text/html")
        assert form.status_code == 405
        assert "Anna" not in form.content.decode()

    client.post(_url("share-unlock", locked_link.token), {"password": LINK_PASSWORD})

    assert client.get(_url("share", locked_link.token)).status_code == 200
    html = client.get(_url("share", locked_link.token), HTTP_ACCEPT="text/html")
    assert html.status_code == 200
    assert "Anna &amp; Ben" in html.content.decode()


def test_a_changed_password_ends_every_token_given_for_the_old_one(app, locked_link):
    token = _unlock(app, locked_link).json()["access_token"]

    services.link_update(link=locked_link, password="a new password")

    response = APIClient().get(
        _url("share", locked_link.token), HTTP_X_SHARE_ACCESS=token
    )
    assert response.status_code == 401
    assert _codes(response) == ["password_required"]


def test_a_token_opens_only_its_own_link_and_cannot_be_forged(
    app, locked_link, gallery
):
    other = ShareLinkFactory(gallery=gallery, secret=LINK_PASSWORD)
    token = _unlock(app, locked_link).json()["access_token"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    for key, link in [(token, other), (forged, locked_link), ("junk", locked_link)]:
        response = APIClient().get(_url("share", link.token), HTTP_X_SHARE_ACCESS=key)
        assert response.status_code == 401


def test_a_token_stops_working_after_30_days(app, locked_link, monkeypatch):
    token = _unlock(app, locked_link).json()["access_token"]
    later = time.time() + 31 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)

    response = APIClient().get(
        _url("share", locked_link.token), HTTP_X_SHARE_ACCESS=token
    )

    assert response.status_code == 401


def test_too_many_wrong_passwords_are_refused_with_429_even_the_right_one(
    app, locked_link
):
    for _ in range(gate.PASSWORD_ATTEMPTS):
        assert _unlock(app, locked_link, "guess").status_code == 400

    response = _unlock(app, locked_link)

    assert response.status_code == 429
    assert "Too many wrong passwords" in response.json()["errors"][0]["detail"]
    assert int(response["Retry-After"]) == gate.PASSWORD_WINDOW
    other_address = APIClient(REMOTE_ADDR="198.51.100.7")
    assert _unlock(other_address, locked_link).status_code == 200


def test_the_public_api_is_rate_limited_per_address(app, link, monkeypatch):
    monkeypatch.setattr(ShareRateThrottle, "THROTTLE_RATES", {"share": "3/minute"})
    url = _url("share-photo-list", link.token)

    answers = [app.get(url).status_code for _ in range(3)]
    spoofed = app.get(url, HTTP_X_FORWARDED_FOR="192.0.2.1")  # no proxy trusted

    assert answers == [200, 200, 200]
    assert spoofed.status_code == 429
    assert APIClient(REMOTE_ADDR="198.51.100.7").get(url).status_code == 200


# --- Photos -----------------------------------------------------------------------------


def test_a_page_of_photos_costs_four_queries_however_many_it_holds(
    app, link, gallery, django_assert_max_num_queries
):
    # The link, its sets, the count, the page: none per photo.
    ReadyPhotoFactory.create_batch(40, gallery=gallery, photo_set=gallery.sets.first())

    with django_assert_max_num_queries(4):
        body = app.get(_url("share-photo-list", link.token)).json()

    assert body["count"] == 45
    assert len(body["results"]) == 45
    assert all(set(p["renditions"]) == RENDITION_KEYS for p in body["results"])


def test_photos_come_in_order_with_everything_a_grid_needs(app, link, gallery):
    photos = list(link.visible_photos())

    body = app.get(_url("share-photo-list", link.token)).json()

    assert body["count"] == 5
    assert [p["id"] for p in body["results"]] == [str(p.pk) for p in photos]
    first = body["results"][0]
    assert first["filename"] == photos[0].original_filename
    assert (first["width"], first["height"], first["aspect_ratio"]) == (3000, 2000, 1.5)
    assert first["placeholder"].startswith("data:image/")
    assert first["color"] == "#808080"
    assert first["set"] == str(photos[0].photo_set_id)
    assert set(first["renditions"]) == RENDITION_KEYS
    assert first["renditions"]["grid.jpeg"].startswith("/")


def test_photos_never_include_processing_failed_or_hidden_ones(
    app, gallery, ceremony, reception
):
    for status in (
        Photo.Status.PROCESSING,
        Photo.Status.FAILED,
        Photo.Status.UPLOADING,
    ):
        ReadyPhotoFactory(gallery=gallery, photo_set=ceremony, status=status)
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])

    body = app.get(_url("share-photo-list", link.token)).json()

    assert body["count"] == 3
    assert {p["set"] for p in body["results"]} == {str(ceremony.pk)}


def test_photos_of_one_set(app, link, reception, ceremony):
    body = app.get(
        _url("share-photo-list", link.token), {"set": str(reception.pk)}
    ).json()

    assert body["count"] == 2
    assert {p["set"] for p in body["results"]} == {str(reception.pk)}


def test_a_hidden_or_unknown_set_is_a_field_error(
    app, gallery, ceremony, reception, other_gallery
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])
    url = _url("share-photo-list", link.token)

    for value in (str(reception.pk), str(other_gallery.sets.first().pk), "nope"):
        response = app.get(url, {"set": value})
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "set"


def test_one_photo_and_the_ones_a_link_does_not_show(
    app, gallery, ceremony, reception, other_gallery
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])
    processing = ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, status=Photo.Status.PROCESSING
    )
    shown = ceremony.photos.ready().first()

    found = app.get(_url("share-photo-detail", link.token, shown.pk))
    assert found.status_code == 200
    assert found.json()["id"] == str(shown.pk)
    for photo in (reception.photos.first(), other_gallery.photos.first(), processing):
        response = app.get(_url("share-photo-detail", link.token, photo.pk))
        assert response.status_code == 404
        assert str(photo.pk) not in response.content.decode()


def _many_photos(gallery, photo_set, count):
    Photo.objects.bulk_create(
        ReadyPhotoFactory.build(gallery=gallery, photo_set=photo_set)
        for _ in range(count)
    )


def test_a_page_of_photos_costs_the_same_queries_for_10_or_500_of_1000(
    app, gallery, ceremony, locked_link
):
    _many_photos(gallery, ceremony, 1000)
    token = _unlock(app, locked_link).json()["access_token"]
    url = _url("share-photo-list", locked_link.token)
    app = APIClient()

    counts = []
    for size in (10, 500):
        with CaptureQueriesContext(connection) as queries:
            body = app.get(url, {"page_size": size}, HTTP_X_SHARE_ACCESS=token).json()
        assert len(body["results"]) == size
        counts.append(len(queries))

    assert body["count"] == 1005
    assert counts[0] == counts[1] <= 5


def test_pages_are_at_most_500_photos(app, link, gallery, ceremony):
    _many_photos(gallery, ceremony, 600)

    body = app.get(_url("share-photo-list", link.token), {"page_size": 5000}).json()

    assert len(body["results"]) == 500
    assert body["next"]


# --- Favourites -------------------------------------------------------------------------


def test_a_visitor_keeps_a_list_hearts_notes_and_submits_it(
    app, link, gallery, owner, django_capture_on_commit_callbacks
):
    first, second = gallery.photos.order_by("position")[:2]
    started = _start_list(app, link)
    assert started["name"] == "Anna"
    assert started["count"] == 0
    list_token = started["token"]
    item = _url("share-list-item", link.token, list_token, first.pk)

    hearted = app.put(item, {"note": "Can you crop this?"}, format="json")
    app.put(_url("share-list-item", link.token, list_token, second.pk))
    renoted = app.put(item, {"note": "Black and white?"}, format="json")
    kept = app.put(item, {}, format="json")

    assert hearted.status_code == 200
    assert hearted.json()["count"] == 1
    assert renoted.json()["note"] == "Black and white?"
    assert kept.json() == {**renoted.json(), "count": 2}
    mine = app.get(_url("share-list", link.token, list_token)).json()
    assert [i["photo"] for i in mine["items"]] == [str(first.pk), str(second.pk)]
    assert mine["items"][0]["note"] == "Black and white?"
    assert mine["resume_url"] == (f"http://testserver/s/{link.token}/l/{list_token}/")

    unhearted = app.delete(_url("share-list-item", link.token, list_token, second.pk))
    assert unhearted.status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        submitted = app.post(_url("share-list-submit", link.token, list_token))
    assert submitted.status_code == 200
    assert submitted.json()["is_submitted"] is True
    assert submitted.json()["count"] == 1
    assert mail.outbox[-1].to == [owner.email]
    today = analytics.daily(link, days=1)[0]
    assert (today["lists_started"], today["lists_submitted"]) == (1, 1)


def test_a_note_can_be_cleared(app, link, gallery):
    photo = gallery.photos.first()
    list_token = _start_list(app, link)["token"]
    item = _url("share-list-item", link.token, list_token, photo.pk)
    app.put(item, {"note": "Crop?"}, format="json")

    response = app.put(item, {"note": ""}, format="json")

    assert response.json()["note"] == ""


def test_hearts_stop_at_the_limit_with_a_clear_message(app, gallery):
    link = ShareLinkFactory(gallery=gallery, favourites_limit=2)
    photos = list(link.visible_photos())
    list_token = _start_list(app, link)["token"]

    answers = [
        app.put(_url("share-list-item", link.token, list_token, p.pk))
        for p in photos[:3]
    ]

    assert [a.status_code for a in answers] == [200, 200, 400]
    assert "up to 2 photos" in answers[2].json()["errors"][0]["detail"]


def test_starting_a_list_needs_a_name_and_the_email_when_asked(
    app, gallery, django_capture_on_commit_callbacks
):
    link = ShareLinkFactory(gallery=gallery, favourites_require_email=True)
    url = _url("share-list-start", link.token)

    blank = app.post(url, {"name": " ", "email": ""}, format="json")
    bad_email = app.post(url, {"name": "Anna", "email": "anna"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        started = app.post(url, {"name": "Anna", "email": "anna@x.test"}, format="json")

    assert blank.status_code == 400
    assert {e["attr"] for e in blank.json()["errors"]} == {"name", "email"}
    assert bad_email.status_code == 400
    assert started.status_code == 201
    assert started.json()["token"] in mail.outbox[-1].body


def test_a_submitted_list_cannot_change_until_the_photographer_reopens_it(
    app, link, gallery
):
    photo = gallery.photos.first()
    list_token = _start_list(app, link)["token"]
    item = _url("share-list-item", link.token, list_token, photo.pk)
    app.put(item)
    app.post(_url("share-list-submit", link.token, list_token))

    calls = [
        app.put(item, {"note": "late"}, format="json"),
        app.delete(item),
        app.post(_url("share-list-submit", link.token, list_token)),
    ]

    for response in calls:
        assert response.status_code == 409
        assert _codes(response) == ["list_submitted"]
        assert "can no longer change" in response.json()["errors"][0]["detail"]
    favourite_list = FavouriteList.objects.get(token=list_token)
    services.list_reopen(favourite_list=favourite_list)
    assert app.delete(item).status_code == 204


def test_an_empty_list_cannot_be_submitted(app, link):
    list_token = _start_list(app, link)["token"]

    response = app.post(_url("share-list-submit", link.token, list_token))

    assert response.status_code == 400
    assert "at least one" in response.json()["errors"][0]["detail"]


def test_favourites_turned_off_are_refused_with_403(app, link, gallery):
    list_token = _start_list(app, link)["token"]
    services.link_update(link=link, favourites_enabled=False)
    photo = gallery.photos.first()

    calls = [
        app.post(_url("share-list-start", link.token), {"name": "Bo"}, format="json"),
        app.put(_url("share-list-item", link.token, list_token, photo.pk)),
        app.delete(_url("share-list-item", link.token, list_token, photo.pk)),
        app.post(_url("share-list-submit", link.token, list_token)),
    ]

    for response in calls:
        assert response.status_code == 403
        assert _codes(response) == ["favourites_disabled"]
    assert FavouriteList.objects.count() == 1


def test_only_the_lists_own_token_on_its_own_link_opens_it(app, link, gallery):
    started = _start_list(app, link)
    other_link = ShareLinkFactory(gallery=gallery)
    photo = gallery.photos.first()

    for token, list_key in [
        (other_link.token, started["token"]),  # another link of the same gallery
        (link.token, started["id"]),  # the list's id is not its key
        (link.token, "guessed-token"),
    ]:
        assert app.get(_url("share-list", token, list_key)).status_code == 404
        heart = app.put(_url("share-list-item", token, list_key, photo.pk))
        assert heart.status_code == 404
    assert not FavouriteList.objects.get(pk=started["id"]).items.exists()


def test_two_visitors_keep_separate_lists_on_one_link(app, link, gallery):
    photo = gallery.photos.first()
    anna = _start_list(app, link, "Anna")["token"]
    ben = _start_list(APIClient(), link, "Ben")["token"]

    app.put(_url("share-list-item", link.token, anna, photo.pk))

    assert app.get(_url("share-list", link.token, anna)).json()["count"] == 1
    assert app.get(_url("share-list", link.token, ben)).json()["count"] == 0


def test_a_photo_the_link_does_not_show_cannot_be_hearted(
    app, gallery, ceremony, reception, other_gallery
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])
    list_token = _start_list(app, link)["token"]

    for photo in (reception.photos.first(), other_gallery.photos.first()):
        response = app.put(_url("share-list-item", link.token, list_token, photo.pk))
        assert response.status_code == 404
    assert not FavouriteList.objects.get(token=list_token).items.exists()


def test_favourites_on_a_locked_link_work_with_the_access_token(app, locked_link):
    token = _unlock(app, locked_link).json()["access_token"]
    header = {"HTTP_X_SHARE_ACCESS": token}
    fresh = APIClient()

    started = _start_list(fresh, locked_link, **header)
    photo = locked_link.visible_photos().first()
    hearted = fresh.put(
        _url("share-list-item", locked_link.token, started["token"], photo.pk),
        **header,
    )

    assert hearted.status_code == 200


# --- The schema ---------------------------------------------------------------------------


def test_the_schema_documents_the_public_api_and_its_access_header(api_client):
    schema = api_client.get(
        reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()

    scheme = schema["components"]["securitySchemes"]["shareAccess"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == (
        "apiKey",
        "header",
        "X-Share-Access",
    )
    gallery = schema["paths"]["/api/v1/share/{token}/"]["get"]
    assert {"shareAccess": []} in gallery["security"]
    assert {"200", "401", "404", "410", "429"} <= set(gallery["responses"])
    assert "/api/v1/share/{token}/unlock/" in schema["paths"]
    assert (
        "/api/v1/share/{token}/favourite-lists/{list_token}/items/{photo}/"
        in (schema["paths"])
    )
    assert "/api/v1/links/{id}/analytics/" in schema["paths"]


# --- Found by the contract check (bin/contract) -------------------------------------


def test_asking_a_heart_url_for_its_options_describes_it_instead_of_failing(
    app, link, gallery
):
    photo = ReadyPhotoFactory(gallery=gallery)
    list_token = _start_list(app, link)["token"]
    url = _url("share-list-item", link.token, list_token, photo.pk)

    response = app.options(url)

    assert response.status_code == 200
    assert "PUT" in response.json()["actions"]
    # A list of another link's token describes no form, and still does not fail.
    other = app.options(_url("share-list-item", link.token, "nope", photo.pk))
    assert other.status_code == 200


def test_a_list_started_without_an_email_answers_an_empty_email_as_documented(
    app, link
):
    body = _start_list(app, link)

    assert body["email"] == ""
    # The schema must not promise an email address there.
    schema = SchemaGenerator().get_schema(request=None, public=True)
    schemas = schema["components"]["schemas"]
    for name in ("SharedFavouriteList", "FavouriteList", "FavouriteListDetail"):
        assert "format" not in schemas[name]["properties"]["email"], name


def test_an_app_sees_when_a_photo_was_shot_as_the_camera_read_it(
    app, link, gallery, settings
):
    photo = gallery.photos.order_by("position").first()
    photo.set_taken(datetime.datetime(2024, 6, 1, 14, 3))  # no zone in EXIF
    photo.save(update_fields=["taken_at", "taken_offset"])
    settings.TIME_ZONE = "America/Los_Angeles"
    with timezone.override("America/Los_Angeles"):
        results = app.get(_url("share-photo-list", link.token)).json()["results"]

    taken = {p["id"]: p["taken_at"] for p in results}
    assert taken[str(photo.pk)] == "2024-06-01T14:03:00"
