"""The gallery, a set or a favourites list as one streamed ZIP, with real files."""

import io
import logging
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from galleries import filestore
from galleries.models import Photo
from galleries.tests import conftest as galleries_fixtures
from galleries.tests.conftest import PHOTOS
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory
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

# The galleries app's upload flow, for the test that goes the whole way.
upload = galleries_fixtures.upload
upload_file = galleries_fixtures.upload_file


# --- The gallery as a ZIP ---------------------------------------------------------------


def test_the_gallery_zip_unpacks_to_files_byte_identical_to_the_originals(
    client, originals_link, files
):
    unpacked = unzip(client.get(zip_url(originals_link)))

    assert len(unpacked) == 5
    by_name = {path.rpartition("/")[2]: data for path, data in unpacked.items()}
    assert by_name == {name: original for name, (original, _) in files.items()}


def test_a_gallery_with_several_sets_unpacks_into_one_folder_per_set(
    client, originals_link, files, ceremony, reception
):
    unpacked = unzip(client.get(zip_url(originals_link)))

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
    response = client.get(zip_url(originals_link))
    body = streamed(response)

    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert int(response["Content-Length"]) == len(body)
    assert response["Content-Disposition"] == 'attachment; filename="Anna & Ben.zip"'
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"].startswith('"')


def test_zip_entries_are_stored_not_deflated(client, originals_link, files):
    response = client.get(zip_url(originals_link))

    with zipfile.ZipFile(io.BytesIO(streamed(response))) as archive:
        infos = archive.infolist()
    assert infos
    assert {info.compress_type for info in infos} == {zipfile.ZIP_STORED}
    assert all(info.compress_size == info.file_size for info in infos)


def test_a_large_photo_streams_in_chunks_never_whole(client, originals_link, gallery):
    big = bytes(range(256)) * (12 * 1024 + 7)  # ~3 MB
    for photo in gallery.photos.all():
        give_files(photo, big + photo.original_filename.encode(), b"web")

    response = client.get(zip_url(originals_link))
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

    unpacked = unzip(client.get(zip_url(originals_link)))

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
    response = client.get(zip_url(originals_link, set=reception.pk))
    unpacked = unzip(response)

    assert sorted(unpacked) == sorted(
        p.original_filename for p in reception.photos.all()
    )
    assert "Anna & Ben - Reception.zip" in response["Content-Disposition"]


def test_a_set_the_link_hides_or_of_another_gallery_is_refused(
    client, gallery, ceremony, reception, other_gallery, files
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])

    assert client.get(zip_url(link, set=reception.pk)).status_code == 404
    other_set = other_gallery.sets.first()
    assert client.get(zip_url(link, set=other_set.pk)).status_code == 404
    assert client.get(zip_url(link, set="not-a-uuid")).status_code == 404


def test_a_link_limited_to_one_set_zips_only_that_set(client, gallery, ceremony, files):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)
    link.sets.set([ceremony])

    unpacked = unzip(client.get(zip_url(link)))

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
    keep_list(client, mine)

    response = client.get(zip_url(originals_link, list=mine.pk))
    unpacked = unzip(response)

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
    keep_list(client, elsewhere)

    assert client.get(zip_url(originals_link, list=theirs.pk)).status_code == 404
    assert client.get(zip_url(originals_link, list=elsewhere.pk)).status_code == 404
    assert client.get(zip_url(originals_link, list="nope")).status_code == 404


def test_an_empty_favourites_list_says_there_is_nothing_to_download(
    client, originals_link, files
):
    mine = FavouriteListFactory(link=originals_link)
    keep_list(client, mine)

    response = client.get(zip_url(originals_link, list=mine.pk))

    assert response.status_code == 404
    assert b"no photos to download" in response.content


def test_without_original_rights_the_zip_holds_web_size_copies(client, link, files):
    assert link.downloads == ShareLink.Downloads.WEB

    unpacked = unzip(client.get(zip_url(link)))

    by_name = {path.rpartition("/")[2]: data for path, data in unpacked.items()}
    assert by_name == {
        name.removesuffix(".jpg") + ".jpg": web for name, (_, web) in files.items()
    }


def test_a_missing_file_stops_the_zip_short_of_its_length_and_is_logged(
    client, originals_link, files, caplog
):
    lost = originals_link.visible_photos()[2]
    default_storage.delete(lost.original.name)

    response = client.get(zip_url(originals_link))
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
        response = client.get(zip_url(originals_link))

    assert response.status_code == 200
    assert int(response["Content-Length"]) > 65 * 1_000_000


@pytest.mark.django_db(transaction=True)
def test_a_streaming_zip_gives_its_database_connection_back_before_the_first_byte(
    client, originals_link, files, monkeypatch
):
    # (An in-memory SQLite database ignores close(), so watch for the call itself.)
    closed = []
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))

    response = client.get(zip_url(originals_link))
    assert closed == []
    chunks = iter(response.streaming_content)
    first = next(chunks)

    assert closed == [True]
    assert len(first + b"".join(chunks)) == int(response["Content-Length"])


def test_asking_for_the_zip_head_only_answers_its_size_without_counting(
    client, originals_link, files
):
    head = client.head(zip_url(originals_link))
    get = client.get(zip_url(originals_link))

    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == get["Content-Length"]
    assert counted(originals_link, "zip_downloads") == 1


def test_every_zip_download_is_counted(client, originals_link, files):
    client.get(zip_url(originals_link))
    client.get(zip_url(originals_link))

    assert counted(originals_link, "zip_downloads") == 2
    assert counted(originals_link, "downloads") == 0


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

    response = client.get(zip_url(originals))
    body = streamed(response)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        unpacked = {info.filename: archive.read(info) for info in archive.infolist()}
    web_unpacked = unzip(client.get(zip_url(web)))

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
