"""The upload flow: reserve, send the bytes, complete. One flow for both storages.

1. `upload_start` checks the file's size and the quota, reserves the bytes and
   creates the photo; it answers where to send the bytes.
2. The client sends them: on S3 straight to the bucket (a presigned POST, or presigned
   parts of a multipart upload for large files), so photo bytes never pass through the
   web workers; on the local disk to `upload_receive`, which streams them to disk.
3. `upload_complete` checks what arrived and queues the photo for processing, which
   decides from the content whether it is a photo at all.
"""

import datetime
import hashlib
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from accounts.quota import QuotaExceeded, storage_reserve
from galleries import filestore
from galleries.filenames import upload_name
from galleries.filestore import original_name
from galleries.models import Gallery, GallerySet, Photo
from galleries.processing import photo_requeue_if_idle
from galleries.queueing import lease_end, photo_process_later
from galleries.services import REPLACEABLE, abandoned_uploads_delete, photos_delete

MIB = 1024 * 1024
MULTIPART_THRESHOLD = 64 * MIB
PART_SIZE = 16 * MIB
PRESIGN_SECONDS = 3600
# An earlier upload of the same file in one of these states is replaced by a new one.


class DuplicatePhoto(Exception):
    def __init__(self, existing: Photo):
        self.existing = existing
        super().__init__(
            f"{existing.original_filename} is already in this gallery; skipped."
        )


@dataclass
class UploadTarget:
    """Where and how the client sends a photo's bytes."""

    method: str  # "PUT" (to us), "POST" (presigned form) or "MULTIPART"
    url: str = ""
    fields: dict = field(default_factory=dict)
    part_size: int = 0
    part_urls: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _clean_filename(filename: str) -> str:
    """The name the file was sent with; a full path keeps its last part only.

    The rule, and why a slash inside a name is kept, is `filenames.upload_name`'s.
    """
    name = upload_name(filename)
    if not name:
        raise ValidationError({"filename": "The file has no name."})
    return name


def upload_start(
    *,
    gallery: Gallery,
    filename: str,
    size: int,
    photo_set: GallerySet | None = None,
    sha256: str = "",
) -> tuple[Photo, UploadTarget]:
    filename = _clean_filename(filename)
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    if size <= 0:
        raise ValidationError({"size": f"{filename} is empty (0 bytes)."})
    if size > limit:
        raise ValidationError(
            {
                "size": f"{filename} is {filesizeformat(size)}; the limit is "
                f"{filesizeformat(limit)} per photo."
            }
        )
    sha256 = sha256.lower()
    replaced = None
    if sha256:
        existing = (
            gallery.photos.exclude(status=Photo.Status.REJECTED)
            .filter(sha256=sha256)
            .first()
        )
        if existing and existing.status not in REPLACEABLE and not existing.trashed_at:
            raise DuplicatePhoto(existing)
        # An earlier try that never became a photo (its upload stopped, or its
        # processing failed), or a copy in the trash, gives way: row, bytes and
        # reserved quota.
        replaced = existing
    if photo_set is None:
        photo_set = gallery.sets.order_by("position").first()
    elif photo_set.gallery_id != gallery.id:
        raise ValidationError({"set": "That set belongs to another gallery."})

    photo = Photo(
        gallery=gallery,
        photo_set=photo_set,
        original_filename=filename,
        size=size,
        sha256=sha256,
        status=Photo.Status.UPLOADING,
    )
    photo.original.name = original_name(photo, filename)
    try:
        with transaction.atomic():
            if replaced is not None:
                photos_delete(gallery=gallery, photo_ids=[replaced.pk])
            storage_reserve(user_id=gallery.owner_id, nbytes=size)
            last = gallery.photos.aggregate(last=Max("position"))["last"]
            photo.position = 0 if last is None else last + 1
            photo.save()
    except QuotaExceeded:
        owner = type(gallery.owner).objects.get(pk=gallery.owner_id)
        raise ValidationError(
            {
                "size": f"Not enough storage left for {filename} "
                f"({filesizeformat(size)}): {filesizeformat(owner.storage_available)}"
                " free of your quota."
            }
        ) from None
    except IntegrityError:
        # Another upload of the same content won the race.
        raise DuplicatePhoto(gallery.photos.get(sha256=sha256)) from None
    return photo, _target(photo)


