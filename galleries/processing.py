"""Turning an uploaded original into a photo clients can see."""

import hashlib
import logging
import shutil
import tempfile
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from galleries import imaging
from galleries.filestore import delete_files, photo_dir
from galleries.models import Photo
from galleries.uploads import photo_reject

logger = logging.getLogger(__name__)

EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "avif": "avif"}


@contextmanager
def _local_copy(name: str):
    """A path to the original on this machine: the file itself, or a temporary copy."""
    try:
        yield Path(default_storage.path(name))
        return
    except NotImplementedError:
        pass  # remote storage: no local path
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy:
        with default_storage.open(name, "rb") as source:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
        copy.flush()
        yield Path(copy.name)


def _checksums(path: Path) -> tuple[str, int]:
    """The original's SHA-256 (to find twins) and CRC-32 (what a ZIP's headers carry),
    in one read."""
    digest, crc = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
    return digest.hexdigest(), crc


def photo_process(*, photo_id: str, force: bool = False) -> Photo | None:
    """Inspect and render one photo. Safe to run twice: a finished photo is skipped."""
    photo = Photo.objects.select_related("gallery").filter(pk=photo_id).first()
    if photo is None:
        return None  # deleted while queued
    wanted = {Photo.Status.PROCESSING, Photo.Status.FAILED}
    if force:
        wanted.add(Photo.Status.READY)
    if photo.status not in wanted:
        return photo

    with _local_copy(photo.original.name) as path:
        sha256, crc32 = _checksums(path)
        twin = (
            photo.gallery.photos.visible_to_owner()
            .filter(sha256=sha256)
            .exclude(pk=photo.pk)
            .first()
        )
        if twin is not None:
            photo_reject(
                photo=photo,
                message=f"This photo is already in the gallery as "
                f"{twin.original_filename}; skipped.",
            )
            return photo
        try:
            info = imaging.inspect(path, max_pixels=settings.PHOTO_MAX_PIXELS)
            made = imaging.render(path, max_pixels=settings.PHOTO_MAX_PIXELS)
        except imaging.ImageRejected as rejected:
            photo_reject(photo=photo, message=rejected.message)
            return photo

    old_names = [r["name"] for r in photo.renditions.values()]
    renditions, total = {}, 0
    for item in made.items:
        name = f"{photo_dir(photo)}/{item.name}.{EXTENSIONS[item.format]}"
        default_storage.delete(name)  # a re-run replaces, never piles up copies
        stored = default_storage.save(name, ContentFile(item.data))
        renditions[f"{item.name}.{item.format}"] = {
            "name": stored,
            "width": item.width,
            "height": item.height,
            "mime": item.mime_type,
            "bytes": len(item.data),
            "crc32": zlib.crc32(item.data),
        }
        total += len(item.data)

    with transaction.atomic():
        current = Photo.objects.select_for_update().filter(pk=photo.pk).first()
        if current is None or current.status == Photo.Status.REJECTED:
            # Deleted or rejected while we worked: our files are the only trace left.
            transaction.on_commit(
                lambda: delete_files(r["name"] for r in renditions.values())
            )
            return None
        photo.sha256 = sha256
        photo.crc32 = crc32
        photo.mime_type = info.mime_type
        photo.width, photo.height = made.width, made.height
        photo.set_taken(info.taken_at)
        photo.camera = (info.camera or "")[:100]
        photo.lens = (info.lens or "")[:100]
        photo.renditions = renditions
        photo.renditions_size = total
        photo.placeholder = made.placeholder
        photo.color = made.color
        photo.status = Photo.Status.READY
        photo.error = ""
        photo.save(
            update_fields=[
                "sha256",
                "crc32",
                "mime_type",
                "width",
                "height",
                "taken_at",
                "taken_offset",
                "camera",
                "lens",
                "renditions",
                "renditions_size",
                "placeholder",
                "color",
                "status",
                "error",
            ]
        )
    stale = [
        name
        for name in old_names
        if name not in {r["name"] for r in renditions.values()}
    ]
    delete_files(stale)
    return photo


def photo_mark_failed(*, photo_id: str, message: str) -> None:
    Photo.objects.filter(pk=photo_id, status=Photo.Status.PROCESSING).update(
        status=Photo.Status.FAILED, error=message[:500]
    )


def photo_retry(*, photo: Photo) -> Photo:
    """Queue a failed (or, for admins, any) photo for processing again."""
    from galleries.tasks import process_photo

    if photo.status not in (Photo.Status.FAILED, Photo.Status.READY):
        return photo
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.PROCESSING, error="")
    photo.status = Photo.Status.PROCESSING
    transaction.on_commit(lambda: process_photo.delay(str(photo.pk), force=True))
    return photo
