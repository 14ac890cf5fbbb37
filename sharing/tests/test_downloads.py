"""Downloads through a share link: single photos and streamed ZIPs, with real files."""

import datetime
import io
import logging
import random
import shutil
import subprocess
import zipfile
import zlib
from datetime import UTC
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from galleries import filestore
from galleries.models import Photo
from galleries.tests import conftest as galleries_fixtures
from galleries.tests.conftest import PHOTOS
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory
from sharing import gate, services, zips
from sharing.models import Favourite, LinkDay, ShareLink
from sharing.tests.conftest import LINK_PASSWORD
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory

# The galleries app's upload flow, for the test that goes the whole way.
upload = galleries_fixtures.upload
upload_file = galleries_fixtures.upload_file

SAMPLES = sorted((PHOTOS / "orientation").glob("*.jpg"))


def give_files(photo: Photo, original: bytes, preview: bytes) -> Photo:
    """Store real bytes as a photo's original and its web-size preview, with their
    checksums, as processing does."""
    folder = filestore.photo_dir(photo)
    photo.original.name = default_storage.save(
        filestore.original_name(photo, photo.original_filename), ContentFile(original)
    )
    photo.size = len(original)
    photo.crc32 = zlib.crc32(original)
    photo.renditions = {
        **photo.renditions,
        zips.WEB_RENDITION: {
            **photo.renditions.get(zips.WEB_RENDITION, {}),
            "name": default_storage.save(f"{folder}/preview.jpg", ContentFile(preview)),
            "bytes": len(preview),
            "crc32": zlib.crc32(preview),
        },
    }
    photo.save(update_fields=["original", "size", "crc32", "renditions"])
    return photo


@pytest.fixture
def files(gallery) -> dict[str, tuple[bytes, bytes]]:
    """Every photo of the shared gallery with real files: {filename: (original, web)}."""
    stored = {}
    for photo, sample in zip(gallery.photos.all(), SAMPLES, strict=False):
        original = sample.read_bytes()
        preview = b"web-size " + original[: len(original) // 3]
        give_files(photo, original, preview)
        stored[photo.original_filename] = (original, preview)
    return stored


@pytest.fixture
def originals_link(gallery):
    return ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)


def _zip_url(link, **query) -> str:
    url = reverse("sharing:zip", args=[link.token])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def _download_url(link, photo, size=None) -> str:
    url = reverse("sharing:photo_download", args=[link.token, photo.pk])
    return f"{url}?size={size}" if size else url


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _unzip(response) -> dict[str, bytes]:
    assert response.status_code == 200, response.content
    with zipfile.ZipFile(io.BytesIO(_body(response))) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _unlock(client, link) -> None:
    session = client.session
    session[gate.SESSION_KEY] = {str(link.id): gate.unlock_key(link)}
    session.save()


def _keep_list(client, favourite_list) -> None:
    """What the favourites views do when a visitor starts a list in this browser."""
    session = client.session
    session["favourite_lists"] = {str(favourite_list.link_id): favourite_list.token}
    session.save()


def _counted(link, counter: str) -> int:
    return sum(LinkDay.objects.filter(link=link).values_list(counter, flat=True))


# --- The gallery as a ZIP ---------------------------------------------------------------


def test_the_gallery_zip_unpacks_to_files_byte_identical_to_the_originals(
    client, originals_link, files
):
    unpacked = _unzip(client.get(_zip_url(originals_link)))

    assert len(unpacked) == 5
    by_name = {path.rpartition("/")[2]: data for path, data in unpacked.items()}
    assert by_name == {name: original for name, (original, _) in files.items()}


def test_a_gallery_with_several_sets_unpacks_into_one_folder_per_set(
    client, originals_link, files, ceremony, reception
):
    unpacked = _unzip(client.get(_zip_url(originals_link)))

    expected = [
        f"{photo.photo_set.name}/{photo.original_filename}"
        for photo in originals_link.visible_photos().select_related("photo_set")
    ]
    assert list(unpacked) == expected
    assert sum(name.startswith("Ceremony/") for name in unpacked) == 3
    assert sum(name.startswith("Reception/") for name in unpacked) == 2


