"""Resuming a ZIP: Range, If-Range and the archive's ETag."""

import datetime
import io
import random
import shutil
import subprocess
import zipfile
import zlib
from datetime import UTC

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from galleries.models import Photo
from galleries.tests.factories import ReadyPhotoFactory
from sharing import zips
from sharing.models import Favourite, ShareLink
from sharing.tests.downloading import (
    counted,
    give_files,
    keep_list,
    streamed,
    unzip,
    zip_url,
)
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory


def _ranged(client, url, header, **more):
    return client.get(url, headers={"Range": header, **more})


@pytest.mark.skipif(shutil.which("unzip") is None, reason="unzip is not installed")
def test_the_zip_passes_unzip_t_with_every_file_intact(
    client, originals_link, files, ceremony, reception, tmp_path
):
    path = tmp_path / "gallery.zip"
    path.write_bytes(streamed(client.get(zip_url(originals_link))))

    tested = subprocess.run(
        ["unzip", "-t", str(path)], capture_output=True, text=True, check=False
    )

    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "No errors detected" in tested.stdout
    assert tested.stdout.count(" OK") == 5


def test_the_same_gallery_zips_to_the_same_bytes_and_etag_every_time(
    client, originals_link, files
):
    first = client.get(zip_url(originals_link))
    first_body = streamed(first)
    second = client.get(zip_url(originals_link))

    assert streamed(second) == first_body
    assert second["ETag"] == first["ETag"]


def test_any_byte_range_of_the_zip_is_exactly_those_bytes_of_the_whole(
    client, originals_link, files
):
    url = zip_url(originals_link)
    whole = streamed(client.get(url))
    size = len(whole)
    chosen = random.Random(11)
    ranges = [(0, 0), (size - 1, size - 1), (0, size - 1)]
    ranges += [sorted(chosen.sample(range(size), 2)) for _ in range(40)]

    for start, end in ranges:
        response = _ranged(client, url, f"bytes={start}-{end}")
        assert response.status_code == 206
        assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
        assert int(response["Content-Length"]) == end - start + 1
        assert streamed(response) == whole[start : end + 1], (start, end)
    assert streamed(_ranged(client, url, "bytes=-100")) == whole[-100:]
    assert streamed(_ranged(client, url, f"bytes={size - 10}-")) == whole[-10:]


