"""Downloads through a share link: single photos and streamed ZIPs, with real files."""

import datetime
import io
import logging
import zipfile
import zlib
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
from sharing import access, services, zips
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
    session[access.SESSION_KEY] = {str(link.id): access.unlock_key(link)}
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
