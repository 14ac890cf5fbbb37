"""Wrong link passwords: a guest's typos never lock out another guest at the same
address, and a guesser who drops its cookie on every try is slowed to a crawl, the
same on the password page and through the API, across web processes."""

import os
import uuid

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from config.client_address import address_group
from sharing import gate, password_attempts, services
from sharing.password_attempts import ADDRESS_PACE, LINK_PACE, PleaseWait
from sharing.tests.conftest import LINK_PASSWORD

VENUE = "203.0.113.50"


def unlock_url(link):
    return reverse("sharing:unlock", args=[link.token])


def gallery_url(link):
    return reverse("sharing:gallery", args=[link.token])


def api_unlock_url(link):
    return reverse("api:share-unlock", args=[link.token])


def guest() -> Client:
    """A browser at the venue: its own cookies, the venue's one address."""
    return Client(REMOTE_ADDR=VENUE)


def app() -> APIClient:
    return APIClient(REMOTE_ADDR=VENUE)


@pytest.fixture
def clock(monkeypatch):
    """Time that only moves when a test says so (the cache's expiry follows it)."""
    import time

    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])

    class Clock:
        def advance(self, seconds: float) -> None:
            now[0] += seconds

    return Clock()


# --- Guests sharing one address -------------------------------------------------------


def test_one_guests_wrong_tries_never_stop_another_guest_at_the_same_address(
    locked_link,
):
    clumsy = guest()
    for _ in range(gate.PASSWORD_ATTEMPTS):
        clumsy.post(unlock_url(locked_link), {"password": "guess"})
    assert (
        clumsy.post(unlock_url(locked_link), {"password": LINK_PASSWORD}).status_code
        == 429
    )

    other = guest()
    response = other.post(unlock_url(locked_link), {"password": LINK_PASSWORD})

    assert response.status_code == 302
    assert other.get(gallery_url(locked_link)).status_code == 200


def test_one_apps_wrong_tries_never_stop_another_app_at_the_same_address(
    locked_link,
):
    clumsy = app()
    for _ in range(gate.PASSWORD_ATTEMPTS):
        assert (
            clumsy.post(api_unlock_url(locked_link), {"password": "guess"}).status_code
            == 400
        )
    assert (
        clumsy.post(
            api_unlock_url(locked_link), {"password": LINK_PASSWORD}
        ).status_code
        == 429
    )

    response = app().post(api_unlock_url(locked_link), {"password": LINK_PASSWORD})

    assert response.status_code == 200
    assert response.json()["access_token"]


