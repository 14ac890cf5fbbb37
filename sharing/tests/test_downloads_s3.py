"""Downloads through a share link with photos in a real bucket (radosgw, bin/services).

A single photo must come straight from the bucket, named by the presigned URL's
Content-Disposition; a ZIP is read from the bucket a chunk at a time and must unpack
to the exact bytes.
"""

import io
import os
import random
import zipfile

import pytest
import urllib3
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from galleries.tests.test_s3 import s3_storage  # noqa: F401  (autouse: the bucket)
from sharing import zips
from sharing.models import ShareLink
from sharing.tests.factories import ShareLinkFactory

pytestmark = pytest.mark.services

http = urllib3.PoolManager()


def test_the_photos_really_are_in_the_bucket(files, gallery):
    photo = gallery.photos.first()
    client = default_storage.connection.meta.client

    stored = client.get_object(
        Bucket=default_storage.bucket_name, Key=photo.original.name
    )["Body"].read()

    assert stored == files[photo.original_filename][0]


def test_an_original_comes_straight_from_the_bucket_with_its_filename(
    client, gallery, files
):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)
    photo = link.visible_photos().first()

    response = client.get(
        reverse("sharing:photo_download", args=[link.token, photo.pk])
        + "?size=original"
    )
    location = response["Location"]
    download = http.request("GET", location)

    assert response.status_code == 302
    assert location.startswith(os.environ["AWS_S3_ENDPOINT_URL"])
    assert "X-Amz-Signature=" in location
    assert download.status == 200
    assert download.data == files[photo.original_filename][0]
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert (
        f'filename="{photo.original_filename}"'
        in (download.headers["Content-Disposition"])
    )


def test_a_web_size_photo_comes_from_the_bucket_named_after_the_original(
    client, link, files
):
    photo = link.visible_photos().first()

    location = client.get(
        reverse("sharing:photo_download", args=[link.token, photo.pk]) + "?size=web"
    )["Location"]
    download = http.request("GET", location)

    assert download.data == files[photo.original_filename][1]
    # The fixture's originals are .jpg, so the web-size copy keeps the very same name.
    assert (
        f'filename="{photo.original_filename}"'
        in (download.headers["Content-Disposition"])
    )


def test_a_zip_from_the_bucket_unpacks_to_the_exact_bytes(client, gallery, files):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)

    response = client.get(reverse("sharing:zip", args=[link.token]))
    body = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(body)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.testzip() is None
        unpacked = {
            info.filename.rpartition("/")[2]: archive.read(info)
            for info in archive.infolist()
        }
    assert unpacked == {name: original for name, (original, _) in files.items()}


def test_a_zip_stops_short_when_a_file_is_missing_from_the_bucket(
    client, gallery, files
):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)
    default_storage.delete(link.visible_photos().last().original.name)

    response = client.get(reverse("sharing:zip", args=[link.token]))

    with pytest.raises(zips.ArchiveBroken):
        b"".join(response.streaming_content)


def test_a_zip_from_the_bucket_resumes_byte_identical_reading_only_what_is_left(
    client, gallery, files
):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)
    url = reverse("sharing:zip", args=[link.token])
    whole = client.get(url)
    uninterrupted = b"".join(whole.streaming_content)
    with zipfile.ZipFile(io.BytesIO(uninterrupted)) as archive:
        last = archive.infolist()[-1]
    cut_at = last.header_offset + 100  # inside the last photo's bytes
    # The photos before the last one leave the bucket: resuming must not need them.
    for photo in list(link.visible_photos())[:-1]:
        default_storage.delete(photo.original.name)

    resumed = client.get(
        url, headers={"Range": f"bytes={cut_at}-", "If-Range": whole["ETag"]}
    )

    assert resumed.status_code == 206
    assert resumed["Content-Range"] == (
        f"bytes {cut_at}-{len(uninterrupted) - 1}/{len(uninterrupted)}"
    )
    assert uninterrupted[:cut_at] + b"".join(resumed.streaming_content) == (
        uninterrupted
    )


def test_any_range_of_a_zip_from_the_bucket_is_those_bytes_of_the_whole(
    client, gallery, files
):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.WEB)
    url = reverse("sharing:zip", args=[link.token])
    whole = b"".join(client.get(url).streaming_content)
    chosen = random.Random(3)

    for _ in range(12):
        start, end = sorted(chosen.sample(range(len(whole)), 2))
        response = client.get(url, headers={"Range": f"bytes={start}-{end}"})
        assert response.status_code == 206
        assert b"".join(response.streaming_content) == whole[start : end + 1]


def test_a_zip_stops_short_when_a_file_in_the_bucket_is_not_its_recorded_size(
    client, gallery, files
):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)
    url = reverse("sharing:zip", args=[link.token])
    with zipfile.ZipFile(io.BytesIO(b"".join(client.get(url).streaming_content))) as z:
        last = z.infolist()[-1]
    photo = link.visible_photos().last()
    default_storage.delete(photo.original.name)
    default_storage.save(photo.original.name, ContentFile(b"another file"))

    response = client.get(url, headers={"Range": f"bytes={last.header_offset + 99}-"})

    with pytest.raises(zips.ArchiveBroken):
        b"".join(response.streaming_content)