def test_the_zip_announces_its_exact_length_and_name_before_the_first_byte(
    client, originals_link, files
):
    response = client.get(_zip_url(originals_link))
    body = _body(response)

    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert int(response["Content-Length"]) == len(body)
    assert response["Content-Disposition"] == 'attachment; filename="Anna & Ben.zip"'
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"].startswith('"')


def test_zip_entries_are_stored_not_deflated(client, originals_link, files):
    response = client.get(_zip_url(originals_link))

    with zipfile.ZipFile(io.BytesIO(_body(response))) as archive:
        infos = archive.infolist()
    assert infos
    assert {info.compress_type for info in infos} == {zipfile.ZIP_STORED}
    assert all(info.compress_size == info.file_size for info in infos)


def test_a_large_photo_streams_in_chunks_never_whole(client, originals_link, gallery):
    big = bytes(range(256)) * (12 * 1024 + 7)  # ~3 MB
    for photo in gallery.photos.all():
        give_files(photo, big + photo.original_filename.encode(), b"web")

    response = client.get(_zip_url(originals_link))
    sizes = [len(chunk) for chunk in response.streaming_content]

    assert sum(sizes) == int(response["Content-Length"])
    assert sum(sizes) > 5 * len(big)
    assert max(sizes) <= filestore.CHUNK_SIZE


def test_zip_names_are_unique_and_safe_to_unpack(client, originals_link, ceremony):
    gallery = originals_link.gallery
    gallery.photos.all().delete()
    names = [
        "IMG_0001.jpg",
        "IMG_0001.jpg",
        "img_0001.JPG",
        "../../etc/passwd.jpg",
        "..\\..\\boot.ini.jpg",
        "evil\x1bname.jpg",
        "\u202egpj.exe",  # a right-to-left override that disguises ".exe"
        "CON.jpg",
        "  .hidden.jpg",
        "a" * 240 + ".jpg",
    ]
    for name in names:
        photo = ReadyPhotoFactory(
            gallery=gallery, photo_set=ceremony, original_filename=name
        )
        give_files(photo, name.encode() * 3, b"web")

    unpacked = _unzip(client.get(_zip_url(originals_link)))

    assert list(unpacked) == [
        "IMG_0001.jpg",
        "IMG_0001 (2).jpg",
        "img_0001 (3).JPG",
        "_.._etc_passwd.jpg",
        "_.._boot.ini.jpg",
        "evilname.jpg",
        "gpj.exe",
        "_CON.jpg",
        "hidden.jpg",
        "a" * 146 + ".jpg",
    ]
    assert all(data.startswith(b"web") is False for data in unpacked.values())


def test_one_set_downloads_alone_without_a_folder(
    client, originals_link, files, reception
):
    response = client.get(_zip_url(originals_link, set=reception.pk))
    unpacked = _unzip(response)

    assert sorted(unpacked) == sorted(
        p.original_filename for p in reception.photos.all()
    )
    assert "Anna & Ben - Reception.zip" in response["Content-Disposition"]


def test_a_set_the_link_hides_or_of_another_gallery_is_refused(
    client, gallery, ceremony, reception, other_gallery, files
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])

    assert client.get(_zip_url(link, set=reception.pk)).status_code == 404
    other_set = other_gallery.sets.first()
    assert client.get(_zip_url(link, set=other_set.pk)).status_code == 404
    assert client.get(_zip_url(link, set="not-a-uuid")).status_code == 404


def test_a_link_limited_to_one_set_zips_only_that_set(client, gallery, ceremony, files):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)
    link.sets.set([ceremony])

    unpacked = _unzip(client.get(_zip_url(link)))

    assert sorted(unpacked) == sorted(
        p.original_filename for p in ceremony.photos.all()
    )