def _target(photo: Photo) -> UploadTarget:
    if not settings.USE_S3:
        return UploadTarget(
            method="PUT", url=reverse("api:upload-content", args=[photo.pk])
        )
    key = photo.original.name
    if photo.size <= MULTIPART_THRESHOLD:
        post = filestore.presigned_post(key, photo.size, PRESIGN_SECONDS)
        return UploadTarget(method="POST", url=post["url"], fields=post["fields"])
    photo.upload_id = filestore.multipart_start(key)
    photo.save(update_fields=["upload_id"])
    urls = filestore.multipart_part_urls(
        key, photo.upload_id, -(-photo.size // PART_SIZE), PRESIGN_SECONDS
    )
    return UploadTarget(method="MULTIPART", part_size=PART_SIZE, part_urls=urls)


class _CountingReader:
    """Reads a request body, hashing and counting, refusing more than announced."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit = stream, limit
        self.count, self.digest = 0, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size if size and size > 0 else 1024 * 1024)
        self.count += len(chunk)
        if self.count > self.limit:
            raise ValidationError(
                {"file": "The file is larger than the size announced for it."}
            )
        self.digest.update(chunk)
        return chunk


def upload_receive(*, photo: Photo, stream) -> Photo:
    """Local storage: stream the request body to disk, never holding it in memory."""
    if settings.USE_S3:
        raise ValidationError("Send the file to the storage URL given at the start.")
    if photo.status != Photo.Status.UPLOADING:
        raise ValidationError("This upload is already complete.")
    reader = _CountingReader(stream, photo.size)
    default_storage.delete(photo.original.name)
    try:
        saved = default_storage.save(photo.original.name, File(reader))
    except BaseException:
        default_storage.delete(photo.original.name)
        raise
    if saved != photo.original.name:
        photo.original.name = saved
        photo.save(update_fields=["original"])
    if reader.count != photo.size:
        default_storage.delete(saved)
        raise ValidationError(
            {
                "file": f"The upload stopped early: {filesizeformat(reader.count)} "
                f"of {filesizeformat(photo.size)} arrived. Please try again."
            }
        )
    return upload_complete(photo=photo)


def upload_complete(*, photo: Photo, parts: list[dict] | None = None) -> Photo:
    """Check what arrived and queue the photo for processing.

    Sent twice (a browser's retry, or several at once), it queues the photo once,
    and again only if no worker has it: the first one's queueing may have failed.
    """
    with transaction.atomic():
        current = (
            Photo.objects.select_for_update()
            .select_related("gallery")
            .filter(pk=photo.pk)
            .first()
        )
        if current is None:
            return photo
        if current.status == Photo.Status.PROCESSING:
            photo_requeue_if_idle(photo=current)
            return current
        if current.status != Photo.Status.UPLOADING:
            return current
        if settings.USE_S3:
            _s3_finish(current, parts or [])
        current.status = Photo.Status.PROCESSING
        current.upload_id = ""
        current.attempts, current.claimed_by = 0, ""
        current.lease_until = lease_end()
        current.save(
            update_fields=[
                "status",
                "upload_id",
                "attempts",
                "claimed_by",
                "lease_until",
            ]
        )
        photo_process_later(photo_id=current.pk)
    return current


def _s3_finish(photo: Photo, parts: list[dict]) -> None:
    key = photo.original.name
    if photo.upload_id:
        if not parts:
            raise ValidationError(
                {"parts": "List the uploaded parts with their ETags."}
            )
        try:
            filestore.multipart_complete(
                key,
                photo.upload_id,
                [(int(p["part_number"]), p["etag"]) for p in parts],
            )
        except filestore.StorageRefused as error:
            raise ValidationError(
                {"parts": f"The storage refused to assemble the parts: {error}"}
            ) from error
    arrived = filestore.stored_size(key)
    if arrived is None:
        raise ValidationError({"file": "The file has not arrived in storage yet."})
    if arrived != photo.size:
        default_storage.delete(key)
        raise ValidationError(
            {
                "file": f"The upload arrived incomplete: {filesizeformat(arrived)} of "
                f"{filesizeformat(photo.size)}. Please try again."
            }
        )


def upload_abort(*, photo: Photo) -> None:
    """Give up an unfinished upload: its bytes, quota and row all go."""
    if photo.status != Photo.Status.UPLOADING:
        raise ValidationError("Only an unfinished upload can be aborted.")
    photos_delete(gallery=photo.gallery, photo_ids=[photo.pk])


def upload_abandon(*, photo: Photo, now: datetime.datetime) -> bool:
    """An upload never confirmed in time: its row, any bytes that arrived (and an
    unfinished multipart upload's parts) and its reserved quota go. False if it was
    confirmed or removed meanwhile."""
    return bool(
        abandoned_uploads_delete(gallery=photo.gallery, photo_ids=[photo.pk], now=now)
    )
