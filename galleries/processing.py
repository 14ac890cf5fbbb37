"""Turning an uploaded original into a photo clients can see."""

import datetime
import hashlib
import logging
import shutil
import tempfile
import uuid
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config.metrics import RENDITION_SECONDS
from galleries import imaging
from galleries.filestore import delete_files, photo_dir
from galleries.models import Photo
from galleries.queueing import lease_end, photo_process_later, photo_watermark_later
from galleries.services import REPLACEABLE, photo_reject, photos_delete

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


# --- Queueing and claiming ------------------------------------------------------------
#
# A photo to process is `processing`. Queued, it has no claim and `lease_until` says by
# when a worker should have claimed it; a worker claims it with one conditional UPDATE
# (so exactly one of any number of messages for it does the work), which counts an
# attempt and holds the photo until `lease_until`, longer than the task's time limit.
# A photo processing past its lease was never queued, was lost, or its worker died:
# the recovery sweep (galleries/recovery.py) queues it again, or fails it for good.


def photo_requeue_if_idle(*, photo: Photo) -> bool:
    """Queue a processing photo again unless a live worker holds it (a confirm sent
    twice: the first one's task may never have been queued)."""
    now = timezone.now()
    idle = (
        Photo.objects.filter(pk=photo.pk, status=Photo.Status.PROCESSING)
        .claimable(now)
        .update(claimed_by="", lease_until=lease_end(now))
    )
    if idle:
        photo_process_later(photo_id=photo.pk)
    return bool(idle)


def photo_requeue_stuck(*, photo_id, now: datetime.datetime) -> bool:
    """The recovery sweep: queue a stuck photo again (once, however many sweeps)."""
    taken = (
        Photo.objects.stuck(now)
        .filter(pk=photo_id, attempts__lt=settings.PHOTO_MAX_ATTEMPTS)
        .update(claimed_by="", lease_until=lease_end(now))
    )
    if taken:
        photo_process_later(photo_id=photo_id)
    return bool(taken)


GAVE_UP = (
    "Preparing this photo was started {attempts} times and never finished (the "
    "worker stopped or ran out of time each time). Retry it; if it keeps failing, "
    "the file may be too large or unusual for us to process."
)


def photo_give_up_stuck(*, photo_id, now: datetime.datetime) -> bool:
    """The recovery sweep: a stuck photo out of attempts is failed, with why."""
    photo = Photo.objects.stuck(now).filter(
        pk=photo_id, attempts__gte=settings.PHOTO_MAX_ATTEMPTS
    )
    attempts = photo.values_list("attempts", flat=True).first()
    if attempts is None:
        return False
    return bool(
        photo.update(
            status=Photo.Status.FAILED,
            error=GAVE_UP.format(attempts=attempts),
            claimed_by="",
            lease_until=None,
        )
    )


def photo_claim(
    *, photo_id, worker: str, force: bool = False, task_id: str = ""
) -> bool:
    """Take a photo's processing: True for exactly one caller at a time.

    A processing photo is claimable unless a live worker holds it, and only while it
    has attempts left; with `force` (renditions made again) a ready one too. A task
    delivered again because the worker that had it died (Celery's acks_late) takes
    over its own claim at once: the same message never runs twice at a time.
    """
    now = timezone.now()
    wanted = Q(status=Photo.Status.PROCESSING, attempts__lt=settings.PHOTO_MAX_ATTEMPTS)
    if force:
        wanted |= Q(status=Photo.Status.READY)
    photos = Photo.objects.filter(wanted, pk=photo_id)
    free = photos.claimable(now)
    if task_id:
        free = free | photos.filter(claimed_by__endswith=f":{task_id}")
    return bool(
        free.update(
            claimed_by=worker[:100],
            lease_until=lease_end(now),
            attempts=F("attempts") + 1,
        )
    )


def photo_release(*, photo_id, worker: str, retry_in: int) -> None:
    """Let go of a claim for a retry in `retry_in` seconds; if that retry is lost, the
    sweep finds the photo a lease later."""
    Photo.objects.filter(pk=photo_id, claimed_by=worker[:100]).update(
        claimed_by="",
        lease_until=lease_end() + datetime.timedelta(seconds=retry_in),
    )


