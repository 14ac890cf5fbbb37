"""A link that asks for the visitor's email, through the visitor API: an app gives the
address, gets a personal token, and goes on through it as a browser would."""

import pytest

from sharing.models import Recipient, ShareLink
from sharing.tests.visitor_api import api_unlock, api_url, error_codes


@pytest.fixture
def asking_link(link):
    link.registration = ShareLink.Registration.VIEW
    link.save()
    return link


def register(app, link, email="Guest@Example.test", **headers):
    return app.post(
        api_url("share-register", link.token),
        {"email": email},
        format="json",
        **headers,
    )


def test_an_app_is_told_to_register_and_sees_the_gallery_through_its_personal_token(
    app, asking_link, files
):
    refused = app.get(api_url("share-photo-list", asking_link.token))
    assert refused.status_code == 403
    assert error_codes(refused) == ["registration_required"]

    answer = register(app, asking_link)

    assert answer.status_code == 200, answer.content
    token = answer.json()["token"]
    assert token != asking_link.token
    assert answer.json()["url"].endswith(f"/api/v1/share/{token}/")
    assert answer.json()["page_url"].endswith(f"/s/{token}/")
    photos = app.get(api_url("share-photo-list", token))
    assert photos.status_code == 200
    assert len(photos.json()["results"]) == len(files)
    recipient = Recipient.objects.get()
    assert recipient.email == "guest@example.test"
    assert recipient.source == Recipient.Source.REGISTERED


def test_the_same_address_given_twice_gets_the_same_token(app, asking_link):
    first = register(app, asking_link).json()["token"]
    again = register(app, asking_link, email="guest@example.test ").json()["token"]

    assert again == first
    assert Recipient.objects.count() == 1


def test_an_invalid_address_is_refused_in_words_and_creates_nothing(app, asking_link):
    answer = register(app, asking_link, email="not an address")

    assert answer.status_code == 400
    assert error_codes(answer) == ["invalid"]
    assert "valid email" in answer.json()["errors"][0]["detail"]
    assert not Recipient.objects.exists()


def test_a_revoked_address_cannot_register_again(app, asking_link):
    token = register(app, asking_link).json()["token"]
    Recipient.objects.filter(token=token).update(revoked_at="2026-01-01T00:00Z")

    answer = register(app, asking_link)

    assert answer.status_code == 400
    assert error_codes(answer) == ["revoked"]
    assert app.get(api_url("share", token)).status_code == 404


def test_a_link_that_asks_for_nothing_says_so(app, link):
    answer = register(app, link)

    assert answer.status_code == 400
    assert error_codes(answer) == ["no_registration"]
    assert not Recipient.objects.exists()


def test_a_password_link_must_be_unlocked_before_the_address_is_given(app, locked_link):
    locked_link.registration = ShareLink.Registration.VIEW
    locked_link.save()

    assert register(app, locked_link).status_code == 401
    assert not Recipient.objects.exists()

    access = api_unlock(app, locked_link).json()["access_token"]
    answer = register(app, locked_link, HTTP_X_SHARE_ACCESS=access)
    assert answer.status_code == 200, answer.content


def test_a_link_asking_before_downloads_lets_an_app_register_while_browsing(
    app, link, files
):
    link.registration = ShareLink.Registration.DOWNLOAD
    link.save()
    assert app.get(api_url("share-photo-list", link.token)).status_code == 200

    answer = register(app, link)

    assert answer.status_code == 200
    assert Recipient.objects.get().token == answer.json()["token"]
