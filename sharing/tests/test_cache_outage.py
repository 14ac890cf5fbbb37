"""Redis down: every page and API answer that does not need the cache keeps working.

The cache is the real Redis backend pointed at a loopback port where nothing listens,
which is what a stopped Redis looks like to the site."""

import logging
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from sharing.tests.conftest import LINK_PASSWORD


@pytest.fixture
def s3_signing(settings):
    """Photos on S3, so their URLs are presigned (offline: signing needs no server)
    and shared between processes through the cache."""
    settings.USE_S3 = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "outage-test",
                "endpoint_url": "http://127.0.0.1:9",
                "region_name": "us-east-1",
                "access_key": "key",
                "secret_key": "secret",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "querystring_auth": True,
                "querystring_expire": 3600,
            },
        },
    }


def test_the_share_api_answers_while_redis_is_down(redis_down, link):
    response = APIClient().get(reverse("api:share", args=[link.token]))

    assert response.status_code == 200
    assert response.json()["title"] == "Anna & Ben"


def test_the_share_photos_api_signs_urls_while_redis_is_down(
    link, s3_signing, redis_down
):
    response = APIClient().get(reverse("api:share-photo-list", args=[link.token]))

    assert response.status_code == 200
    first = response.json()["results"][0]
    assert "X-Amz-Signature=" in first["renditions"]["grid.jpeg"]


def test_the_gallery_page_and_the_dashboard_work_while_redis_is_down(
    redis_down, link, owner_client
):
    assert owner_client.get(reverse("galleries:dashboard")).status_code == 200
    assert (
        owner_client.get(reverse("sharing:gallery", args=[link.token])).status_code
        == 200
    )


def test_the_right_link_password_opens_the_gallery_while_redis_is_down(
    redis_down, locked_link, client
):
    gate = reverse("sharing:unlock", args=[locked_link.token])
    # More wrong tries than a browser may make: with no shared counter none is
    # counted, so the right one after them is not refused (guessing fails open).
    for _ in range(12):
        assert client.post(gate, {"password": "wrong"}).status_code == 400

    response = client.post(gate, {"password": LINK_PASSWORD})

    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_a_dead_redis_costs_milliseconds_and_one_warning(redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="config.cache")
    started = time.monotonic()
    for number in range(200):
        cache.set(f"k{number}", number)
        assert cache.get(f"k{number}") is None
        assert cache.get_many([f"k{number}"]) == {}
        assert cache.add(f"a{number}", 1) is False
        with pytest.raises(ValueError, match="unreachable"):
            cache.incr(f"k{number}")

    assert time.monotonic() - started < 1
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()
