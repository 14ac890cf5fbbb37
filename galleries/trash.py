"""The trash: what a photographer deletes waits here TRASH_RETENTION_DAYS, then goes.

- Deleting a gallery, or photos of one, only marks them (`trashed_at`): every read
  outside the trash skips them at once (`alive()` on the QuerySets; a trashed
  gallery's links answer "not available", sharing/gate.py), and nothing else of
  them changes, so a restore gives back sets, order, links, favourites and captions.
- Their bytes stay counted in the quota (the files are still stored) until the trash
  is emptied: by the photographer (one item, or all), or by Celery beat once they
  have waited long enough (`empty_expired`). Emptying is the one hard delete
  (`services.gallery_delete`, `services.photos_delete`): rows, quota, then files.
- Uploads that never became photos (uploading, failed, rejected) are not kept:
  deleting them is for good, as before.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from galleries import services
from galleries.models import Gallery, Photo
from galleries.queueing import watermark_later

#: Deleting these is for good at once: uploads that never became photos.
NOT_KEPT = (Photo.Status.UPLOADING, Photo.Status.REJECTED, Photo.Status.FAILED)


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=settings.TRASH_RETENTION_DAYS)


def emptied_on(trashed_at: datetime.datetime) -> datetime.datetime:
    """When something trashed at `trashed_at` goes for good."""
    return trashed_at + retention()


# --- Into the trash, and back -----------------------------------------------------------


def gallery_trash(*, gallery: Gallery) -> None:
    now = timezone.now()
    Gallery.objects.filter(pk=gallery.pk, trashed_at=None).update(trashed_at=now)
    gallery.trashed_at = gallery.trashed_at or now


def gallery_restore(*, gallery: Gallery) -> None:
    Gallery.objects.filter(pk=gallery.pk).update(trashed_at=None)
    gallery.trashed_at = None
    # Its watermarked links show the studio watermark again: a change made while it
    # was in the trash did not remake its copies (galleries/watermarks.py).
    owner_id, gallery_id = gallery.owner_id, gallery.pk
    transaction.on_commit(
        lambda: watermark_later(owner_id=owner_id, gallery_id=gallery_id)
    )


def photos_trash(*, gallery: Gallery, photo_ids: Sequence) -> int:
    """Move these photos of the gallery to the trash; uploads that never became
    photos go for good. Returns how many were deleted either way."""
    photos = gallery.photos.filter(pk__in=photo_ids, trashed_at=None)
    with transaction.atomic():
        gone = services.photos_delete(
            gallery=gallery,
            photo_ids=list(
                photos.filter(status__in=NOT_KEPT).values_list("pk", flat=True)
            ),
        )
        kept = photos.exclude(status__in=NOT_KEPT).update(trashed_at=timezone.now())
    return gone + kept


def photos_restore(*, owner, photo_ids: Sequence) -> int:
    """Back to their gallery, set and place; a trashed gallery is restored whole."""
    restored = (
        Photo.objects.in_trash_of(owner)
        .filter(pk__in=photo_ids)
        .update(trashed_at=None)
    )
    if restored:
        owner_id = owner.pk
        transaction.on_commit(lambda: watermark_later(owner_id=owner_id))
    return restored


# --- Out for good -----------------------------------------------------------------------


def gallery_purge(*, gallery: Gallery) -> None:
    """Delete a gallery in the trash for good, files and quota with it."""
    if gallery.trashed_at is None:
        raise ValueError("Only a gallery in the trash is deleted for good.")
    services.gallery_delete(gallery=gallery)


def photos_purge(*, owner, photo_ids: Sequence) -> int:
    photos = Photo.objects.in_trash_of(owner).filter(pk__in=photo_ids)
    return _purge_photos(photos)


def trash_empty(*, owner) -> int:
    """Everything in this photographer's trash, for good. Returns galleries and
    photos deleted."""
    count = _purge_photos(Photo.objects.in_trash_of(owner))
    for gallery in Gallery.objects.in_trash_of(owner):
        services.gallery_delete(gallery=gallery)
        count += 1
    return count


def empty_expired(*, now: datetime.datetime | None = None) -> int:
    """What has waited in the trash long enough, for good (Celery beat, hourly)."""
    cutoff = (now or timezone.now()) - retention()
    count = _purge_photos(
        Photo.objects.filter(gallery__trashed_at=None, trashed_at__lte=cutoff)
    )
    for gallery in Gallery.objects.filter(trashed_at__lte=cutoff):
        services.gallery_delete(gallery=gallery)
        count += 1
    return count


def _purge_photos(photos) -> int:
    by_gallery: dict = {}
    for photo in photos.select_related("gallery").only("pk", "gallery"):
        by_gallery.setdefault(photo.gallery_id, (photo.gallery, []))[1].append(photo.pk)
    return sum(
        services.photos_delete(gallery=gallery, photo_ids=ids)
        for gallery, ids in by_gallery.values()
    )


# --- What the trash holds ---------------------------------------------------------------


@dataclass(frozen=True)
class TrashSummary:
    bytes: int
    #: When the next item goes for good, None for an empty trash.
    next_emptied_on: datetime.datetime | None
    items: int


def summary(owner) -> TrashSummary:
    """Bytes in the trash (still counted in the quota) and when it next empties: two
    aggregate queries."""
    kept = ~Q(status=Photo.Status.REJECTED)
    own = Q(trashed_at__isnull=False, gallery__trashed_at=None)
    with_gallery = Q(gallery__trashed_at__isnull=False)
    figures = Photo.objects.filter(gallery__owner=owner).aggregate(
        bytes=Sum("size", filter=kept & (own | with_gallery), default=0),
        photos=Count("pk", filter=own),
        photo_since=Min("trashed_at", filter=own),
    )
    galleries = Gallery.objects.in_trash_of(owner).aggregate(
        since=Min("trashed_at"), count=Count("pk")
    )
    since = [t for t in (figures["photo_since"], galleries["since"]) if t]
    return TrashSummary(
        bytes=figures["bytes"],
        next_emptied_on=emptied_on(min(since)) if since else None,
        items=figures["photos"] + galleries["count"],
    )
