"""The visitor API's gate: nothing through a closed door, and unlocking with the
password and its access token."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sharing import analytics, gate, services
from sharing.api.gate import ShareRateThrottle
from sharing.models import FavouriteList
from sharing.tests.conftest import LINK_PASSWORD
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory
from sharing.tests.visitor_api import api_unlock, api_url, error_codes

# --- Nothing through a closed door ------------------------------------------------------


@pytest.fixture
def photo_of(gallery):
    return gallery.photos.order_by("position").first()


def _public_calls(token, photo_id, list_token="not-a-list"):
    item = [token, list_token, photo_id]
    return [
        ("get", reverse("api:share", args=[token]), None),
        ("get", reverse("api:share-photo-list", args=[token]), None),
        ("post", reverse("api:share-register", args=[token]), {"email": "e@x.test"}),
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
    disabled.append(("post", api_url("share-unlock", link.token), {"password": "x"}))
    missing.append(
        ("post", api_url("share-unlock", "no-such-link-token"), {"password": "x"})
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
    calls.append(("post", api_url("share-unlock", link.token), {"password": "x"}))

    for method, url, data in calls:
        response = getattr(app, method)(url, data, format="json")
        assert response.status_code == 410, url
        assert error_codes(response) == ["expired"]
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
        assert error_codes(response) == ["password_required"]
        assert response["WWW-Authenticate"].startswith("ShareAccess")
        text = response.content.decode()
        assert not any(secret in text for secret in secrets), url
    assert not FavouriteList.objects.exclude(pk=favourite_list.pk).exists()
    assert not analytics.daily(locked_link, days=1)[0]["views"]


# --- Unlocking --------------------------------------------------------------------------


def test_an_app_unlocks_with_the_password_and_sends_the_token_as_a_header(
    app, locked_link
):
    response = api_unlock(app, locked_link)

    assert response.status_code == 200
    body = response.json()
    assert body["header"] == "X-Share-Access"
    assert (
        body["expires_at"] > (timezone.now() + datetime.timedelta(days=29)).isoformat()
    )
    fresh = APIClient()  # no cookie from the unlock: the header alone opens it
    opened = fresh.get(
        api_url("share", locked_link.token), HTTP_X_SHARE_ACCESS=body["access_token"]
    )
    assert opened.status_code == 200
    assert opened.json()["title"] == "Anna & Ben"
    assert opened.json()["requires_password"] is True
    assert fresh.get(api_url("share", locked_link.token)).status_code == 401


def test_a_wrong_password_is_a_clear_field_error(app, locked_link):
    response = api_unlock(app, locked_link, "open sesame!")

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == ("password", "wrong_password")
    assert "not the password" in error["detail"]
    assert "access_token" not in response.content.decode()


def test_a_link_without_password_needs_no_unlock(app, link):
    response = api_unlock(app, link, "anything")

    assert response.status_code == 400
    assert error_codes(response) == ["no_password"]


def test_the_browser_session_unlock_works_for_the_browsable_api(client, locked_link):
    assert client.get(api_url("share", locked_link.token)).status_code == 401
    # The browsable API draws forms even for refused answers: they must not fail.
    for name in ("share-unlock", "share-list-start"):
        form = client.get(api_url(name, locked_link.token), HTTP_ACCEPT="text/html")
        assert form.status_code == 405
        assert "Anna" not in form.content.decode()

    client.post(api_url("share-unlock", locked_link.token), {"password": LINK_PASSWORD})

    assert client.get(api_url("share", locked_link.token)).status_code == 200
    html = client.get(api_url("share", locked_link.token), HTTP_ACCEPT="text/html")
    assert html.status_code == 200
    assert "Anna &amp; Ben" in html.content.decode()


def test_a_changed_password_ends_every_token_given_for_the_old_one(app, locked_link):
    token = api_unlock(app, locked_link).json()["access_token"]

    services.link_update(link=locked_link, password="a new password")

    response = APIClient().get(
        api_url("share", locked_link.token), HTTP_X_SHARE_ACCESS=token
    )
    assert response.status_code == 401
    assert error_codes(response) == ["password_required"]


def test_a_token_opens_only_its_own_link_and_cannot_be_forged(
    app, locked_link, gallery
):
    other = ShareLinkFactory(gallery=gallery, secret=LINK_PASSWORD)
    token = api_unlock(app, locked_link).json()["access_token"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    for key, link in [(token, other), (forged, locked_link), ("junk", locked_link)]:
        response = APIClient().get(
            api_url("share", link.token), HTTP_X_SHARE_ACCESS=key
        )
        assert response.status_code == 401


def test_a_token_stops_working_after_30_days(app, locked_link, monkeypatch):
    token = api_unlock(app, locked_link).json()["access_token"]
    later = time.time() + 31 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)

    response = APIClient().get(
        api_url("share", locked_link.token), HTTP_X_SHARE_ACCESS=token
    )

    assert response.status_code == 401


def test_too_many_wrong_passwords_are_refused_with_429_even_the_right_one(
    app, locked_link
):
    for _ in range(gate.PASSWORD_ATTEMPTS):
        assert api_unlock(app, locked_link, "guess").status_code == 400

    response = api_unlock(app, locked_link)

    assert response.status_code == 429
    assert "Too many wrong passwords" in response.json()["errors"][0]["detail"]
    assert int(response["Retry-After"]) == gate.PASSWORD_WINDOW
    other_address = APIClient(REMOTE_ADDR="198.51.100.7")
    assert api_unlock(other_address, locked_link).status_code == 200


def test_the_public_api_is_rate_limited_per_address(app, link, monkeypatch):
    monkeypatch.setattr(ShareRateThrottle, "THROTTLE_RATES", {"share": "3/minute"})
    url = api_url("share-photo-list", link.token)

    answers = [app.get(url).status_code for _ in range(3)]
    spoofed = app.get(url, HTTP_X_FORWARDED_FOR="192.0.2.1")  # no proxy trusted

    assert answers == [200, 200, 200]
    assert spoofed.status_code == 429
    assert APIClient(REMOTE_ADDR="198.51.100.7").get(url).status_code == 200
