"""Uploads that need the photographer: processing failed, or the file was refused.

Neither is in the grid of photos, so the gallery lists them apart, each with its
reason (`Photo.reason`). A failed one can be retried: its original is still stored
and the failure was ours. A refused one cannot (its bytes are gone, and the same
file would be refused again). Either can be dismissed: its row and stored files go
and its bytes return to the quota, through `services.photos_delete` like any
photo's. Dismissing refuses anything else, so a stale page cannot delete a photo
that has since become ready.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from galleries import services
from galleries.models import Gallery, Photo


def retry(*, photo: Photo) -> Photo:
    """Process a failed photo again. One already queued again, or ready, is left as
    it is (a second click changes nothing); a refused file is an error."""
    if photo.status == Photo.Status.REJECTED:
        raise ValidationError(
            f"{photo.original_filename} cannot be retried: {photo.reason} "
            "Dismiss it, and upload the photo again in a format we accept."
        )
    if photo.status == Photo.Status.FAILED and not photo.original:
        raise ValidationError(
            f"{photo.original_filename} cannot be retried: its file is gone. "
            "Dismiss it and upload it again."
        )
    return services.photo_retry(photo=photo)


def retry_failed(*, gallery: Gallery) -> int:
    """Retry every failed photo of the gallery; how many were queued."""
    failed = list(
        gallery.photos.filter(status=Photo.Status.FAILED).exclude(original="")
    )
    for photo in failed:
        services.photo_retry(photo=photo)
    return len(failed)


def dismiss(*, photo: Photo) -> None:
    """Delete a failed or refused upload: row, files and quota. Gone already is fine."""
    with transaction.atomic():
        current = Photo.objects.select_for_update().filter(pk=photo.pk).first()
        if current is None:
            return
        if current.status not in Photo.NEEDS_ATTENTION:
            raise ValidationError(
                f"{current.original_filename} is {current.get_status_display().lower()}"
                ", not failed or refused: delete it from the gallery instead."
            )
        services.photos_delete(gallery=photo.gallery, photo_ids=[current.pk])


def dismiss_rejected(*, gallery: Gallery) -> int:
    """Dismiss every refused file of the gallery (their bytes are gone already)."""
    with transaction.atomic():
        ids = list(
            gallery.photos.select_for_update()
            .filter(status=Photo.Status.REJECTED)
            .values_list("pk", flat=True)
        )
        return services.photos_delete(gallery=gallery, photo_ids=ids) if ids else 0