def test_a_favourites_zip_holds_exactly_the_visitors_favourites(
    client, originals_link, files, ceremony, reception
):
    mine = FavouriteListFactory(link=originals_link, name="Emma")
    hearted = [ceremony.photos.first(), reception.photos.first()]
    for photo in hearted:
        Favourite.objects.create(favourite_list=mine, photo=photo)
    theirs = FavouriteListFactory(link=originals_link, name="Parents")
    Favourite.objects.create(favourite_list=theirs, photo=ceremony.photos.last())
    _keep_list(client, mine)

    response = client.get(_zip_url(originals_link, list=mine.pk))
    unpacked = _unzip(response)

    assert {name.rpartition("/")[2] for name in unpacked} == {
        p.original_filename for p in hearted
    }
    assert "Anna & Ben - Favourites.zip" in response["Content-Disposition"]


def test_someone_elses_favourites_list_cannot_be_downloaded(
    client, originals_link, files
):
    theirs = FavouriteListFactory(link=originals_link, name="Parents")
    Favourite.objects.create(
        favourite_list=theirs, photo=originals_link.visible_photos().first()
    )
    other_link = ShareLinkFactory(
        gallery=originals_link.gallery, downloads=ShareLink.Downloads.ORIGINAL
    )
    elsewhere = FavouriteListFactory(link=other_link)
    _keep_list(client, elsewhere)

    assert client.get(_zip_url(originals_link, list=theirs.pk)).status_code == 404
    assert client.get(_zip_url(originals_link, list=elsewhere.pk)).status_code == 404
    assert client.get(_zip_url(originals_link, list="nope")).status_code == 404


def test_an_empty_favourites_list_says_there_is_nothing_to_download(
    client, originals_link, files
):
    mine = FavouriteListFactory(link=originals_link)
    _keep_list(client, mine)

    response = client.get(_zip_url(originals_link, list=mine.pk))

    assert response.status_code == 404
    assert b"no photos to download" in response.content


def test_without_original_rights_the_zip_holds_web_size_copies(client, link, files):
    assert link.downloads == ShareLink.Downloads.WEB

    unpacked = _unzip(client.get(_zip_url(link)))

    by_name = {path.rpartition("/")[2]: data for path, data in unpacked.items()}
    assert by_name == {
        name.removesuffix(".jpg") + ".jpg": web for name, (_, web) in files.items()
    }


def test_a_missing_file_stops_the_zip_short_of_its_length_and_is_logged(
    client, originals_link, files, caplog
):
    lost = originals_link.visible_photos()[2]
    default_storage.delete(lost.original.name)

    response = client.get(_zip_url(originals_link))
    received = []

    def read_all():
        for chunk in response.streaming_content:
            received.append(chunk)

    with (
        caplog.at_level(logging.ERROR, logger="sharing.zips"),
        pytest.raises(zips.ArchiveBroken),
    ):
        read_all()

    assert len(b"".join(received)) < int(response["Content-Length"])
    assert lost.original.name in caplog.text


def test_a_zip_of_a_large_gallery_costs_a_fixed_number_of_queries(
    client, originals_link, ceremony, django_assert_max_num_queries
):
    for _ in range(60):
        ReadyPhotoFactory(gallery=originals_link.gallery, photo_set=ceremony)

    with django_assert_max_num_queries(8):
        response = client.get(_zip_url(originals_link))

    assert response.status_code == 200
    assert int(response["Content-Length"]) > 65 * 1_000_000


@pytest.mark.django_db(transaction=True)
def test_a_streaming_zip_gives_its_database_connection_back_before_the_first_byte(
    client, originals_link, files, monkeypatch
):
    # (An in-memory SQLite database ignores close(), so watch for the call itself.)
    closed = []
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))

    response = client.get(_zip_url(originals_link))
    assert closed == []
    chunks = iter(response.streaming_content)
    first = next(chunks)

    assert closed == [True]
    assert len(first + b"".join(chunks)) == int(response["Content-Length"])


