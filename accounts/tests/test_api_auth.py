import datetime

import pytest
from django.urls import reverse
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import User
from config.tests.openapi import assert_documented

REGISTER = reverse("api:register")
TOKEN = reverse("api:token_obtain")
REFRESH = reverse("api:token_refresh")
LOGOUT = reverse("api:logout")
ME = reverse("api:me")


@pytest.mark.django_db
def test_registering_returns_the_account_and_working_tokens(api_client):
    response = api_client.post(
        REGISTER,
        {
            "email": "api@lens.test",
            "password": "a-long-unusual-passphrase",
            "studio_name": "Lens",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["user"]["email"] == "api@lens.test"
    assert "password" not in response.json()["user"]
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {response.json()['tokens']['access']}"
    )
    assert api_client.get(ME).json()["studio_name"] == "Lens"


@pytest.mark.django_db
def test_registering_a_taken_email_gives_a_field_error(api_client, owner):
    response = api_client.post(
        REGISTER,
        {"email": owner.email.upper(), "password": "a-long-unusual-passphrase"},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert body["errors"][0]["attr"] == "email"
    assert "already exists" in body["errors"][0]["detail"]


@pytest.mark.django_db
def test_registering_with_a_weak_password_lists_every_reason(api_client):
    response = api_client.post(
        REGISTER, {"email": "a@b.test", "password": "1234"}, format="json"
    )

    assert response.status_code == 400
    details = [
        e["detail"] for e in response.json()["errors"] if e["attr"] == "password"
    ]
    assert any("too short" in d for d in details)
    assert any("entirely numeric" in d for d in details)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_malformed_json_is_a_400_not_a_500(api_client):
    response = api_client.post(REGISTER, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


@pytest.mark.django_db
def test_missing_fields_are_reported_by_name(api_client):
    response = api_client.post(REGISTER, {}, format="json")

    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"email", "password"}


def test_a_token_pair_is_issued_for_the_right_password(api_client, owner, password):
    response = api_client.post(
        TOKEN, {"email": owner.email, "password": password}, format="json"
    )

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_a_wrong_password_gets_401_with_a_clear_body(api_client, owner):
    response = api_client.post(
        TOKEN, {"email": owner.email, "password": "nope"}, format="json"
    )

    assert response.status_code == 401
    assert response.json()["type"] == "client_error"


def test_repeated_failures_lock_the_api_login_with_429(
    api_client, owner, password, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(
            TOKEN, {"email": owner.email, "password": "nope"}, format="json"
        )

    response = api_client.post(
        TOKEN, {"email": owner.email, "password": password}, format="json"
    )

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.json()["errors"][0]["detail"]
    assert response["Retry-After"] == str(15 * 60)


def test_failures_in_the_api_and_the_pages_count_together(
    api_client, client, owner, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(
            TOKEN, {"email": owner.email, "password": "nope"}, format="json"
        )

    response = client.post(
        reverse("accounts:login"), {"username": owner.email, "password": "x"}
    )

    assert response.status_code == 429


def test_refreshing_rotates_the_refresh_token_and_retires_the_old_one(
    api_client, owner, password
):
    pair = api_client.post(
        TOKEN, {"email": owner.email, "password": password}, format="json"
    ).json()

    rotated = api_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json")
    reused = api_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json")

    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != pair["refresh"]
    assert reused.status_code == 401


def test_logout_blacklists_the_refresh_token(api_client, owner, password):
    pair = api_client.post(
        TOKEN, {"email": owner.email, "password": password}, format="json"
    ).json()

    response = api_client.post(LOGOUT, {"refresh": pair["refresh"]}, format="json")

    assert response.status_code == 204
    assert (
        api_client.post(
            REFRESH, {"refresh": pair["refresh"]}, format="json"
        ).status_code
        == 401
    )


def test_logout_with_a_garbage_token_is_a_401_not_a_500(api_client, db):
    response = api_client.post(LOGOUT, {"refresh": "garbage"}, format="json")

    assert response.status_code == 401


def test_an_invalid_access_token_is_refused(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    assert api_client.get(ME).status_code == 401


# --- Found by the contract check (bin/contract): answers as documented ------------------


def test_signing_out_with_a_bad_refresh_token_answers_the_documented_401(
    api_client, db
):
    response = api_client.post(LOGOUT, {"refresh": "00"}, format="json")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_not_valid"
    assert_documented(response)


def test_an_expired_access_token_answers_one_documented_error(api_client, owner):
    token = AccessToken.for_user(owner)
    token.set_exp(lifetime=-datetime.timedelta(seconds=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = api_client.get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {"code": "token_not_valid", "detail": "Token is expired", "attr": None}
        ],
    }
    assert_documented(response)


def test_a_malformed_authorization_header_answers_one_documented_error(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer")

    response = api_client.get(ME)

    assert response.status_code == 401
    assert [e["code"] for e in response.json()["errors"]] == ["authentication_failed"]
    assert_documented(response)


def test_a_bad_refresh_token_answers_one_error(api_client, db):
    response = api_client.post(REFRESH, {"refresh": "00"}, format="json")

    assert response.status_code == 401
    assert [e["attr"] for e in response.json()["errors"]] == [None]
    assert_documented(response)
