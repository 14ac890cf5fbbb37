"""Failed logins pause guessers, never another account nor the owner's own browser."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory

LOGIN = reverse("accounts:login")
TOKEN = reverse("api:token_obtain")
PROFILE = reverse("accounts:profile")


@pytest.fixture
def limit(settings) -> int:
    return settings.AXES_FAILURE_LIMIT


def page_login(client, email, password, address="127.0.0.1"):
    return client.post(
        LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address
    )


def api_login(email, password, address="127.0.0.1", **headers):
    return APIClient().post(
        TOKEN,
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=address,
        **headers,
    )


@pytest.fixture
def owners_browser(owner, password) -> Client:
    """The photographer's usual browser: it logged in before, then logged out."""
    browser = Client()
    assert page_login(browser, owner.email, password).status_code == 302
    browser.post(reverse("accounts:logout"))
    return browser


# --- One account's failures never pause another account ---------------------------------


def test_api_failures_on_one_account_never_pause_another_account(
    owner, stranger, password, limit
):
    for _ in range(limit * 3):
        api_login(owner.email, "wrong")

    assert api_login(owner.email, password).status_code == 429
    assert api_login(stranger.email, password).status_code == 200


def test_page_failures_on_one_account_never_pause_another_account(
    client, owner, stranger, password, limit
):
    for _ in range(limit * 3):
        page_login(client, owner.email, "wrong")

    assert page_login(client, owner.email, password).status_code == 429
    assert page_login(Client(), stranger.email, password).status_code == 302


def test_api_failures_from_one_address_do_not_pause_the_account_elsewhere(
    owner, password, limit
):
    for _ in range(limit):
        api_login(owner.email, "wrong", address="203.0.113.7")

    assert api_login(owner.email, password, address="203.0.113.7").status_code == 429
    assert api_login(owner.email, password, address="198.51.100.2").status_code == 200


def test_capitalising_the_email_differently_buys_no_extra_guesses(
    owner, password, limit
):
    for n in range(limit):
        variant = owner.email.upper() if n % 2 else owner.email.title()
        page_login(Client(), variant, "wrong", address=f"198.51.100.{n + 10}")

    assert page_login(Client(), owner.email, password, "192.0.2.1").status_code == 429


@pytest.mark.parametrize("door", ["page", "api"])
def test_an_address_that_fails_on_many_accounts_is_paused(
    client, owner, password, limit, door
):
    for n in range(limit):
        api_login(f"guess{n}@example.test", "Summer2026!")

    response = (
        page_login(client, owner.email, password)
        if door == "page"
        else api_login(owner.email, password)
    )

    assert response.status_code == 429


def test_logging_in_to_ones_own_account_does_not_reset_guesses_at_others(
    owner, stranger, password, limit
):
    # The stranger guesses at the owner's password, logging in to their own account
    # in between to try to wipe the count.
    browser = Client()
    for _ in range(limit):
        page_login(browser, owner.email, "wrong")
        page_login(browser, stranger.email, password)
        browser.post(reverse("accounts:logout"))

    assert page_login(Client(), owner.email, password).status_code == 429


# --- Addresses ---------------------------------------------------------------------------


@pytest.fixture
def behind_a_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return "10.0.0.2"  # the proxy: every request reaches the site from it


def test_behind_the_proxy_each_client_is_counted_by_its_own_address(
    behind_a_proxy, owner, password, limit
):
    for n in range(limit):
        api_login(
            f"guess{n}@example.test",
            "wrong",
            behind_a_proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )

    assert (
        api_login(
            owner.email, password, behind_a_proxy, HTTP_X_FORWARDED_FOR="203.0.113.5"
        ).status_code
        == 429
    )
    assert (
        api_login(
            owner.email, password, behind_a_proxy, HTTP_X_FORWARDED_FOR="198.51.100.9"
        ).status_code
        == 200
    )


def test_an_address_claimed_in_x_forwarded_for_changes_nothing(
    behind_a_proxy, owner, password, limit
):
    for n in range(limit):
        # The client claims a new address each time; the proxy appends the real one.
        api_login(
            owner.email,
            "wrong",
            behind_a_proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5",
        )

    response = api_login(
        owner.email, password, behind_a_proxy, HTTP_X_FORWARDED_FOR="203.0.113.5"
    )

    assert response.status_code == 429


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(owner, password, limit):
    for n in range(limit):
        api_login(owner.email, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert api_login(owner.email, password).status_code == 429


def test_the_addresses_of_one_ipv6_network_count_as_one(owner, password, limit):
    for n in range(limit):
        api_login(owner.email, "wrong", address=f"2001:db8:1:2::{n + 1:x}")

    assert api_login(owner.email, password, "2001:db8:1:2:ffff::1").status_code == 429
    assert api_login(owner.email, password, "2001:db8:1:3::1").status_code == 200


# --- Nobody can pause the owner's own browser ------------------------------------------


def test_a_stranger_on_many_addresses_pauses_unknown_browsers_but_not_the_owners(
    owners_browser, owner, password, limit
):
    for n in range(limit):
        page_login(Client(), owner.email, "wrong", address=f"198.51.100.{n + 10}")

    # A browser the account does not know is paused, from any address...
    assert page_login(Client(), owner.email, password, "192.0.2.1").status_code == 429
    # ...the photographer's own browser is not, and is logged in.
    response = page_login(owners_browser, owner.email, password)
    assert response.status_code == 302
    assert owners_browser.get(PROFILE).status_code == 200


def test_a_stranger_at_the_owners_address_cannot_pause_the_owners_browser(
    owners_browser, owner, password, limit
):
    for _ in range(limit * 2):
        page_login(Client(), owner.email, "wrong")

    assert page_login(Client(), owner.email, password).status_code == 429
    assert page_login(owners_browser, owner.email, password).status_code == 302


def test_the_owners_browser_is_still_paused_by_its_own_failures(
    owners_browser, owner, password, limit
):
    for _ in range(limit):
        page_login(owners_browser, owner.email, "wrong")

    response = page_login(owners_browser, owner.email, password)

    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)