def test_a_wedding_of_guests_with_typos_all_get_in_at_once(locked_link):
    for _ in range(ADDRESS_PACE.free // 3):
        browser = guest()
        for typo in ("open sesam", "Open sesame", "opensesame"):
            assert (
                browser.post(unlock_url(locked_link), {"password": typo}).status_code
                == 400
            )
        response = browser.post(unlock_url(locked_link), {"password": LINK_PASSWORD})
        assert response.status_code == 302
        assert browser.get(gallery_url(locked_link)).status_code == 200


def test_the_right_password_clears_its_browsers_count(locked_link):
    browser = guest()
    for _ in range(gate.PASSWORD_ATTEMPTS - 1):
        browser.post(unlock_url(locked_link), {"password": "guess"})
    assert (
        browser.post(unlock_url(locked_link), {"password": LINK_PASSWORD}).status_code
        == 302
    )

    # Locked again by a new password, the browser starts from zero wrong tries.
    services.link_update(link=locked_link, password="a new password")
    for _ in range(gate.PASSWORD_ATTEMPTS):
        assert (
            browser.post(unlock_url(locked_link), {"password": "guess"}).status_code
            == 400
        )


def test_a_guests_right_password_does_not_refill_a_guessers_budget(locked_link, clock):
    for _ in range(ADDRESS_PACE.free):
        guest().post(unlock_url(locked_link), {"password": "guess"})
    assert (
        guest().post(unlock_url(locked_link), {"password": LINK_PASSWORD}).status_code
        == 302
    )

    clock.advance(1)
    response = guest().post(unlock_url(locked_link), {"password": "guess"})

    assert response.status_code == 429


def test_sending_the_form_empty_costs_a_guest_no_try(locked_link):
    browser = guest()
    for _ in range(gate.PASSWORD_ATTEMPTS + 5):
        response = browser.post(unlock_url(locked_link), {"password": ""})
        assert response.status_code == 400
        assert "That password is not right" in response.content.decode()

    assert (
        browser.post(unlock_url(locked_link), {"password": LINK_PASSWORD}).status_code
        == 302
    )


# --- A guesser that drops its cookie on every try ---------------------------------------


def test_a_guesser_dropping_cookies_is_paced_and_told_how_long_to_wait(
    locked_link, clock
):
    for _ in range(ADDRESS_PACE.free):
        response = guest().post(unlock_url(locked_link), {"password": "guess"})
        assert response.status_code == 400
    # Past the free budget: one try per turn; the first takes the turn.
    assert guest().post(unlock_url(locked_link), {"password": "guess"}).status_code == (
        400
    )

    early = guest()
    response = early.post(unlock_url(locked_link), {"password": LINK_PASSWORD})

    assert response.status_code == 429
    assert response["Retry-After"] == str(ADDRESS_PACE.first_wait)
    text = response.content.decode()
    assert f"Please wait {ADDRESS_PACE.first_wait} seconds" in text
    assert 'type="password"' in text  # the form again, to try once the wait is over
    assert early.get(gallery_url(locked_link)).status_code == 302

    clock.advance(ADDRESS_PACE.first_wait)
    response = early.post(unlock_url(locked_link), {"password": LINK_PASSWORD})
    assert response.status_code == 302
    assert early.get(gallery_url(locked_link)).status_code == 200


def test_the_api_paces_a_guesser_exactly_as_the_password_page_does(locked_link, clock):
    for _ in range(ADDRESS_PACE.free + 1):
        app().post(api_unlock_url(locked_link), {"password": "guess"})

    response = app().post(api_unlock_url(locked_link), {"password": LINK_PASSWORD})

    assert response.status_code == 429
    assert response["Retry-After"] == str(ADDRESS_PACE.first_wait)
    assert "Please wait 5 seconds" in response.json()["errors"][0]["detail"]
    assert "access_token" not in response.content.decode()
    # The pages and the API count together: the page is paced now too.
    assert guest().post(unlock_url(locked_link), {"password": "x"}).status_code == 429

    clock.advance(ADDRESS_PACE.first_wait)
    assert (
        app().post(api_unlock_url(locked_link), {"password": LINK_PASSWORD}).status_code
        == 200
    )


def test_a_flood_of_cookie_less_tries_waiting_their_turn_stores_no_sessions(
    locked_link,
):
    from django.contrib.sessions.models import Session

    for _ in range(ADDRESS_PACE.free + 1):
        guest().post(unlock_url(locked_link), {"password": "guess"})
    sessions = Session.objects.count()

    for _ in range(20):
        response = guest().post(unlock_url(locked_link), {"password": "guess"})
        assert response.status_code == 429

    assert Session.objects.count() == sessions


def _guesses_in_a_day(link, clock, address_of) -> int:
    """Tries a tireless guesser gets checked in 24 hours, a fresh browser each time,
    coming back exactly when told."""
    checked, elapsed, n = 0, 0.0, 0
    while elapsed < 24 * 3600:
        n += 1
        try:
            password_attempts.attempt(
                link, browser=f"b{n}", address=address_of(n), check=lambda: False
            )
            checked += 1
        except PleaseWait as wait:
            clock.advance(wait.retry_after)
            elapsed += wait.retry_after
    return checked


def test_a_guesser_at_one_address_gets_fewer_than_400_tries_a_day(locked_link, clock):
    assert _guesses_in_a_day(locked_link, clock, lambda n: VENUE) < 400


def test_a_guesser_rotating_through_its_ipv6_block_is_one_address(locked_link, clock):
    def address(n):
        return f"2001:db8:1:2::{n:x}"

    assert _guesses_in_a_day(locked_link, clock, address) < 400


def test_guessers_at_many_addresses_get_fewer_than_3700_tries_a_day(locked_link, clock):
    def address(n):
        return f"198.51.{n // 250 % 250}.{n % 250}"

    assert _guesses_in_a_day(locked_link, clock, address) < 3700


def test_a_try_before_its_turn_is_not_even_checked(locked_link):
    checked = []

    def check():
        checked.append(1)
        return False

    for n in range(ADDRESS_PACE.free + 1):
        password_attempts.attempt(
            locked_link, browser=f"b{n}", address=VENUE, check=check
        )
    with pytest.raises(PleaseWait):
        password_attempts.attempt(
            locked_link, browser="late", address=VENUE, check=check
        )
    assert len(checked) == ADDRESS_PACE.free + 1


def test_the_waits_double_up_to_their_longest():
    assert ADDRESS_PACE.wait(ADDRESS_PACE.free - 1) == 0
    assert ADDRESS_PACE.wait(ADDRESS_PACE.free) == 5
    assert ADDRESS_PACE.wait(ADDRESS_PACE.free + 10) == 10
    assert ADDRESS_PACE.wait(ADDRESS_PACE.free + 10_000) == 300
    assert LINK_PACE.wait(LINK_PACE.free + 10**9) == 30


def test_an_address_is_counted_by_itself_or_its_ipv6_block():
    group = address_group
    assert group("203.0.113.9") == "203.0.113.9"
    assert group("2001:db8:1:2::1") == group("2001:db8:1:2:ffff::9")
    assert group("2001:db8:1:2::1") != group("2001:db8:1:3::1")
    assert group("::ffff:203.0.113.9") == "203.0.113.9"
    assert group("") is None


# --- Several web processes ----------------------------------------------------------------


def _two_processes(monkeypatch, first, second):
    """Requests alternately answered by two processes that share only `first`'s and
    `second`'s store."""
    answering = [first, second]

    def switch():
        answering.reverse()
        monkeypatch.setattr(password_attempts, "cache", answering[0])

    return switch


def _lockout_across(locked_link, switch):
    browser = guest()
    for _ in range(gate.PASSWORD_ATTEMPTS):
        switch()
        assert (
            browser.post(unlock_url(locked_link), {"password": "guess"}).status_code
            == 400
        )
    switch()
    return browser.post(unlock_url(locked_link), {"password": LINK_PASSWORD})


def test_two_web_processes_on_one_shared_store_count_the_same_tries(
    locked_link, monkeypatch, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "password_tries": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "password_tries",
        },
    }
    call_command("createcachetable", "password_tries", verbosity=0)
    switch = _two_processes(
        monkeypatch,
        DatabaseCache("password_tries", {}),
        DatabaseCache("password_tries", {}),
    )

    assert _lockout_across(locked_link, switch).status_code == 429


@pytest.mark.services
def test_two_web_processes_on_redis_count_the_same_tries(locked_link, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL")
    # A prefix of its own: the Redis is shared, so nothing else is read or cleared.
    options = {"KEY_PREFIX": f"test-password-tries-{uuid.uuid4()}"}
    switch = _two_processes(
        monkeypatch, RedisCache(url, options), RedisCache(url, options)
    )

    assert _lockout_across(locked_link, switch).status_code == 429


def test_a_deployment_whose_cache_is_per_process_is_warned(settings):
    from sharing.checks import shared_cache_for_password_limits

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert [w.id for w in shared_cache_for_password_limits()] == ["sharing.W001"]

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://cache.internal:6379/0",
        }
    }
    assert shared_cache_for_password_limits() == []
