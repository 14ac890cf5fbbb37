"""Downloads through a share link with photos in a real bucket (radosgw, bin/services).

A single photo must come straight from the bucket, named by the presigned URL's
Content-Disposition; a ZIP is read from the bucket a chunk at a time and must unpack
to the exact bytes.
"""

import io
import os
import zipfile

import pytest
import urllib3
from django.core.files.storage import default_storage
from django.urls import reverse

from galleries.tests.test_s3 import s3_storage  # noqa: F401  (autouse: the bucket)
from sharing import zips
from sharing.models import ShareLink
from sharing.tests.factories import ShareLinkFactory
from sharing.tests.test_downloads import SAMPLES, give_files

pytestmark = pytest.mark.services

http = urllib3.PoolManager()


@pytest.fixture
def files(gallery) -> dict[str, tuple[bytes, bytes]]:
    """The shared gallery's photos, their files in the bucket: {name: (original, web)}."""
    stored = {}
    for photo, sample in zip(gallery.photos.all(), SAMPLES, strict=False):
        original = sample.read_bytes()
        preview = b"web-size " + original[: len(original) // 3]
        give_files(photo, original, preview)
        stored[photo.original_filename] = (original, preview)
    return stored


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