def test_asking_for_the_zip_head_only_answers_its_size_without_counting(
    client, originals_link, files
):
    head = client.head(_zip_url(originals_link))
    get = client.get(_zip_url(originals_link))

    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == get["Content-Length"]
    assert _counted(originals_link, "zip_downloads") == 1


def test_every_zip_download_is_counted(client, originals_link, files):
    client.get(_zip_url(originals_link))
    client.get(_zip_url(originals_link))

    assert _counted(originals_link, "zip_downloads") == 2
    assert _counted(originals_link, "downloads") == 0


# --- Resuming: Range, If-Range and the archive's ETag -----------------------------------


def _ranged(client, url, header, **more):
    return client.get(url, headers={"Range": header, **more})


@pytest.mark.skipif(shutil.which("unzip") is None, reason="unzip is not installed")
def test_the_zip_passes_unzip_t_with_every_file_intact(
    client, originals_link, files, ceremony, reception, tmp_path
):
    path = tmp_path / "gallery.zip"
    path.write_bytes(_body(client.get(_zip_url(originals_link))))

    tested = subprocess.run(
        ["unzip", "-t", str(path)], capture_output=True, text=True, check=False
    )

    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "No errors detected" in tested.stdout
    assert tested.stdout.count(" OK") == 5


def test_the_same_gallery_zips_to_the_same_bytes_and_etag_every_time(
    client, originals_link, files
):
    first = client.get(_zip_url(originals_link))
    first_body = _body(first)
    second = client.get(_zip_url(originals_link))

    assert _body(second) == first_body
    assert second["ETag"] == first["ETag"]


def test_any_byte_range_of_the_zip_is_exactly_those_bytes_of_the_whole(
    client, originals_link, files
):
    url = _zip_url(originals_link)
    whole = _body(client.get(url))
    size = len(whole)
    chosen = random.Random(11)
    ranges = [(0, 0), (size - 1, size - 1), (0, size - 1)]
    ranges += [sorted(chosen.sample(range(size), 2)) for _ in range(40)]

    for start, end in ranges:
        response = _ranged(client, url, f"bytes={start}-{end}")
        assert response.status_code == 206
        assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
        assert int(response["Content-Length"]) == end - start + 1
        assert _body(response) == whole[start : end + 1], (start, end)
    assert _body(_ranged(client, url, "bytes=-100")) == whole[-100:]
    assert _body(_ranged(client, url, f"bytes={size - 10}-")) == whole[-10:]


def test_a_download_cut_halfway_resumes_from_there_byte_identical_to_a_whole_one(
    client, originals_link, files
):
    url = _zip_url(originals_link)
    uninterrupted = _body(client.get(url))
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
    completed = received + _body(resumed)

    assert resumed.status_code == 206
    assert completed == uninterrupted
    with zipfile.ZipFile(io.BytesIO(completed)) as archive:
        assert archive.testzip() is None


def test_a_resumed_download_is_not_counted_as_another_download(
    client, originals_link, files
):
    url = _zip_url(originals_link)
    etag = client.get(url)["ETag"]
    _body(_ranged(client, url, "bytes=1000-", If_Range=etag))

    assert _counted(originals_link, "zip_downloads") == 1


def test_a_range_reads_only_the_photos_it_covers(client, originals_link, files):
    url = _zip_url(originals_link)
    whole = _body(client.get(url))
    with zipfile.ZipFile(io.BytesIO(whole)) as archive:
        last = archive.infolist()[-1]
    # Every photo before the last one is gone from storage: a range from the last
    # one's header on must not need them.
    for photo in list(originals_link.visible_photos())[:-1]:
        default_storage.delete(photo.original.name)

    response = _ranged(client, url, f"bytes={last.header_offset}-")

    assert response.status_code == 206
    assert _body(response) == whole[last.header_offset :]


