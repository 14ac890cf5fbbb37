"""The policy allows the media bucket, and only it, wherever photos are stored.

With media on S3 the browser loads renditions from the bucket and uploads to it
(presigned POST, multipart PUT): a policy that forgot the bucket would show a gallery
of grey boxes and refuse every upload. The URLs checked are the ones django-storages
and botocore really hand out for each kind of bucket, signed locally (no network).
"""

from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from storages.backends.s3 import S3Storage

from config.csp import media_sources

S3 = "storages.backends.s3.S3Storage"


def _s3(**options):
    return {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": "proofsheet-media",
            "access_key": "AKIDEXAMPLE",
            "secret_key": "not-a-real-secret",
            "signature_version": "s3v4",
            "querystring_auth": True,
            **options,
        },
    }


def _allowed(url: str, sources) -> bool:
    """Whether a CSP source list lets the browser fetch `url` (origins and paths)."""
    parts = urlsplit(url)
    for source in sources:
        allowed = urlsplit(source)
        if (allowed.scheme, allowed.netloc) != (parts.scheme, parts.netloc):
            continue
        path = allowed.path
        if not path or (path.endswith("/") and parts.path.startswith(path)):
            return True
        if path == parts.path:
            return True
    return False


def _policy(response) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (
            part.split() for part in response["Content-Security-Policy"].split(";")
        )
    }


BUCKETS = {
    "AWS": _s3(),
    "AWS in a region, virtual hosts": _s3(
        region_name="eu-west-1", addressing_style="virtual"
    ),
    "AWS, path style": _s3(region_name="eu-west-1", addressing_style="path"),
    "S3-compatible server, path style": _s3(
        endpoint_url="http://127.0.0.1:7480", addressing_style="path"
    ),
    "S3-compatible server, virtual hosts": _s3(
        endpoint_url="https://s3.example.com", addressing_style="virtual"
    ),
    "custom domain for pictures": _s3(
        endpoint_url="https://s3.example.com",
        addressing_style="path",
        custom_domain="photos.example.com",
    ),
}


@pytest.mark.parametrize("storage", BUCKETS.values(), ids=BUCKETS.keys())
def test_the_policy_allows_every_url_the_bucket_hands_the_browser(storage):
    bucket = S3Storage(**storage["OPTIONS"])
    client, key = bucket.connection.meta.client, "photos/ab/IMG_0001.jpg"
    urls = {
        "rendition": bucket.url(key),
        "presigned POST": client.generate_presigned_post(
            Bucket="proofsheet-media", Key=key
        )["url"],
        "multipart part": client.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": "proofsheet-media",
                "Key": key,
                "UploadId": "u1",
                "PartNumber": 1,
            },
        ),
    }
    sources = media_sources(storage)

    assert {
        what: _allowed(url, sources) for what, url in urls.items()
    } == dict.fromkeys(urls, True)


def test_a_path_style_bucket_on_a_shared_host_allows_that_bucket_only():
    sources = media_sources(BUCKETS["S3-compatible server, path style"])

    assert _allowed("http://127.0.0.1:7480/proofsheet-media/photos/a.jpg", sources)
    assert not _allowed("http://127.0.0.1:7480/someone-elses-bucket/x", sources)


def test_media_on_the_local_disk_needs_no_other_origin(client):
    policy = _policy(client.get(reverse("home")))

    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["connect-src"] == ["'self'"]


def test_with_media_on_s3_pages_allow_the_bucket_for_pictures_and_uploads(
    client, settings
):
    storage = _s3(endpoint_url="https://s3.example.com", addressing_style="path")

    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        policy = _policy(client.get(reverse("home")))

    bucket = "https://s3.example.com/proofsheet-media/"
    assert bucket in policy["img-src"]
    assert bucket in policy["connect-src"]
    assert "'self'" in policy["img-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