def renditions_store(
    *, photo: Photo, items, replace: bool = True, folder: str = ""
) -> dict:
    """Save rendered files in the photo's folder; returns them as `Photo.renditions`
    holds them. With `replace`, a file of the same name goes first (a re-run replaces,
    never piles up copies). If one save fails, the ones saved before it are deleted."""
    renditions: dict = {}
    try:
        for item in items:
            name = f"{folder or photo_dir(photo)}/{item.name}.{EXTENSIONS[item.format]}"
            if replace:
                default_storage.delete(name)
            stored = default_storage.save(name, ContentFile(item.data))
            renditions[f"{item.name}.{item.format}"] = {
                "name": stored,
                "width": item.width,
                "height": item.height,
                "mime": item.mime_type,
                "bytes": len(item.data),
                "crc32": zlib.crc32(item.data),
            }
    except Exception:
        delete_files(r["name"] for r in renditions.values())
        raise
    return renditions


# --- Processing -------------------------------------------------------------------------


def photo_process(
    *, photo_id: str, force: bool = False, worker: str = "", task_id: str = ""
) -> Photo | None:
    """Inspect and render one photo, if this caller claims it. Safe to run any number
    of times at once: one does the work, the others (and a finished photo) skip."""
    worker = worker or f"inline:{uuid.uuid4().hex}"
    photo = Photo.objects.select_related("gallery").filter(pk=photo_id).first()
    if photo is None:
        return None  # deleted while queued
    if not photo_claim(photo_id=photo.pk, worker=worker, force=force, task_id=task_id):
        logger.info("photo %s is finished or another worker has it", photo_id)
        return photo

    with _local_copy(photo.original.name) as path:
        sha256, crc32 = _checksums(path)
        twin = (
            photo.gallery.photos.exclude(status=Photo.Status.REJECTED)
            .filter(sha256=sha256)
            .exclude(pk=photo.pk)
            .first()
        )
        # A copy in the trash gives way too: the photographer sent it again.
        if twin is not None and (twin.status in REPLACEABLE or twin.trashed_at):
            # The same file sent again after an upload that never finished, or whose
            # processing failed: this one takes its place.
            photos_delete(gallery=photo.gallery, photo_ids=[twin.pk])
            twin = None
        if twin is not None:
            photo_reject(
                photo=photo,
                message=f"This photo is already in the gallery as "
                f"{twin.original_filename}; skipped.",
            )
            return photo
        try:
            info = imaging.inspect(path, max_pixels=settings.PHOTO_MAX_PIXELS)
            with RENDITION_SECONDS.time():
                made = imaging.render(path, max_pixels=settings.PHOTO_MAX_PIXELS)
        except imaging.ImageRejected as rejected:
            photo_reject(photo=photo, message=rejected.message)
            return photo

    old_names = [r["name"] for r in photo.renditions.values()]
    # Drawn from the previous preview: made again from the new one.
    old_names += [r["name"] for r in (photo.watermarked or {}).values()]
    renditions = renditions_store(photo=photo, items=made.items)
    total = sum(r["bytes"] for r in renditions.values())

    with transaction.atomic():
        current = Photo.objects.select_for_update().filter(pk=photo.pk).first()
        if current is None or current.status == Photo.Status.REJECTED:
            # Deleted or rejected while we worked: our files are the only trace left.
            transaction.on_commit(
                lambda: delete_files(r["name"] for r in renditions.values())
            )
            return None
        if current.claimed_by != worker[:100]:
            # Our lease ran out and another worker took the photo over: its result
            # stands (the time limit makes this all but impossible).
            logger.warning(
                "photo %s was taken over by %s", photo_id, current.claimed_by
            )
            return current
        photo.sha256 = sha256
        photo.crc32 = crc32
        photo.mime_type = info.mime_type
        photo.width, photo.height = made.width, made.height
        photo.set_taken(info.taken_at)
        photo.camera = (info.camera or "")[:100]
        photo.lens = (info.lens or "")[:100]
        photo.renditions = renditions
        photo.watermarked, photo.watermark_version = {}, ""
        photo.renditions_size = total
        photo.placeholder = made.placeholder
        photo.color = made.color
        photo.status = Photo.Status.READY
        photo.error = ""
        photo.claimed_by, photo.lease_until = "", None
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
                "watermarked",
                "watermark_version",
                "renditions_size",
                "placeholder",
                "color",
                "status",
                "error",
                "claimed_by",
                "lease_until",
            ]
        )
    stale = [
        name
        for name in old_names
        if name not in {r["name"] for r in renditions.values()}
    ]
    delete_files(stale)
    photo_watermark_later(photo=photo)
    return photo
