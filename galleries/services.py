"""Writes to galleries, sets and photos. Pages, API and admin all come through here."""

import datetime
import logging
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.db.models.functions import Lower

from accounts.quota import storage_release
from galleries import filestore
from galleries.models import Gallery, GallerySet, Photo
from galleries.queueing import files_delete_later, lease_end, photo_process_later

logger = logging.getLogger(__name__)

DEFAULT_SET_NAME = "Highlights"


# --- Galleries --------------------------------------------------------------------------


def gallery_create(
    *,
    owner,
    title: str,
    event_date: datetime.date | None = None,
    description: str = "",
    language: str = "",
) -> Gallery:
    with transaction.atomic():
        gallery = Gallery(
            owner=owner,
            title=title,
            event_date=event_date,
            description=description,
            language=language,
        )
        gallery.full_clean()
        gallery.save()
        GallerySet.objects.create(gallery=gallery, name=DEFAULT_SET_NAME, position=0)
    return gallery


def gallery_update(*, gallery: Gallery, **fields) -> Gallery:
    allowed = {"title", "event_date", "description", "language"}
    changed = [
        name
        for name, value in fields.items()
        if name in allowed and getattr(gallery, name) != value
    ]
    for name in changed:
        setattr(gallery, name, fields[name])
    if changed:
        gallery.full_clean()
        gallery.save(update_fields=[*changed, "updated_at"])
    return gallery


def gallery_set_cover(*, gallery: Gallery, photo: Photo | None) -> Gallery:
    if photo is not None and (photo.gallery_id != gallery.id or not photo.is_ready):
        raise ValidationError("The cover must be a ready photo of this gallery.")
    gallery.cover = photo
    gallery.save(update_fields=["cover", "updated_at"])
    return gallery


def gallery_delete(*, gallery: Gallery) -> None:
    _delete_photos(Photo.objects.filter(gallery=gallery), owner_id=gallery.owner_id)
    gallery.delete()


def owner_photos_delete(*, owner) -> None:
    """Everything a photographer stored, before their account goes."""
    _delete_photos(Photo.objects.filter(gallery__owner=owner), owner_id=owner.pk)


# --- Sets -------------------------------------------------------------------------------


def set_create(*, gallery: Gallery, name: str) -> GallerySet:
    position = (gallery.sets.aggregate(last=Max("position"))["last"] or 0) + 1
    photo_set = GallerySet(gallery=gallery, name=name.strip(), position=position)
    photo_set.full_clean()
    photo_set.save()
    return photo_set


def set_rename(*, photo_set: GallerySet, name: str) -> GallerySet:
    photo_set.name = name.strip()
    photo_set.full_clean()
    photo_set.save(update_fields=["name"])
    return photo_set


def sets_reorder(*, gallery: Gallery, set_ids: Sequence) -> None:
    _reorder(gallery.sets.all(), set_ids)


def set_delete(*, photo_set: GallerySet) -> None:
    """Delete a set with its photos. A gallery always keeps one set."""
    gallery = photo_set.gallery
    if gallery.sets.count() <= 1:
        raise ValidationError("A gallery needs at least one set.")
    _delete_photos(photo_set.photos.all(), owner_id=gallery.owner_id)
    photo_set.delete()


# --- Photos -----------------------------------------------------------------------------


def photos_move(*, gallery: Gallery, photo_ids: Sequence, to_set: GallerySet) -> int:
    if to_set.gallery_id != gallery.id:
        raise ValidationError("That set belongs to another gallery.")
    start = (to_set.photos.aggregate(last=Max("position"))["last"] or 0) + 1
    photos = list(gallery.photos.filter(pk__in=photo_ids).order_by("position"))
    for offset, photo in enumerate(photos):
        photo.photo_set = to_set
        photo.position = start + offset
    Photo.objects.bulk_update(photos, ["photo_set", "position"])
    return len(photos)


def photos_reorder(*, gallery: Gallery, photo_ids: Sequence) -> None:
    """Put the given photos first, in the given order; the rest keep theirs after."""
    _reorder(gallery.photos.all(), photo_ids)


SORT_KEYS = {
    "filename": [Lower("original_filename"), "uploaded_at"],
    "taken": [F("taken_at").asc(nulls_last=True), Lower("original_filename")],
    "uploaded": ["uploaded_at", Lower("original_filename")],
}


def photos_sort(*, gallery: Gallery, key: str) -> None:
    if key not in SORT_KEYS:
        raise ValidationError(f"Unknown sort order: {key}.")
    ordered = gallery.photos.order_by(*SORT_KEYS[key]).values_list("pk", flat=True)
    _reorder(gallery.photos.all(), list(ordered))


def photos_delete(*, gallery: Gallery, photo_ids: Sequence) -> int:
    photos = gallery.photos.filter(pk__in=photo_ids)
    return _delete_photos(photos, owner_id=gallery.owner_id)


def _counted(photo_id, name: str, size) -> tuple[str, int, int] | None:
    """(name, size, CRC-32) of a stored file, or None if it is missing."""
    try:
        return name, size, filestore.checksum(name)
    except FileNotFoundError:
        logger.warning("Photo %s: %s is missing from storage", photo_id, name)
        return None


