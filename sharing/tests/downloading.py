"""What the download tests share: real files for a link's photos, and the URLs and
answers a browser sees."""

import io
import zipfile
import zlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from galleries import filestore
from galleries.models import Photo
from galleries.tests.conftest import PHOTOS
from sharing import gate, zips
from sharing.models import LinkDay

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


def zip_url(link, **query) -> str:
    url = reverse("sharing:zip", args=[link.token])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def download_url(link, photo, size=None) -> str:
    url = reverse("sharing:photo_download", args=[link.token, photo.pk])
    return f"{url}?size={size}" if size else url


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def unzip(response) -> dict[str, bytes]:
    assert response.status_code == 200, response.content
    with zipfile.ZipFile(io.BytesIO(streamed(response))) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def unlock_in_session(client, link) -> None:
    session = client.session
    session[gate.SESSION_KEY] = {str(link.id): gate.unlock_key(link)}
    session.save()


def keep_list(client, favourite_list) -> None:
    """What the favourites views do when a visitor starts a list in this browser."""
    session = client.session
    session["favourite_lists"] = {str(favourite_list.link_id): favourite_list.token}
    session.save()


def counted(link, counter: str) -> int:
    return sum(LinkDay.objects.filter(link=link).values_list(counter, flat=True))
