"""Processing uploads end to end: upright, idempotent, failures visible and retryable."""

import pytest
from django.urls import reverse
from PIL import Image, ImageChops, ImageStat

from galleries import processing
from galleries.models import Photo
from galleries.tests.conftest import PHOTOS


def _grid_image(settings, photo) -> Image.Image:
    return Image.open(
        settings.MEDIA_ROOT / photo.renditions["grid.jpeg"]["name"]
    ).convert("L")


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
def test_every_exif_orientation_comes_out_upright_and_unmirrored(
    gallery, upload_file, settings, shape
):
    reference = _grid_image(
        settings, upload_file(gallery, PHOTOS / "orientation" / f"{shape}_1.jpg")
    )

    for n in range(2, 9):
        photo = upload_file(gallery, PHOTOS / "orientation" / f"{shape}_{n}.jpg")
        photo.refresh_from_db()
        image = _grid_image(settings, photo)
        assert image.size == reference.size, f"{shape}_{n}"
        difference = ImageStat.Stat(ImageChops.difference(image, reference)).mean[0]
        assert difference < 8, f"{shape}_{n} differs from {shape}_1 by {difference:.1f}"


def test_processing_twice_leaves_one_set_of_files(gallery, upload_file, settings):
    photo = upload_file(gallery, PHOTOS / "orientation" / "landscape_1.jpg")
    files_before = sorted(p.name for p in (settings.MEDIA_ROOT / "photos").rglob("*"))

    processing.photo_process(photo_id=photo.pk, force=True)
    processing.photo_process(photo_id=photo.pk, force=True)

    files_after = sorted(p.name for p in (settings.MEDIA_ROOT / "photos").rglob("*"))
    assert files_after == files_before
    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY


def test_a_finished_photo_is_not_processed_again_by_a_redelivered_task(
    gallery, upload_file
):
    photo = upload_file(gallery, PHOTOS / "orientation" / "landscape_1.jpg")
    photo.refresh_from_db()
    renditions = photo.renditions

    processing.photo_process(photo_id=photo.pk)

    photo.refresh_from_db()
    assert photo.renditions == renditions


def test_a_photo_deleted_while_queued_is_ignored(db):
    assert (
        processing.photo_process(photo_id="00000000-0000-0000-0000-000000000001")
        is None
    )


def test_a_processing_failure_shows_on_the_photo_and_can_be_retried(
    gallery, upload, owner_client, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_render(*args, **kwargs):
        raise RuntimeError("encoder exploded")

    monkeypatch.setattr(processing.imaging, "render", broken_render)
    data = (PHOTOS / "orientation" / "landscape_1.jpg").read_bytes()
    photo_id = upload(gallery, data, filename="a.jpg").json()["id"]

    photo = Photo.objects.get(pk=photo_id)
    assert photo.status == Photo.Status.FAILED
    assert "encoder exploded" in photo.error
    page = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))
    assert b"Could not process" in page.content
    assert reverse("galleries:photo_retry", args=[photo.pk]).encode() in page.content

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("galleries:photo_retry", args=[photo.pk]))

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    assert photo.error == ""
