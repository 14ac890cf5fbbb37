import pytest
from django.urls import reverse

ME = reverse("api:me")
PASSWORD = reverse("api:password_change")
DELETE = reverse("api:account_delete")


def test_me_shows_the_photographers_own_account_and_quota(owner_api, owner):
    body = owner_api.get(ME).json()

    assert body["email"] == owner.email
    assert body["storage_quota"] == owner.storage_quota
    assert body["storage_available"] == owner.storage_quota


def test_me_updates_studio_name(owner_api, owner):
    response = owner_api.patch(ME, {"studio_name": "North Light"}, format="json")

    assert response.status_code == 200
    assert response.json()["studio_name"] == "North Light"
    owner.refresh_from_db()
    assert owner.studio_name == "North Light"


def test_me_cannot_raise_its_own_quota_or_usage(owner_api, owner):
    owner_api.patch(ME, {"storage_quota": 10**15, "storage_used": 0}, format="json")

    owner.refresh_from_db()
    assert owner.storage_quota < 10**15


def test_me_refuses_an_email_someone_else_has(owner_api, stranger, password):
    response = owner_api.patch(
        ME, {"email": stranger.email, "current_password": password}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "email"


def test_me_changes_the_email_with_the_current_password(owner_api, owner, password):
    response = owner_api.patch(
        ME, {"email": "o@north.test", "current_password": password}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["email"] == "o@north.test"
    assert "current_password" not in response.json()
    owner.refresh_from_db()
    assert owner.email == "o@north.test"


@pytest.mark.parametrize("extra", [{}, {"current_password": "not it"}])
def test_me_refuses_to_change_the_email_without_the_current_password(
    owner_api, owner, extra
):
    response = owner_api.patch(
        ME,
        {"email": "thief@elsewhere.test", "studio_name": "X", **extra},
        format="json",
    )

    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["current_password"]
    owner.refresh_from_db()
    assert (owner.email, owner.studio_name) == ("olivia@studio.test", "Olivia Studio")


def test_me_works_with_the_session_cookie_for_the_browsable_api(owner_client):
    response = owner_client.get(ME, HTTP_ACCEPT="application/json")

    assert response.status_code == 200


@pytest.mark.parametrize("url", [ME, PASSWORD, DELETE])
def test_anonymous_callers_are_refused_with_401(api_client, db, url):
    response = (
        api_client.post(url, {}, format="json") if url != ME else api_client.get(url)
    )

    assert response.status_code == 401
    assert response.json()["type"] == "client_error"


def test_changing_password_needs_the_current_one(owner_api, owner, password):
    response = owner_api.post(
        PASSWORD,
        {"old_password": "wrong", "new_password": "another long phrase"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "old_password"
    owner.refresh_from_db()
    assert owner.check_password(password)


def test_changing_password_reports_a_weak_one_on_new_password(owner_api, password):
    response = owner_api.post(
        PASSWORD, {"old_password": password, "new_password": "123"}, format="json"
    )

    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"new_password"}


def test_changing_password_works(owner_api, owner, password):
    response = owner_api.post(
        PASSWORD,
        {"old_password": password, "new_password": "another long phrase"},
        format="json",
    )

    assert response.status_code == 204
    owner.refresh_from_db()
    assert owner.check_password("another long phrase")


def test_deleting_the_account_needs_the_password(owner_api, owner):
    response = owner_api.post(DELETE, {"password": "wrong"}, format="json")

    assert response.status_code == 400
    owner.refresh_from_db()


def test_deleting_the_account_removes_only_the_caller(
    owner_api, owner, stranger, password
):
    from accounts.models import User

    response = owner_api.post(DELETE, {"password": password}, format="json")

    assert response.status_code == 204
    assert list(User.objects.all()) == [stranger]