@pytest.mark.parametrize("change", ["added", "removed"])
def test_a_changed_gallery_changes_the_etag_and_if_range_gets_the_whole_new_zip(
    client, originals_link, files, ceremony, change
):
    url = _zip_url(originals_link)
    before = client.get(url)
    old_body = _body(before)
    if change == "added":
        photo = ReadyPhotoFactory(gallery=originals_link.gallery, photo_set=ceremony)
        give_files(photo, b"a new photo", b"web")
    else:
        originals_link.visible_photos().last().delete()

    resumed = _ranged(client, url, "bytes=1000-", If_Range=before["ETag"])
    new_body = _body(resumed)

    assert resumed["ETag"] != before["ETag"]
    assert resumed.status_code == 200
    assert "Content-Range" not in resumed
    assert int(resumed["Content-Length"]) == len(new_body) != len(old_body)
    with zipfile.ZipFile(io.BytesIO(new_body)) as archive:
        assert len(archive.infolist()) == (6 if change == "added" else 4)
    assert _counted(originals_link, "zip_downloads") == 2


def test_each_selection_of_a_link_has_its_own_etag(
    client, originals_link, files, reception
):
    mine = FavouriteListFactory(link=originals_link)
    for photo in reception.photos.all():
        Favourite.objects.create(favourite_list=mine, photo=photo)
    _keep_list(client, mine)
    other_link = ShareLinkFactory(
        gallery=originals_link.gallery, downloads=ShareLink.Downloads.ORIGINAL
    )

    etags = {
        client.head(_zip_url(originals_link))["ETag"],
        client.head(_zip_url(originals_link, set=reception.pk))["ETag"],
        client.head(_zip_url(originals_link, list=mine.pk))["ETag"],
        client.head(_zip_url(other_link))["ETag"],
    }

    assert len(etags) == 4


def test_a_range_beyond_the_end_is_416_naming_the_zips_length(
    client, originals_link, files
):
    url = _zip_url(originals_link)
    size = int(client.head(url)["Content-Length"])

    response = _ranged(client, url, f"bytes={size}-")

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert _counted(originals_link, "zip_downloads") == 0


def test_several_ranges_at_once_get_the_whole_zip(client, originals_link, files):
    response = _ranged(client, _zip_url(originals_link), "bytes=0-9,100-199")

    assert response.status_code == 200
    assert len(_body(response)) == int(response["Content-Length"])


def test_the_zips_head_names_its_etag_and_accepts_ranges(client, originals_link, files):
    head = client.head(_zip_url(originals_link))
    get = client.get(_zip_url(originals_link))

    assert head["Accept-Ranges"] == "bytes"
    assert head["ETag"] == get["ETag"]
    assert head.content == b""


def test_if_none_match_the_current_etag_is_304_and_if_match_another_is_412(
    client, originals_link, files
):
    url = _zip_url(originals_link)
    etag = client.head(url)["ETag"]

    not_modified = client.get(url, headers={"If-None-Match": etag})
    failed = client.get(url, headers={"If-Match": '"an-older-archive"'})
    matched = client.get(url, headers={"If-Match": etag, "Range": "bytes=0-3"})

    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert failed.status_code == 412
    assert matched.status_code == 206
    assert _body(matched) == b"PK\x03\x04"
    assert _counted(originals_link, "zip_downloads") == 1


def test_a_range_is_refused_wherever_the_whole_zip_is(client, gallery, locked_link):
    no_downloads = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.NONE)

    refused = _ranged(client, _zip_url(no_downloads), "bytes=0-")
    locked = _ranged(client, _zip_url(locked_link), "bytes=0-")

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

    with zipfile.ZipFile(io.BytesIO(_body(client.get(_zip_url(originals_link))))) as z:
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

    unpacked = _unzip(client.get(_zip_url(link)))

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

    response = client.get(_zip_url(originals_link))

    with pytest.raises(zips.ArchiveBroken):
        _body(response)


# --- One photo --------------------------------------------------------------------------


def _follow(client, response):
    """Fetch the signed URL a download redirected to, as the browser would."""
    assert response.status_code == 302, response.content
    return client.get(response["Location"])


