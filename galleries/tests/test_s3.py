"""The S3 path against a real S3-compatible server (radosgw, started by bin/services).

Browsers and scripts send photo bytes straight to the bucket with presigned requests;
these tests do exactly that over HTTP, so signatures, expiry and size limits are
checked by a real server, not a mock.
"""

import datetime
import io
import os
import time
import urllib.parse

import pytest
import urllib3
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image
from storages.backends.s3 import S3Storage

from config.lru import LRU
from galleries import filestore, signed_urls, uploads
from galleries.models import Photo
from galleries.tests.conftest import PHOTOS

pytestmark = pytest.mark.services

http = urllib3.PoolManager()


@pytest.fixture(autouse=True)
def s3_storage(settings):
    """Point default storage at the real bucket for these tests."""
    missing = [
        v for v in ("TEST_S3_BUCKET", "AWS_S3_ENDPOINT_URL") if not os.environ.get(v)
    ]
    if missing:
        pytest.fail(
            f"S3 tests need {', '.join(missing)}: run them through bin/test --all"
        )
    settings.USE_S3 = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["TEST_S3_BUCKET"],
                "endpoint_url": os.environ["AWS_S3_ENDPOINT_URL"],
                "region_name": os.environ.get("AWS_S3_REGION_NAME", "us-east-1"),
                "access_key": os.environ["AWS_ACCESS_KEY_ID"],
                "secret_key": os.environ["AWS_SECRET_ACCESS_KEY"],
                "addressing_style": "path",
                "signature_version": "s3v4",
                "querystring_auth": True,
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield
    # Leave the bucket as we found it.
    prefix = "photos/"
    client = default_storage.connection.meta.client
    bucket = default_storage.bucket_name
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=prefix
    ):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])


def _start(api, gallery, data: bytes, filename: str):
    response = api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": filename, "size": len(data)},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def _browser_post(target: dict, data: bytes, filename: str):
    fields = dict(target["fields"])
    fields["file"] = (filename, data, "application/octet-stream")
    return http.request("POST", target["url"], fields=fields)


def _objects() -> list[str]:
    client = default_storage.connection.meta.client
    listing = client.list_objects_v2(
        Bucket=default_storage.bucket_name, Prefix="photos/"
    )
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_a_photo_goes_straight_to_the_bucket_and_is_processed_from_there(
    gallery, owner, owner_api, django_capture_on_commit_callbacks
):
    data = (PHOTOS / "camera" / "canon_hdr_NO.jpg").read_bytes()
    start = _start(owner_api, gallery, data, "canon.jpg")
    assert start["upload"]["method"] == "POST"

    sent = _browser_post(start["upload"], data, "canon.jpg")
    assert sent.status in (200, 204), sent.data
    with django_capture_on_commit_callbacks(execute=True):
        done = owner_api.post(
            reverse("api:upload-complete", args=[start["photo"]["id"]]),
            {},
            format="json",
        )

    assert done.status_code == 200
    photo = Photo.objects.get(pk=start["photo"]["id"])
    assert photo.status == Photo.Status.READY
    assert (photo.width, photo.height) == (1536, 2048)
    assert _objects() == sorted(
        [photo.original.name, *(r["name"] for r in photo.renditions.values())]
    )
    preview = http.request(
        "GET",
        owner_api.get(reverse("api:photo-detail", args=[photo.pk])).json()["urls"][
            "preview.jpeg"
        ],
    )
    assert preview.status == 200
    assert Image.open(io.BytesIO(preview.data)).size == (1536, 2048)


def test_the_original_downloads_from_the_bucket_with_its_filename(
    gallery, owner_api, owner_client, django_capture_on_commit_callbacks
):
    data = (PHOTOS / "camera" / "DSCN0010.jpg").read_bytes()
    start = _start(owner_api, gallery, data, "DSCN0010.jpg")
    _browser_post(start["upload"], data, "DSCN0010.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        owner_api.post(
            reverse("api:upload-complete", args=[start["photo"]["id"]]),
            {},
            format="json",
        )

    location = owner_client.get(
        reverse("galleries:photo_original", args=[start["photo"]["id"]])
    )["Location"]
    download = http.request("GET", location)

    assert location.startswith(os.environ["AWS_S3_ENDPOINT_URL"])
    assert download.data == data
    assert 'filename="DSCN0010.jpg"' in download.headers["Content-Disposition"]


