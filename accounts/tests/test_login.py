import pytest
from django.urls import reverse

URL = reverse("accounts:login")


def test_it_shows_the_login_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert b"Forgot your password?" in response.content


def test_it_logs_in_with_email_in_any_capitalisation(client, owner, password):
    response = client.post(URL, {"username": owner.email.upper(), "password": password})

    assert response.status_code == 302
    assert response["Location"] == reverse("galleries:dashboard")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_it_says_when_the_password_is_wrong(client, owner):
    response = client.post(URL, {"username": owner.email, "password": "nope"})

    assert response.status_code == 200
    assert b"That email and password do not match an account." in response.content


def test_it_follows_a_safe_next_url(client, owner, password):
    response = client.post(
        f"{URL}?next=/accounts/password/",
        {"username": owner.email, "password": password, "next": "/accounts/password/"},
    )
    assert response["Location"] == "/accounts/password/"


def test_it_ignores_a_next_url_on_another_site(client, owner, password):
    response = client.post(
        URL,
        {"username": owner.email, "password": password, "next": "https://evil.test/"},
    )
    assert response["Location"] == reverse("galleries:dashboard")


def test_it_locks_an_account_after_repeated_failures_with_429(
    client, owner, password, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(URL, {"username": owner.email, "password": "wrong"})

    # Even the right password is refused while the account is locked.
    response = client.post(URL, {"username": owner.email, "password": password})

    assert response.status_code == 429
    assert b"Too many failed login attempts" in response.content
    assert response["Retry-After"] == str(15 * 60)
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_it_locks_an_address_that_tries_many_accounts(client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(URL, {"username": f"guess{n}@example.test", "password": "wrong"})

    response = client.post(URL, {"username": "another@example.test", "password": "x"})

    assert response.status_code == 429


def test_other_addresses_can_still_log_in_to_other_accounts(
    client, owner, stranger, password, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            URL, {"username": owner.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.9"
        )

    response = client.post(
        URL, {"username": stranger.email, "password": password}, REMOTE_ADDR="10.0.0.10"
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(client, owner, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(URL, {"username": owner.email, "password": "wrong"})
    client.post(URL, {"username": owner.email, "password": password})
    client.post(reverse("accounts:logout"))

    client.post(URL, {"username": owner.email, "password": "wrong"})
    response = client.post(URL, {"username": owner.email, "password": password})

    assert response.status_code == 302