def test_a_download_cut_halfway_resumes_from_there_byte_identical_to_a_whole_one(
    client, originals_link, files
):
    url = zip_url(originals_link)
    uninterrupted = streamed(client.get(url))
    cut = client.get(url)
    received = b""
    for chunk in cut.streaming_content:
        received += chunk
        if len(received) >= len(uninterrupted) // 2:
            break  # the worker died here
    # Not cut.close(): in a test that closes the test's own database connection, as
    # Django does when a request has finished; a dead worker never finishes it anyway.
    received = received[: len(uninterrupted) // 2 + 7]

    resumed = _ranged(client, url, f"bytes={len(received)}-", If_Range=cut["ETag"])
    completed = received + streamed(resumed)

    assert resumed.status_code == 206
    assert completed == uninterrupted
    with zipfile.ZipFile(io.BytesIO(completed)) as archive:
        assert archive.testzip() is None


def test_a_resumed_download_is_not_counted_as_another_download(
    client, originals_link, files
):
    url = zip_url(originals_link)
    etag = client.get(url)["ETag"]
    streamed(_ranged(client, url, "bytes=1000-", If_Range=etag))

    assert counted(originals_link, "zip_downloads") == 1


def test_a_range_reads_only_the_photos_it_covers(client, originals_link, files):
    url = zip_url(originals_link)
    whole = streamed(client.get(url))
    with zipfile.ZipFile(io.BytesIO(whole)) as archive:
        last = archive.infolist()[-1]
    # Every photo before the last one is gone from storage: a range from the last
    # one's header on must not need them.
    for photo in list(originals_link.visible_photos())[:-1]:
        default_storage.delete(photo.original.name)

    response = _ranged(client, url, f"bytes={last.header_offset}-")

    assert response.status_code == 206
    assert streamed(response) == whole[last.header_offset :]


@pytest.mark.parametrize("change", ["added", "removed"])
def test_a_changed_gallery_changes_the_etag_and_if_range_gets_the_whole_new_zip(
    client, originals_link, files, ceremony, change
):
    url = zip_url(originals_link)
    before = client.get(url)
    old_body = streamed(before)
    if change == "added":
        photo = ReadyPhotoFactory(gallery=originals_link.gallery, photo_set=ceremony)
        give_files(photo, b"a new photo", b"web")
    else:
        originals_link.visible_photos().last().delete()

    resumed = _ranged(client, url, "bytes=1000-", If_Range=before["ETag"])
    new_body = streamed(resumed)

    assert resumed["ETag"] != before["ETag"]
    assert resumed.status_code == 200
    assert "Content-Range" not in resumed
    assert int(resumed["Content-Length"]) == len(new_body) != len(old_body)
    with zipfile.ZipFile(io.BytesIO(new_body)) as archive:
        assert len(archive.infolist()) == (6 if change == "added" else 4)
    assert counted(originals_link, "zip_downloads") == 2


def test_each_selection_of_a_link_has_its_own_etag(
    client, originals_link, files, reception
):
    mine = FavouriteListFactory(link=originals_link)
    for photo in reception.photos.all():
        Favourite.objects.create(favourite_list=mine, photo=photo)
    keep_list(client, mine)
    other_link = ShareLinkFactory(
        gallery=originals_link.gallery, downloads=ShareLink.Downloads.ORIGINAL
    )

    etags = {
        client.head(zip_url(originals_link))["ETag"],
        client.head(zip_url(originals_link, set=reception.pk))["ETag"],
        client.head(zip_url(originals_link, list=mine.pk))["ETag"],
        client.head(zip_url(other_link))["ETag"],
    }

    assert len(etags) == 4


def test_a_range_beyond_the_end_is_416_naming_the_zips_length(
    client, originals_link, files
):
    url = zip_url(originals_link)
    size = int(client.head(url)["Content-Length"])

    response = _ranged(client, url, f"bytes={size}-")

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert counted(originals_link, "zip_downloads") == 0


def test_several_ranges_at_once_get_the_whole_zip(client, originals_link, files):
    response = _ranged(client, zip_url(originals_link), "bytes=0-9,100-199")

    assert response.status_code == 200
    assert len(streamed(response)) == int(response["Content-Length"])


def test_the_zips_head_names_its_etag_and_accepts_ranges(client, originals_link, files):
    head = client.head(zip_url(originals_link))
    get = client.get(zip_url(originals_link))

    assert head["Accept-Ranges"] == "bytes"
    assert head["ETag"] == get["ETag"]
    assert head.content == b""


def test_if_none_match_the_current_etag_is_304_and_if_match_another_is_412(
    client, originals_link, files
):
    url = zip_url(originals_link)
    etag = client.head(url)["ETag"]

    not_modified = client.get(url, headers={"If-None-Match": etag})
    failed = client.get(url, headers={"If-Match": '"an-older-archive"'})
    matched = client.get(url, headers={"If-Match": etag, "Range": "bytes=0-3"})

    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert failed.status_code == 412
    assert matched.status_code == 206
    assert streamed(matched) == b"PK\x03\x04"
    assert counted(originals_link, "zip_downloads") == 1


def test_a_range_is_refused_wherever_the_whole_zip_is(client, gallery, locked_link):
    no_downloads = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.NONE)

    refused = _ranged(client, zip_url(no_downloads), "bytes=0-")
    locked = _ranged(client, zip_url(locked_link), "bytes=0-")

    assert refused.status_code == 403
    assert locked.status_code == 302


def test_zip_entries_carry_when_each_photo_was_shot_else_when_it_was_uploaded(
    client, originals_link, files
):
    shot, not_shot = list(originals_link.visible_photos())[:2]
    shot.set_taken(datetime.datetime(2024, 6, 1, 14, 3, 9))
    shot.save(update_fields=["taken_at", "taken_offset"])
    Photo.objects.filter(pk=not_shot.pk).update(
        taken_at=None, uploaded_at=datetime.datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC)
    )

    with zipfile.ZipFile(
        io.BytesIO(streamed(client.get(zip_url(originals_link))))
    ) as z:
        times = {
            info.filename.rpartition("/")[2]: info.date_time for info in z.infolist()
        }

    assert times[shot.original_filename] == (2024, 6, 1, 14, 3, 8)  # 2 s steps
    assert times[not_shot.original_filename] == (2025, 2, 3, 4, 5, 6)


@pytest.mark.parametrize("downloads", ["original", "web"])
def test_a_photo_processed_before_checksums_were_kept_still_zips_and_keeps_one(
    client, gallery, files, downloads
):
    link = ShareLinkFactory(gallery=gallery, downloads=downloads)
    photo = link.visible_photos().first()
    Photo.objects.filter(pk=photo.pk).update(
        crc32=None,
        renditions={
            key: {k: v for k, v in value.items() if k != "crc32"}
            for key, value in photo.renditions.items()
        },
    )

    unpacked = unzip(client.get(zip_url(link)))

    assert len(unpacked) == 5
    photo.refresh_from_db()
    original, web = files[photo.original_filename]
    assert photo.crc32 == zlib.crc32(original)
    if downloads == "web":
        assert photo.renditions[zips.WEB_RENDITION]["crc32"] == zlib.crc32(web)


def test_a_photo_whose_file_changed_size_stops_the_zip_short(
    client, originals_link, files
):
    photo = originals_link.visible_photos().first()
    default_storage.delete(photo.original.name)
    default_storage.save(photo.original.name, ContentFile(b"not the same file"))

    response = client.get(zip_url(originals_link))

    with pytest.raises(zips.ArchiveBroken):
        streamed(response)