def photos_count_checksums(*, photos: Iterable[Photo]) -> list[Photo]:
    """Count and keep the CRC-32 of each original and web-size rendition of these
    photos that has none yet; returns the photos, their fields filled in.

    The files are read before any row is locked, and a checksum is kept only if the
    row still names the same file of the same size (a photo processed again
    meanwhile keeps the checksums its processing counted). A file missing from
    storage is logged and keeps no checksum. Safe to run again: what is counted is
    never counted twice.
    """
    photos = list(photos)
    counted: dict = {}
    for photo in photos:
        rendition = photo.renditions.get(Photo.WEB_RENDITION) or {}
        original = web = None
        if photo.crc32 is None and photo.original:
            original = _counted(photo.pk, photo.original.name, photo.size)
        if rendition.get("name") and "crc32" not in rendition:
            web = _counted(photo.pk, rendition["name"], rendition.get("bytes"))
        if original or web:
            counted[photo.pk] = (original, web)
    if not counted:
        return photos
    kept: dict = {}
    with transaction.atomic():
        rows = Photo.objects.select_for_update().filter(pk__in=counted)
        for row in rows.only("id", "original", "size", "crc32", "renditions"):
            original, web = counted[row.pk]
            same_original = original and original[:2] == (row.original.name, row.size)
            if same_original and row.crc32 is None:
                row.crc32 = original[2]
            rendition = row.renditions.get(Photo.WEB_RENDITION) or {}
            if (
                web
                and "crc32" not in rendition
                and web[:2] == (rendition.get("name"), rendition.get("bytes"))
            ):
                row.renditions[Photo.WEB_RENDITION] = {**rendition, "crc32": web[2]}
            kept[row.pk] = row
        Photo.objects.bulk_update(list(kept.values()), ["crc32", "renditions"])
    for photo in photos:
        if photo.pk in kept:
            photo.crc32 = kept[photo.pk].crc32
            photo.renditions = kept[photo.pk].renditions
    return photos


def abandoned_uploads_delete(*, gallery: Gallery, photo_ids: Sequence, now) -> int:
    """Delete uploads that are still abandoned (a confirm may just have come)."""
    photos = gallery.photos.filter(pk__in=photo_ids).abandoned_uploads(now)
    return _delete_photos(photos, owner_id=gallery.owner_id)


# --- Helpers ----------------------------------------------------------------------------


def _reorder(queryset: QuerySet, ids: Sequence) -> None:
    items = {str(item.pk): item for item in queryset}
    wanted = [str(pk) for pk in ids if str(pk) in items]
    rest = [key for key in items if key not in set(wanted)]
    rest.sort(key=lambda key: items[key].position)
    changed = []
    for position, key in enumerate(wanted + rest):
        if items[key].position != position:
            items[key].position = position
            changed.append(items[key])
    queryset.model.objects.bulk_update(changed, ["position"])


def stored_names(photo: Photo) -> list[str]:
    names = [photo.original.name] if photo.original else []
    names += [r["name"] for r in photo.renditions.values() if r.get("name")]
    # The studio watermark's renditions of it (galleries/watermarks.py).
    names += [r["name"] for r in (photo.watermarked or {}).values() if r.get("name")]
    return names


def _delete_photos(photos: QuerySet, *, owner_id: int) -> int:
    """Delete photo rows, give their bytes back to the quota, then their files.

    Files go only once the rows are gone for good (after the commit): a rolled-back
    delete must not leave rows pointing at nothing.
    """
    with transaction.atomic():
        rows = list(
            photos.select_for_update().only(
                "id",
                "original",
                "renditions",
                "watermarked",
                "size",
                "status",
                "gallery_id",
                "upload_id",
            )
        )
        if not rows:
            return 0
        names = [name for photo in rows for name in stored_names(photo)]
        # Rejected uploads gave their bytes back when they were rejected.
        freed = sum(p.size for p in rows if p.status != Photo.Status.REJECTED)
        Photo.objects.filter(pk__in=[p.pk for p in rows]).delete()
        storage_release(user_id=owner_id, nbytes=freed)
        upload_ids = [(p.original.name, p.upload_id) for p in rows if p.upload_id]
        transaction.on_commit(
            lambda: files_delete_later(names=names, multipart=upload_ids)
        )
    return len(rows)


# --- A photo's state: rejected, failed, queued again ---------------------------------

#: A photo in these states gives way to the same file sent again.
REPLACEABLE = (Photo.Status.UPLOADING, Photo.Status.FAILED)


def photo_reject(*, photo: Photo, message: str) -> None:
    """The file is not a photo we accept: keep the reason, drop the bytes and quota."""
    names = stored_names(photo)
    with transaction.atomic():
        locked = Photo.objects.select_for_update().get(pk=photo.pk)
        if locked.status == Photo.Status.REJECTED:
            return
        Photo.objects.filter(pk=photo.pk).update(
            status=Photo.Status.REJECTED,
            error=message[:500],
            original="",
            renditions={},
            watermarked={},
            watermark_version="",
            renditions_size=0,
            claimed_by="",
            lease_until=None,
        )
        storage_release(user_id=photo.gallery.owner_id, nbytes=locked.size)
        transaction.on_commit(lambda: files_delete_later(names=names))


def photo_mark_failed(*, photo_id: str, message: str) -> None:
    Photo.objects.filter(pk=photo_id, status=Photo.Status.PROCESSING).update(
        status=Photo.Status.FAILED, error=message[:500], claimed_by="", lease_until=None
    )


def photo_retry(*, photo: Photo) -> Photo:
    """Queue a failed (or, for admins, any) photo for processing again, with a fresh
    set of attempts."""
    if photo.status not in (Photo.Status.FAILED, Photo.Status.READY):
        return photo
    Photo.objects.filter(pk=photo.pk).update(
        status=Photo.Status.PROCESSING,
        error="",
        attempts=0,
        claimed_by="",
        lease_until=lease_end(),
    )
    photo.status = Photo.Status.PROCESSING
    photo_process_later(photo_id=photo.pk, force=True)
    return photo