def test_the_bucket_refuses_more_bytes_than_were_reserved(gallery, owner, owner_api):
    data = (PHOTOS / "orientation" / "landscape_1.jpg").read_bytes()
    start = _start(owner_api, gallery, data[:1000], "a.jpg")

    sent = _browser_post(start["upload"], data, "a.jpg")
    done = owner_api.post(
        reverse("api:upload-complete", args=[start["photo"]["id"]]), {}, format="json"
    )

    assert sent.status == 400
    assert done.status_code == 400
    assert "not arrived" in done.json()["errors"][0]["detail"]
    assert _objects() == []


def test_a_tampered_or_expired_signature_is_refused(gallery, owner_api):
    data = (PHOTOS / "orientation" / "landscape_1.jpg").read_bytes()
    start = _start(owner_api, gallery, data, "a.jpg")
    tampered = dict(
        start["upload"],
        fields=dict(start["upload"]["fields"], key="photos/elsewhere.jpg"),
    )

    assert _browser_post(tampered, data, "a.jpg").status == 403
    signed = default_storage.url("photos/nothing.jpg", expire=-10)
    assert http.request("GET", signed).status == 403
    assert _objects() == []


def test_a_large_photo_goes_in_multipart_parts(
    gallery, owner_api, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(uploads, "MULTIPART_THRESHOLD", 5 * 1024 * 1024)
    monkeypatch.setattr(uploads, "PART_SIZE", 5 * 1024 * 1024)
    noise = Image.effect_noise((3000, 2400), 80).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=98)
    data = buffer.getvalue()
    assert len(data) > 6 * 1024 * 1024

    start = _start(owner_api, gallery, data, "big.jpg")
    target = start["upload"]
    assert target["method"] == "MULTIPART"
    assert len(target["part_urls"]) == -(-len(data) // target["part_size"])
    parts = []
    for number, url in enumerate(target["part_urls"], start=1):
        chunk = data[(number - 1) * target["part_size"] : number * target["part_size"]]
        response = http.request("PUT", url, body=chunk)
        assert response.status == 200
        parts.append({"part_number": number, "etag": response.headers["ETag"]})
    with django_capture_on_commit_callbacks(execute=True):
        done = owner_api.post(
            reverse("api:upload-complete", args=[start["photo"]["id"]]),
            {"parts": parts},
            format="json",
        )

    assert done.status_code == 200
    photo = Photo.objects.get(pk=start["photo"]["id"])
    assert photo.status == Photo.Status.READY
    client = default_storage.connection.meta.client
    stored = client.get_object(
        Bucket=default_storage.bucket_name, Key=photo.original.name
    )["Body"].read()
    assert stored == data


def test_deleting_a_gallery_for_good_empties_its_part_of_the_bucket(
    gallery, owner, owner_api, owner_client, django_capture_on_commit_callbacks
):
    data = (PHOTOS / "orientation" / "portrait_1.jpg").read_bytes()
    start = _start(owner_api, gallery, data, "p.jpg")
    _browser_post(start["upload"], data, "p.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        owner_api.post(
            reverse("api:upload-complete", args=[start["photo"]["id"]]),
            {},
            format="json",
        )
    assert _objects()

    stored = _objects()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("galleries:delete", args=[gallery.pk]))
    # In the trash: nothing of it is gone yet, and it still counts.
    assert _objects() == stored
    owner.refresh_from_db()
    assert owner.storage_used > 0

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("galleries:trash_gallery_purge", args=[gallery.pk]))

    assert _objects() == []
    owner.refresh_from_db()
    assert owner.storage_used == 0


def _unfinished_multipart() -> list[str]:
    return sorted(key for key, _, _ in filestore.multipart_uploads("photos/"))


