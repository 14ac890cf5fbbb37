"""Fixtures shared by every app's tests: the fixed cast and a clean world per test."""

import socket

import pytest
from django.core.cache import cache

from accounts.tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _database(db):
    """Every test may use the database (rolled back after it): pages always do."""


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Every test gets its own empty media folder (unless the suite runs on S3)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached pages must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


def closed_port() -> int:
    """A loopback port nothing listens on (it was free a moment ago): what a stopped
    service looks like to the site."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The site's Redis cache backend, pointed at a Redis that is not running."""
    from config import cache as fail_soft

    fail_soft.outages.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    yield
    fail_soft.outages.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def owner(db):
    """The photographer whose things a test is about."""
    return UserFactory(email="olivia@studio.test", studio_name="Olivia Studio")


@pytest.fixture
def stranger(db):
    """Another photographer, who must never see or touch the owner's things."""
    return UserFactory(email="sam@elsewhere.test")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(client, stranger):
    client.force_login(stranger)
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def _jwt_client(user):
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}"
    )
    return api


@pytest.fixture
def owner_api(owner):
    return _jwt_client(owner)


@pytest.fixture
def stranger_api(stranger):
    return _jwt_client(stranger)
