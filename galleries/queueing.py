"""Handing work to the background workers.

Services queue tasks by name through Celery's registry, never by importing
`galleries.tasks`: the tasks import the services they run, and the two stay out of
each other's way (no import cycle). `galleries/apps.py` registers the tasks at start.

A broker that cannot take a message never fails the request that sent it: what was
not queued is found again by the recovery sweep (galleries/recovery.py), or, for
deletions, done here and now.
"""

import datetime
import logging

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import KombuError

from galleries import filestore
from galleries.models import Photo, Watermark

logger = logging.getLogger(__name__)

PROCESS_PHOTO = "galleries.tasks.process_photo"
DELETE_FILES = "galleries.tasks.delete_files"
WATERMARK_PHOTOS = "galleries.tasks.watermark_photos"


def send(task_name: str, *args, **kwargs) -> bool:
    """Queue a task; False (logged) when the broker cannot take it."""
    try:
        current_app.tasks[task_name].delay(*args, **kwargs)
    except (KombuError, OSError) as error:
        logger.warning("could not queue %s%r: %s", task_name, args, error)
        return False
    return True


def lease_end(now: datetime.datetime | None = None) -> datetime.datetime:
    """By when a queued or claimed photo should be finished before the sweep steps in."""
    seconds = settings.PHOTO_STUCK_AFTER_SECONDS
    return (now or timezone.now()) + datetime.timedelta(seconds=seconds)


def photo_process_later(*, photo_id, force: bool = False) -> None:
    """Send the photo to a worker once the transaction commits."""
    transaction.on_commit(lambda: _send_photo(str(photo_id), force))


def _send_photo(photo_id: str, force: bool) -> None:
    if not send(PROCESS_PHOTO, photo_id, force=force):
        # Not queued: no need to wait out a lease before the sweep sends it again.
        Photo.objects.filter(
            pk=photo_id, status=Photo.Status.PROCESSING, claimed_by=""
        ).update(lease_until=timezone.now())


def files_delete_later(*, names: list[str], multipart: list | None = None) -> None:
    """Delete files in the background; here and now if the broker cannot take it."""
    multipart = multipart or []
    if send(DELETE_FILES, names=names, multipart=multipart):
        return
    try:
        filestore.files_delete(names, multipart)
    except filestore.STORAGE_ERRORS:
        # What is left is an orphan: reconcile_storage --fix finds and removes it.
        logger.exception("could not delete %d file(s) either", len(names))


def current_version(owner) -> str:
    """The version of what the studio's watermark draws; "" when it has none."""
    try:
        row = owner.watermark
    except Watermark.DoesNotExist:
        return ""
    return row.version if row.is_set else ""


#: Photos per watermarking task: a task takes a few seconds, a studio's remake many.
WATERMARK_BATCH = 20


def photo_watermark_later(*, photo: Photo) -> None:
    """Queue a photo's watermarked renditions once the transaction commits, if its
    studio has a watermark and its gallery shows it (a live link with the watermark
    on: `PhotoQuerySet.wanting_watermark`; galleries/watermarks.py makes them)."""
    if not current_version(photo.gallery.owner):
        return
    if Photo.objects.filter(pk=photo.pk).wanting_watermark().exists():
        photo_id = str(photo.pk)
        transaction.on_commit(lambda: send(WATERMARK_PHOTOS, [photo_id]))


def watermark_later(*, owner_id, gallery_id=None) -> int:
    """Queue, in batches, the studio's photos (or one gallery's) that need its
    watermark (`PhotoQuerySet.wanting_watermark`) and lack a copy of its current
    version; returns how many. Safe to call again: what is made is not sent."""
    row = Watermark.objects.filter(owner_id=owner_id).first()
    if row is None or not row.is_set:
        return 0
    photos = Photo.objects.filter(gallery__owner_id=owner_id)
    if gallery_id is not None:
        photos = photos.filter(gallery_id=gallery_id)
    ids = [
        str(pk)
        for pk in photos.wanting_watermark()
        .exclude(watermark_version=row.version)
        .values_list("pk", flat=True)
    ]
    for start in range(0, len(ids), WATERMARK_BATCH):
        send(WATERMARK_PHOTOS, ids[start : start + WATERMARK_BATCH])
    return len(ids)