def test_an_abandoned_multipart_upload_leaves_no_parts_row_or_quota(
    gallery, owner, owner_api, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from galleries import recovery

    monkeypatch.setattr(uploads, "MULTIPART_THRESHOLD", 5 * 1024 * 1024)
    monkeypatch.setattr(uploads, "PART_SIZE", 5 * 1024 * 1024)
    data = os.urandom(6 * 1024 * 1024)
    start = _start(owner_api, gallery, data, "big.jpg")
    first_part = start["upload"]["part_urls"][0]
    assert http.request("PUT", first_part, body=data[: 5 * 1024 * 1024]).status == 200
    key = Photo.objects.get(pk=start["photo"]["id"]).original.name
    assert _unfinished_multipart() == [key]

    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=settings.UPLOAD_ABANDONED_AFTER_SECONDS + 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        recovery.recovery_sweep(now=later)

    assert _unfinished_multipart() == []
    assert not Photo.objects.exists()
    owner.refresh_from_db()
    assert owner.storage_used == 0


def test_reconcile_aborts_multipart_uploads_that_no_upload_owns():
    from django.core.management import call_command

    key = "photos/lost/original.jpg"
    filestore.multipart_start(key)
    out = io.StringIO()
    call_command("reconcile_storage", stdout=out)
    assert f"unfinished multipart upload of {key}" in out.getvalue()

    call_command("reconcile_storage", "--fix", stdout=io.StringIO())

    assert _unfinished_multipart() == []


def test_a_confirm_before_the_file_arrived_keeps_the_upload_open(gallery, owner_api):
    data = (PHOTOS / "orientation" / "portrait_1.jpg").read_bytes()
    start = _start(owner_api, gallery, data, "p.jpg")

    done = owner_api.post(
        reverse("api:upload-complete", args=[start["photo"]["id"]]), {}, format="json"
    )

    assert done.status_code == 400
    assert "not arrived" in str(done.json())
    assert Photo.objects.get().status == Photo.Status.UPLOADING


def test_healthz_checks_the_bucket(client):
    body = client.get(reverse("healthz")).json()

    assert body["checks"]["storage"]["ok"] is True


def test_signed_urls_point_at_the_configured_endpoint():
    url = default_storage.url("photos/x.jpg")

    assert (
        urllib.parse.urlsplit(url).netloc
        == urllib.parse.urlsplit(os.environ["AWS_S3_ENDPOINT_URL"]).netloc
    )
    assert "X-Amz-Signature=" in url


def _signed_at_and_life(url: str) -> tuple[datetime.datetime, int]:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    signed_at = datetime.datetime.strptime(
        query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ"
    ).replace(tzinfo=datetime.UTC)
    return signed_at, int(query["X-Amz-Expires"][0])


@pytest.fixture
def stored_rendition():
    name = default_storage.save("photos/cache-test/grid.jpeg", ContentFile(b"tile"))
    signed_urls._s3_urls.clear()
    return name


def test_a_rendition_keeps_one_working_url_across_web_processes(stored_rendition):
    first = signed_urls.file_url(stored_rendition)
    signed_urls._s3_urls.clear()  # what another web process starts with

    again = signed_urls.file_url(stored_rendition)

    assert again == first
    assert http.request("GET", first).data == b"tile"


def test_a_rendition_url_handed_out_stays_valid_for_a_whole_period(stored_rendition):
    url = signed_urls.file_url(stored_rendition)
    signed_at, life = _signed_at_and_life(url)

    expires = signed_at + datetime.timedelta(seconds=life)
    period = default_storage.querystring_expire
    assert expires - datetime.datetime.now(datetime.UTC) >= datetime.timedelta(
        seconds=period - 5
    )
    assert life <= 2 * period


def test_a_rendition_is_signed_anew_when_its_period_is_over(
    stored_rendition, monkeypatch
):
    signed_urls.file_url(stored_rendition)
    signatures = _count_signatures(monkeypatch)
    signed_urls.file_url(stored_rendition)
    assert signatures == []
    later = time.time() + default_storage.querystring_expire
    monkeypatch.setattr(signed_urls.time, "time", lambda: later)

    url = signed_urls.file_url(stored_rendition)

    assert signatures == [(stored_rendition,)]
    assert http.request("GET", url).data == b"tile"


def test_a_process_past_its_bound_of_kept_urls_hands_out_the_same_urls_unsigned(
    monkeypatch,
):
    monkeypatch.setattr(signed_urls, "_s3_urls", LRU(2))
    names = [
        default_storage.save(f"photos/cache-bound/{n}/grid.jpeg", ContentFile(b"tile"))
        for n in range(3)
    ]
    first = [signed_urls.file_url(name) for name in names]
    assert len(signed_urls._s3_urls) == 2  # the first one's URL has gone
    signatures = _count_signatures(monkeypatch)

    again = [signed_urls.file_url(name) for name in names]

    assert again == first
    assert signatures == []
    assert len(signed_urls._s3_urls) == 2
    assert http.request("GET", again[0]).data == b"tile"


def _count_signatures(monkeypatch) -> list:
    signatures = []
    sign = S3Storage.url
    monkeypatch.setattr(
        S3Storage,
        "url",
        lambda storage, *a, **k: signatures.append(a) or sign(storage, *a, **k),
    )
    return signatures