@pytest.mark.parametrize("cookie", ["forged", "another account's"])
def test_only_a_genuine_cookie_for_this_account_lets_a_browser_through(
    owners_browser, owner, password, limit, cookie
):
    attacker = Client()
    if cookie == "forged":
        attacker.cookies["proofsheet_device"] = "eyJ1IjoxfQ:forged:signature"
    else:
        page_login(attacker, UserFactory().email, password)
        attacker.post(reverse("accounts:logout"))
    for n in range(limit):
        page_login(Client(), owner.email, "wrong", address=f"198.51.100.{n + 10}")

    assert page_login(attacker, owner.email, password, "192.0.2.1").status_code == 429


def test_the_owners_browser_is_known_to_each_account_it_logged_in_to(
    owner, stranger, password, limit
):
    shared = Client()
    for user in (owner, stranger):
        page_login(shared, user.email, password)
        shared.post(reverse("accounts:logout"))
    for user in (owner, stranger):
        for n in range(limit):
            page_login(Client(), user.email, "wrong", address=f"198.51.100.{n + 10}")

    for user in (owner, stranger):
        assert page_login(shared, user.email, password).status_code == 302
        shared.post(reverse("accounts:logout"))


def test_signing_up_makes_the_browser_known(client, password, limit):
    client.post(
        reverse("accounts:signup"), {"email": "new@lens.test", "password": password}
    )
    client.post(reverse("accounts:logout"))
    for n in range(limit):
        page_login(Client(), "new@lens.test", "wrong", address=f"198.51.100.{n + 10}")

    assert page_login(client, "new@lens.test", password).status_code == 302


# --- Getting back in ---------------------------------------------------------------------


def test_a_successful_api_login_forgets_that_clients_failures(owner, password, limit):
    for _ in range(limit - 1):
        api_login(owner.email, "wrong")
    assert api_login(owner.email, password).status_code == 200

    for _ in range(limit - 1):
        api_login(owner.email, "wrong")

    assert api_login(owner.email, password).status_code == 200


def test_a_new_password_forgets_the_guesses_at_the_old_one(owner, password, limit):
    for n in range(limit):
        page_login(Client(), owner.email, "wrong", address=f"198.51.100.{n + 10}")
    assert page_login(Client(), owner.email, password).status_code == 429

    owner.set_password("a fresh long passphrase")
    owner.save()

    assert (
        page_login(Client(), owner.email, "a fresh long passphrase").status_code == 302
    )


def test_a_very_long_email_is_refused_like_any_wrong_login(db):
    # The failure is recorded under a key that fits axes' column on every database.
    response = api_login("x" * 1000 + "@example.test", "wrong")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "no_active_account"


def test_only_a_successful_login_makes_a_browser_known(client, owner, password):
    failed = page_login(client, owner.email, "wrong")
    assert "proofsheet_device" not in failed.cookies

    response = page_login(client, owner.email, password)

    cookie = response.cookies["proofsheet_device"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_after_a_new_password_a_browser_that_knew_the_old_one_is_a_stranger(
    owners_browser, owner, limit
):
    # Perhaps an intruder's: the owner resets the password because of them.
    owner.set_password("a fresh long passphrase")
    owner.save()
    for n in range(limit):
        page_login(Client(), owner.email, "wrong", address=f"198.51.100.{n + 10}")

    response = page_login(owners_browser, owner.email, "a fresh long passphrase")

    assert response.status_code == 429


def test_the_browser_that_changed_the_password_stays_known(
    owners_browser, owner, password, limit
):
    page_login(owners_browser, owner.email, password)
    owners_browser.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "a fresh long passphrase",
            "new_password2": "a fresh long passphrase",
        },
    )
    owners_browser.post(reverse("accounts:logout"))
    for n in range(limit):
        page_login(Client(), owner.email, "wrong", address=f"198.51.100.{n + 10}")

    response = page_login(owners_browser, owner.email, "a fresh long passphrase")

    assert response.status_code == 302


def test_failures_on_one_account_in_many_user_agents_never_pause_another(
    owner, stranger, password, limit
):
    for n in range(limit * 2):
        api_login(owner.email, "wrong", HTTP_USER_AGENT=f"guesser/{n}")

    assert api_login(stranger.email, password).status_code == 200
