"""The studio watermark: its settings (writes), and the watermarked renditions.

The photographer sets a line of text or an image, a position, a size and an opacity
(the Watermark page, `GET`/`PATCH /api/v1/watermark/`). Share links that ask for it
(`sharing.watermarked`) show these renditions in place of the plain ones.

Watermarked renditions are made in the background (`galleries.tasks.watermark_photos`)
only for the ready photos of a gallery that shows the watermark: one with a live
share link (active, not expired) that has it on, out of the trash
(`PhotoQuerySet.wanting_watermark`, told by sharing through
galleries/watermark_demand.py). They are queued when such a link is made, turned on,
enabled or extended (sharing/services.py), when a photo of such a gallery becomes
ready (galleries/processing.py), when such a gallery or photo leaves the trash, and
when the watermark changes. They are kept in storage next to the plain ones, in a
folder of their own named by the watermark's version:
`photos/<gallery>/<photo>/wm-<version>/preview.jpg`. A URL signed for that folder
opens nothing outside it (`galleries.signed_urls`), so a watermarked file's address
never leads to the plain one.

Changing the watermark gives it a new version: the photos that need it are remade,
and each one's previous watermarked files are deleted once the new ones are in
place; every other photo's copies of an earlier version are deleted at once
(`stale_copies_drop`). A gallery whose last watermarked link is turned off or
deleted keeps its copies (still of the current version, so a link turned on again
shows them at once) until the watermark changes or the photo goes. A photo's
watermarked files go with the photo (`services.stored_names`). They count in
neither the quota nor `renditions_size` (both count what the photographer sent and
its plain renditions), so making or dropping them moves neither.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from galleries.filestore import delete_files, photo_dir
from galleries.imaging import watermark as drawing
from galleries.imaging.errors import ImageRejected
from galleries.models import Photo, Watermark
from galleries.processing import renditions_store
from galleries.queueing import (
    WATERMARK_BATCH,
    current_version,
    files_delete_later,
    watermark_later,
)

logger = logging.getLogger(__name__)

SETTINGS = ("kind", "text", "position", "size", "opacity")
#: Photos per background task: a task takes a few seconds, a studio's remake many.
BATCH = WATERMARK_BATCH


# --- Reading ---------------------------------------------------------------------------


def watermark_of(owner) -> Watermark:
    """The studio's Watermark row (a default one, unsaved, if none yet)."""
    try:
        return owner.watermark
    except Watermark.DoesNotExist:
        return Watermark(owner=owner)


def folder(photo, version: str) -> str:
    return f"{photo_dir(photo)}/wm-{version}"


def watermarked_renditions(photo, version: str) -> dict:
    """The photo's renditions with `version` of the watermark, {} until made."""
    if not version or photo.watermark_version != version:
        return {}
    return photo.watermarked or {}


def stored_names(photo) -> list[str]:
    return [r["name"] for r in (photo.watermarked or {}).values() if r.get("name")]


# --- Writing the settings ------------------------------------------------------------


def _version(row: Watermark) -> str:
    # Only what is drawn: the text of an image watermark changes nothing.
    drawn = row.image if row.kind == Watermark.Kind.IMAGE else row.text.strip()
    material = "\n".join(
        [row.kind, drawn, row.position, str(row.size), str(row.opacity)]
    )
    return hashlib.blake2b(material.encode(), digest_size=8).hexdigest()


def _locked(owner) -> Watermark:
    row, _created = Watermark.objects.select_for_update().get_or_create(owner=owner)
    owner.watermark = row
    return row


def _save(owner, row: Watermark) -> Watermark:
    row.full_clean(exclude=["owner"])
    version = _version(row)
    changed = version != row.version
    row.version = version
    row.save()
    if changed:
        owner_id = owner.pk
        transaction.on_commit(lambda: remake_later(owner_id=owner_id))
    return row


def watermark_update(*, owner, **changes) -> Watermark:
    """Save the watermark's settings given (any of `SETTINGS`); a change remakes the
    watermarked renditions of the photos that need them, in the background, and
    deletes the other photos' copies (`remake_later`)."""
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise TypeError(f"not watermark settings: {sorted(unknown)}")
    with transaction.atomic():
        row = _locked(owner)
        for field, value in changes.items():
            setattr(row, field, value.strip() if isinstance(value, str) else value)
        if row.kind == Watermark.Kind.TEXT and "text" in changes and not row.text:
            raise ValidationError(
                {"text": ValidationError(_("Write the watermark's text."), "required")}
            )
        return _save(owner, row)


def watermark_image_set(*, owner, upload) -> Watermark:
    """Check the image, store its clean PNG and draw it from now on (the watermark
    becomes an image one). A refused file leaves nothing stored."""
    try:
        prepared = drawing.prepare(upload, name=getattr(upload, "name", "") or "")
    except ImageRejected as refused:
        raise ValidationError(
            {"image": ValidationError(refused.message, code=refused.code)}
        ) from refused
    digest = hashlib.blake2b(prepared.data, digest_size=8).hexdigest()
    name = default_storage.save(
        f"brand/{owner.pk}/watermark-{digest}.png", ContentFile(prepared.data)
    )
    try:
        with transaction.atomic():
            row = _locked(owner)
            previous = row.image
            row.image = name
            row.image_width, row.image_height = prepared.width, prepared.height
            row.kind = Watermark.Kind.IMAGE
            _save(owner, row)
    except BaseException:
        delete_files([name])
        raise
    if previous and previous != name:
        transaction.on_commit(lambda: delete_files([previous]))
    return row