def test_an_original_downloads_with_its_own_name_and_exact_bytes(
    client, originals_link, files
):
    photo = originals_link.visible_photos().first()

    served = _follow(
        client, client.get(_download_url(originals_link, photo, "original"))
    )

    assert served.status_code == 200
    assert b"".join(served.streaming_content) == files[photo.original_filename][0]
    assert served["Content-Disposition"] == (
        f'attachment; filename="{photo.original_filename}"'
    )


def test_a_cut_photo_download_resumes_with_range_where_it_stopped(
    client, originals_link, files
):
    photo = originals_link.visible_photos().first()
    original = files[photo.original_filename][0]
    location = client.get(_download_url(originals_link, photo, "original"))["Location"]
    whole = client.get(location)
    half = len(original) // 2

    resumed = client.get(
        location, headers={"Range": f"bytes={half}-", "If-Range": whole["ETag"]}
    )
    stale = client.get(
        location, headers={"Range": f"bytes={half}-", "If-Range": '"old"'}
    )

    assert whole["Accept-Ranges"] == "bytes"
    assert resumed.status_code == 206
    assert (
        resumed["Content-Range"] == f"bytes {half}-{len(original) - 1}/{len(original)}"
    )
    assert original[:half] + b"".join(resumed.streaming_content) == original
    assert resumed["Content-Disposition"] == whole["Content-Disposition"]
    assert stale.status_code == 200
    assert b"".join(stale.streaming_content) == original


def test_a_web_size_download_is_the_preview_named_after_the_original(
    client, link, gallery, ceremony
):
    photo = ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, original_filename="IMG_0042.HEIC"
    )
    give_files(photo, b"heic bytes", b"jpeg preview bytes")

    served = _follow(client, client.get(_download_url(link, photo, "web")))

    assert b"".join(served.streaming_content) == b"jpeg preview bytes"
    assert served["Content-Disposition"] == 'attachment; filename="IMG_0042.jpg"'


def test_without_a_size_the_best_allowed_one_downloads(
    client, link, originals_link, files
):
    photo = link.visible_photos().first()
    original, web = files[photo.original_filename]

    from_web_link = _follow(client, client.get(_download_url(link, photo)))
    from_originals_link = _follow(
        client, client.get(_download_url(originals_link, photo))
    )

    assert b"".join(from_web_link.streaming_content) == web
    assert b"".join(from_originals_link.streaming_content) == original


def test_a_web_size_link_refuses_originals(client, link, files):
    photo = link.visible_photos().first()

    response = client.get(_download_url(link, photo, "original"))

    assert response.status_code == 403
    assert b"web-size downloads only" in response.content
    assert _counted(link, "downloads") == 0


def test_an_unknown_size_is_a_clear_bad_request(client, originals_link, files):
    photo = originals_link.visible_photos().first()

    response = client.get(_download_url(originals_link, photo, "huge"))

    assert response.status_code == 400
    assert b'"web" or "original"' in response.content


def test_every_photo_download_is_counted(client, originals_link, files):
    photos = list(originals_link.visible_photos()[:2])

    for photo in photos:
        client.get(_download_url(originals_link, photo, "original"))
    client.get(_download_url(originals_link, photos[0], "web"))

    assert _counted(originals_link, "downloads") == 3
    assert _counted(originals_link, "zip_downloads") == 0


def test_a_photo_of_another_gallery_a_hidden_set_or_still_processing_is_refused(
    client, gallery, ceremony, reception, other_gallery, files
):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)
    link.sets.set([ceremony])
    processing = ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, status=Photo.Status.PROCESSING
    )

    for photo in (
        other_gallery.photos.first(),
        reception.photos.first(),
        processing,
    ):
        response = client.get(_download_url(link, photo, "original"))
        assert response.status_code == 404
    assert _counted(link, "downloads") == 0


# --- Links that show nothing ------------------------------------------------------------


def _every_download(link) -> list[str]:
    photo = link.gallery.photos.first()
    return [
        _download_url(link, photo, "original"),
        _download_url(link, photo, "web"),
        _zip_url(link),
    ]


