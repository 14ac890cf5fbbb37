"""A new password, from any door, ends every other session and every API token."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from config.tests.openapi import assert_documented

TOKEN = reverse("api:token_obtain")
REFRESH = reverse("api:token_refresh")
ME = reverse("api:me")
PROFILE = reverse("accounts:profile")
NEW = "a brand new long passphrase"


@pytest.fixture
def tokens(owner, password) -> dict:
    """A token pair the photographer's phone app holds."""
    response = APIClient().post(
        TOKEN, {"email": owner.email, "password": password}, format="json"
    )
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def other_session(owner, password) -> Client:
    """The photographer is also logged in on another computer."""
    browser = Client()
    browser.post(
        reverse("accounts:login"), {"username": owner.email, "password": password}
    )
    assert browser.get(PROFILE).status_code == 200
    return browser


def assert_tokens_ended(tokens):
    api = APIClient()
    refreshed = api.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert refreshed.status_code == 401
    assert refreshed.json()["errors"][0]["code"] == "token_not_valid"
    assert_documented(refreshed)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = api.get(ME)
    assert me.status_code == 401
    assert me.json()["errors"][0]["code"] == "token_not_valid"
    assert_documented(me)


def test_changing_the_password_on_the_page_ends_other_sessions_and_tokens(
    client, owner, password, tokens, other_session
):
    client.post(
        reverse("accounts:login"), {"username": owner.email, "password": password}
    )

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 200
    assert other_session.get(PROFILE).status_code == 302
    assert_tokens_ended(tokens)


def test_changing_the_password_in_the_api_ends_every_token_and_other_sessions(
    owner, password, tokens, other_session
):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    response = api.post(
        reverse("api:password_change"),
        {"old_password": password, "new_password": NEW},
        format="json",
    )

    assert response.status_code == 204
    assert other_session.get(PROFILE).status_code == 302
    assert_tokens_ended(tokens)
    fresh = APIClient().post(
        TOKEN, {"email": owner.email, "password": NEW}, format="json"
    )
    assert fresh.status_code == 200


def test_changing_the_password_through_the_browsable_api_keeps_that_session(
    owner_client, password, other_session
):
    response = owner_client.post(
        reverse("api:password_change"),
        {"old_password": password, "new_password": NEW},
        content_type="application/json",
    )

    assert response.status_code == 204
    assert owner_client.get(PROFILE).status_code == 200
    assert other_session.get(PROFILE).status_code == 302


def test_resetting_the_password_ends_every_session_and_token(
    client, owner, tokens, other_session
):
    client.post(reverse("accounts:password_reset"), {"email": owner.email})
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    )[1]
    form_page = client.get(link, follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 302
    assert other_session.get(PROFILE).status_code == 302
    assert_tokens_ended(tokens)


def test_an_admin_setting_the_password_ends_every_session_and_token(
    client, owner, tokens, other_session
):
    admin = User.objects.create_superuser("admin@proofsheet.test", "admin pass phrase")
    client.force_login(admin)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[owner.pk]),
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW)
    assert other_session.get(PROFILE).status_code == 302
    assert_tokens_ended(tokens)


# --- A deleted account's tokens ---------------------------------------------------------


def test_a_deleted_accounts_refresh_token_is_refused_with_401(owner, tokens):
    owner.delete()

    response = APIClient().post(REFRESH, {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "no_active_account",
                "detail": "No active account found for the given token.",
                "attr": None,
            }
        ],
    }
    assert_documented(response)


def test_a_deleted_accounts_access_token_is_refused_with_a_documented_401(
    owner, tokens
):
    owner.delete()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    response = api.get(ME)

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_not_valid"
    assert_documented(response)


def test_a_disabled_accounts_refresh_token_is_refused_with_401(owner, tokens):
    owner.is_active = False
    owner.save()

    response = APIClient().post(REFRESH, {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "no_active_account"


def test_a_refreshed_token_still_works_until_the_password_changes(owner, tokens):
    rotated = APIClient().post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert rotated.status_code == 200

    owner.set_password(NEW)
    owner.save()

    assert_tokens_ended(rotated.json())