def watermark_image_remove(*, owner) -> Watermark:
    with transaction.atomic():
        row = _locked(owner)
        previous = row.image
        row.image, row.image_width, row.image_height = "", 0, 0
        row.kind = Watermark.Kind.TEXT
        _save(owner, row)
    if previous:
        transaction.on_commit(lambda: delete_files([previous]))
    return row


def owner_watermark_delete(*, owner) -> None:
    """The watermark's image, before the account goes (the row goes with it)."""
    row = Watermark.objects.filter(owner=owner).first()
    if row is not None and row.image:
        name = row.image
        transaction.on_commit(lambda: delete_files([name]))


# --- Making the watermarked renditions (in the worker) -------------------------------


def remake_later(*, owner_id) -> int:
    """After the watermark changed: queue the photos that need it (of the galleries
    a live link shows it on) whose copies are not of the current version, and delete
    every other photo's copies of an earlier version (nothing will remake them, and
    nothing shows them). Returns how many were queued."""
    row = Watermark.objects.filter(owner_id=owner_id).first()
    version = row.version if row is not None and row.is_set else ""
    stale_copies_drop(owner_id=owner_id, version=version)
    return watermark_later(owner_id=owner_id)


def stale_copies_drop(*, owner_id, version: str) -> int:
    """Forget and delete the watermarked copies not of `version` ("" for none) of
    the studio's photos that will not be remade (all of them without a watermark);
    those that will keep theirs until the new ones are in place (`_keep`). Returns
    how many photos lost their copies."""
    photos = (
        Photo.objects.filter(gallery__owner_id=owner_id)
        .exclude(watermark_version="")
        .exclude(watermark_version=version)
    )
    if version:
        photos = photos.exclude(pk__in=Photo.objects.wanting_watermark().values("pk"))
    with transaction.atomic():
        rows = list(photos.select_for_update().only("id", "watermarked"))
        if not rows:
            return 0
        Photo.objects.filter(pk__in=[p.pk for p in rows]).update(
            watermarked={}, watermark_version=""
        )
        names = names_of(rows)
        transaction.on_commit(lambda: files_delete_later(names=names))
    return len(rows)


def _spec(row: Watermark) -> drawing.Spec:
    image = b""
    if row.kind == Watermark.Kind.IMAGE:
        with default_storage.open(row.image, "rb") as handle:
            image = handle.read()
    return drawing.Spec(
        text=row.text if row.kind == Watermark.Kind.TEXT else "",
        image=image,
        position=row.position,
        size=row.size,
        opacity=row.opacity,
    )


def photos_watermark(*, photo_ids: Sequence) -> int:
    """Make the current watermarked renditions of these photos (those that lack them
    and need them: `PhotoQuerySet.wanting_watermark`); returns how many were made. Safe to run again, and at once with a change of the
    watermark or of the photo: what no longer fits is deleted, never kept."""
    photos = list(
        Photo.objects.wanting_watermark()
        .filter(pk__in=list(photo_ids))
        .select_related("gallery__owner__watermark")
    )
    made, specs = 0, {}
    for photo in photos:
        version = current_version(photo.gallery.owner)
        if not version or photo.watermark_version == version:
            continue
        preview = photo.renditions.get(Photo.WEB_RENDITION)
        if not preview:
            continue
        if version not in specs:
            specs[version] = _spec(photo.gallery.owner.watermark)
        with default_storage.open(preview["name"], "rb") as handle:
            items = drawing.render(io.BytesIO(handle.read()), specs[version])
        renditions = renditions_store(
            photo=photo, items=items, folder=folder(photo, version)
        )
        if _keep(photo, version, preview["name"], renditions):
            made += 1
    return made


def _keep(photo: Photo, version: str, preview: str, renditions: dict) -> bool:
    """Put the new renditions on the photo if it is still the one they were drawn
    from, with the watermark they were drawn with; else delete them."""
    new_names = [r["name"] for r in renditions.values()]
    with transaction.atomic():
        current = (
            Photo.objects.select_for_update()
            .filter(pk=photo.pk, status=Photo.Status.READY)
            .first()
        )
        still = (
            current is not None
            and (current.renditions.get(Photo.WEB_RENDITION) or {}).get("name")
            == preview
            and Watermark.objects.filter(owner_id=photo.gallery.owner_id)
            .values_list("version", flat=True)
            .first()
            == version
        )
        if not still:
            transaction.on_commit(lambda: delete_files(new_names))
            return False
        stale = [name for name in stored_names(current) if name not in new_names]
        current.watermarked, current.watermark_version = renditions, version
        current.save(update_fields=["watermarked", "watermark_version"])
        transaction.on_commit(lambda: delete_files(stale))
    return True


def names_of(photos: Iterable[Photo]) -> list[str]:
    return [name for photo in photos for name in stored_names(photo)]