def test_a_link_without_downloads_refuses_single_photos_and_zips(
    client, gallery, files
):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.NONE)

    for url in _every_download(link):
        response = client.get(url)
        assert response.status_code == 403
        assert b"does not allow downloads" in response.content
    assert _counted(link, "downloads") + _counted(link, "zip_downloads") == 0


def test_an_expired_link_downloads_nothing_and_says_it_has_expired(
    client, originals_link, files
):
    originals_link.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    originals_link.save(update_fields=["expires_at"])

    for url in _every_download(originals_link):
        response = client.get(url)
        assert response.status_code == 410
        assert b"expired" in response.content
        assert not response.streaming
        assert not any(original in response.content for original, _ in files.values())
    assert _counted(originals_link, "downloads") == 0


def test_a_disabled_or_unknown_link_downloads_nothing(client, originals_link, files):
    originals_link.is_active = False
    originals_link.save(update_fields=["is_active"])
    photo = originals_link.gallery.photos.first()

    for url in _every_download(originals_link):
        assert client.get(url).status_code == 404
    assert client.get(reverse("sharing:zip", args=["no-such-link"])).status_code == 404
    assert (
        client.get(
            reverse("sharing:photo_download", args=["no-such-link", photo.pk])
        ).status_code
        == 404
    )


def test_a_locked_link_asks_for_its_password_before_any_download(
    client, locked_link, files
):
    locked_link.downloads = ShareLink.Downloads.ORIGINAL
    locked_link.save(update_fields=["downloads"])
    unlock = reverse("sharing:unlock", args=[locked_link.token])

    for url in _every_download(locked_link):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(unlock)
    assert _counted(locked_link, "downloads") == 0

    _unlock(client, locked_link)
    assert client.get(_zip_url(locked_link)).status_code == 200


def test_a_changed_password_locks_downloads_again(client, locked_link, files):
    _unlock(client, locked_link)
    services.link_update(link=locked_link, password=LINK_PASSWORD + "!")

    assert client.get(_zip_url(locked_link)).status_code == 302


# --- The whole way: photos uploaded and processed as a photographer would -------------


def test_uploaded_photos_zip_to_their_exact_bytes_in_both_sizes(
    client, owner, upload_file
):
    gallery = GalleryFactory(owner=owner, title="Real uploads", sets=["Ceremony"])
    sources = [
        PHOTOS / "camera" / "DSCN0010.jpg",
        PHOTOS / "camera" / "nikon-e950.jpg",
        PHOTOS / "heic" / "iphone_13_pro_max.HEIC",
    ]
    photos = [upload_file(gallery, path) for path in sources]
    assert all(photo.status == Photo.Status.READY for photo in photos)
    originals = ShareLinkFactory(gallery=gallery, downloads="original")
    web = ShareLinkFactory(gallery=gallery, downloads="web")

    response = client.get(_zip_url(originals))
    body = _body(response)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        unpacked = {info.filename: archive.read(info) for info in archive.infolist()}
    web_unpacked = _unzip(client.get(_zip_url(web)))

    assert int(response["Content-Length"]) == len(body)
    assert unpacked == {path.name: path.read_bytes() for path in sources}
    assert web_unpacked == {
        Path(photo.original_filename).stem + ".jpg": default_storage.open(
            photo.renditions[zips.WEB_RENDITION]["name"]
        ).read()
        for photo in photos
    }


# --- Names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Anna & Ben", "Anna & Ben"),
        ("Ceremony / Church", "Ceremony _ Church"),
        ("..", "set"),
        ("", "set"),
        ("   ", "set"),
        ("nul", "_nul"),
        ("Line\nbreak\ttab", "Line break tab"),
        ("Zoë's café", "Zoë's café"),
        ("what?*", "what__"),
    ],
)
def test_names_are_made_safe_for_every_file_system(name, safe):
    assert zips.safe_filename(name, fallback="set") == safe


def test_a_very_long_name_keeps_its_extension():
    name = zips.safe_filename("é" * 200 + ".jpeg", fallback="x")

    assert name.endswith("é.jpeg")
    assert len(name.encode()) <= 150
