"""Renditions from a CDN (CloudFront signed URLs), offline: what a browser is handed
for a photo's pictures, and what still comes from the bucket."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from django.core.cache import cache

from galleries import signed_urls
from galleries.tests.cdn import (
    CDN,
    CDN_DOMAIN,
    PERIOD,
    S3_ENDPOINT,
    cdn_on,  # noqa: F401  (fixture)
    cloudfront_key,  # noqa: F401  (fixture)
    verify_cloudfront_url,
)

RENDITION = "photos/3f1c/9a2e/grid.webp"
ORIGINAL = "photos/3f1c/9a2e/original.jpg"


# Every test here runs with the CDN serving renditions.
pytestmark = pytest.mark.usefixtures("cdn_on")


def _fresh_process():
    """What another web process starts with: nothing kept, nothing shared."""
    signed_urls._s3_urls.clear()
    cache.clear()


def test_a_rendition_url_is_a_cloudfront_url_that_verifies_with_the_public_key(
    cloudfront_key,  # noqa: F811
):
    now = time.time()
    url = signed_urls.file_url(RENDITION)

    assert url.startswith(f"{CDN}/{RENDITION}?")
    expires = verify_cloudfront_url(url, cloudfront_key.public_key(), now)
    # Valid at least a whole window from now, at most two: like a presigned URL.
    assert now + PERIOD - 1 <= expires <= now + 2 * PERIOD + 1


TAMPERINGS = {
    "another file": lambda url: url.replace("grid.webp", "original.jpg"),
    "another photo": lambda url: url.replace("9a2e", "9a2f"),
    "a later expiry": lambda url: url.replace("&Signature=", "0&Signature="),
    "another host": lambda url: url.replace(CDN_DOMAIN, "d2222.cloudfront.net"),
}


@pytest.mark.parametrize("tamper", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_a_tampered_rendition_url_fails_verification(
    cloudfront_key,  # noqa: F811
    tamper,
):
    public_key, now = cloudfront_key.public_key(), time.time()
    url = signed_urls.file_url(RENDITION)
    assert verify_cloudfront_url(url, public_key, now)

    with pytest.raises(InvalidSignature):
        verify_cloudfront_url(tamper(url), public_key, now)


def test_an_expired_rendition_url_fails_verification(cloudfront_key):  # noqa: F811
    url = signed_urls.file_url(RENDITION)
    expires = int(parse_qs(urlsplit(url).query)["Expires"][0])

    with pytest.raises(InvalidSignature):
        verify_cloudfront_url(url, cloudfront_key.public_key(), expires + 1)


def test_every_web_process_hands_out_the_same_rendition_url_for_a_window():
    first = signed_urls.file_url(RENDITION)
    _fresh_process()

    again = signed_urls.file_url(RENDITION)

    assert again == first


def test_the_next_window_gets_a_new_url_signed_to_live_longer(
    cloudfront_key,  # noqa: F811
    monkeypatch,
):
    first = signed_urls.file_url(RENDITION)
    later = time.time() + PERIOD
    monkeypatch.setattr(signed_urls.time, "time", lambda: later)

    url = signed_urls.file_url(RENDITION)

    assert url != first
    expires = verify_cloudfront_url(url, cloudfront_key.public_key(), later)
    assert expires > int(parse_qs(urlsplit(first).query)["Expires"][0])
    assert expires >= later + PERIOD - 1


def test_a_photos_renditions_are_signed_together_for_a_page():
    names = [f"photos/3f1c/9a2e/{key}" for key in ("grid.webp", "preview.jpeg")]

    urls = signed_urls.warm_s3_urls(names)

    assert [urlsplit(urls[name]).path for name in names] == [f"/{n}" for n in names]
    assert all(url.startswith(CDN) for url in urls.values())


def test_downloads_stay_presigned_by_the_bucket_with_their_filename():
    url = signed_urls.file_url(RENDITION, download_as="Anna & Ben 001.jpg")

    assert url.startswith(f"{S3_ENDPOINT}/proofsheet-media/{RENDITION}?")
    query = parse_qs(urlsplit(url).query)
    assert "X-Amz-Signature" in query
    assert "Anna" in query["response-content-disposition"][0]
    assert CDN_DOMAIN not in url


def test_an_original_never_goes_through_the_cdn():
    assert signed_urls.file_url(ORIGINAL).startswith(f"{S3_ENDPOINT}/")
    assert signed_urls.file_url(ORIGINAL, download_as="IMG_1.jpg").startswith(
        f"{S3_ENDPOINT}/"
    )
