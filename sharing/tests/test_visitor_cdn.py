"""A visitor's gallery with renditions served from a CDN (CloudFront signed URLs),
offline: the pictures come from the CDN, the downloads still from the bucket."""

import html
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from galleries.tests.cdn import (
    CDN,
    S3_ENDPOINT,
    cdn_on,  # noqa: F401  (fixture)
    cloudfront_key,  # noqa: F401  (fixture)
    verify_cloudfront_url,
)
from sharing.tests.visitor_api import api_url

# Every test here runs with the CDN serving renditions.
pytestmark = pytest.mark.usefixtures("cdn_on")


def _policy(response) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (
            part.split() for part in response["Content-Security-Policy"].split(";")
        )
    }


def test_an_app_gets_every_picture_from_the_cdn_signed_for_that_photo(
    app,
    originals_link,
    cloudfront_key,  # noqa: F811
):
    photos = app.get(api_url("share-photo-list", originals_link.token)).json()

    urls = [u for photo in photos["results"] for u in photo["renditions"].values()]
    assert len(urls) == 5 * len(photos["results"][0]["renditions"])
    for url in urls:
        assert url.startswith(f"{CDN}/photos/")
        verify_cloudfront_url(url, cloudfront_key.public_key(), time.time())


@pytest.mark.parametrize("size", ["web", "original"])
def test_a_download_still_comes_from_the_bucket_with_its_filename(
    app, originals_link, size
):
    photo = app.get(api_url("share-photo-list", originals_link.token)).json()
    download = photo["results"][0]["downloads"][size]

    response = app.get(download)

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{S3_ENDPOINT}/proofsheet-media/photos/")
    query = parse_qs(urlsplit(location).query)
    assert "X-Amz-Signature" in query
    assert query["response-content-disposition"][0].startswith("attachment;")


def test_the_gallery_page_shows_cdn_pictures_and_its_policy_allows_them(
    client,
    link,
    cloudfront_key,  # noqa: F811
):
    response = client.get(reverse("sharing:gallery", args=[link.token]))

    assert response.status_code == 200
    page = response.content.decode()
    pictures = {html.unescape(u) for u in re.findall(rf"{CDN}/[^\s\"',]+", page)}
    assert len(pictures) >= 5 * 2
    for url in pictures:
        verify_cloudfront_url(url, cloudfront_key.public_key(), time.time())
    assert "X-Amz-Signature" not in page
    policy = _policy(response)
    assert CDN in policy["img-src"]
    assert CDN not in policy["connect-src"]
