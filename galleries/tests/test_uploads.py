"""Uploading through the API on local storage: what lands, what is refused, what is left."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from galleries.models import Photo
from galleries.tests.conftest import PHOTOS, RENDITION_KEYS, sha256


def _stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT / "photos"
    return (
        sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        if root.exists()
        else []
    )


def _quota_used(user) -> int:
    user.refresh_from_db()
    return user.storage_used


def test_a_photo_lands_with_renditions_metadata_and_quota(gallery, owner, upload_file):
    path = PHOTOS / "camera" / "canon_hdr_NO.jpg"

    photo = upload_file(gallery, path)

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    assert (photo.width, photo.height) == (1536, 2048)  # EXIF orientation 6: portrait
    assert photo.camera == "Canon PowerShot SX60 HS"
    assert photo.taken_at is not None
    assert photo.sha256 == sha256(path.read_bytes())
    assert set(photo.renditions) == RENDITION_KEYS
    assert "grid.jpeg" in RENDITION_KEYS  # every browser can show the grid
    assert photo.placeholder.startswith("data:image/")
    assert _quota_used(owner) == path.stat().st_size


def test_the_original_is_kept_byte_for_byte(gallery, owner_client, upload_file):
    path = PHOTOS / "camera" / "DSCN0010.jpg"
    photo = upload_file(gallery, path)

    redirect = owner_client.get(reverse("galleries:photo_original", args=[photo.pk]))
    download = owner_client.get(redirect["Location"])

    assert b"".join(download.streaming_content) == path.read_bytes()
    assert 'filename="DSCN0010.jpg"' in download["Content-Disposition"]


def test_renditions_carry_no_gps_or_camera_metadata(
    gallery, owner_client, upload_file, settings
):
    photo = upload_file(gallery, PHOTOS / "camera" / "DSCN0010.jpg")

    for rendition in photo.renditions.values():
        image = Image.open(settings.MEDIA_ROOT / rendition["name"])
        assert not image.getexif(), rendition["name"]
        assert "exif" not in image.info


def test_an_iphone_heic_is_accepted(gallery, upload_file):
    photo = upload_file(gallery, PHOTOS / "heic" / "iphone_13_pro_max.HEIC")

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    assert photo.mime_type in {"image/heic", "image/heif"}
    assert photo.height > photo.width


def test_garbage_exif_does_not_stop_a_photo(gallery, upload_file):
    photo = upload_file(gallery, PHOTOS / "odd" / "corrupted.jpg")

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Dear client, here are your photos!\n" * 50, "not a photo we can read"),
        (
            (PHOTOS / "camera" / "jolla.jpg").read_bytes()[:200_000],
            "damaged or incomplete",
        ),
    ],
    ids=["text-named-jpg", "truncated-jpeg"],
)
def test_a_file_that_is_not_a_whole_photo_is_refused_and_leaves_nothing(
    gallery, owner, upload, settings, data, message
):
    response = upload(gallery, data, filename="IMG_0001.jpg")

    photo = Photo.objects.get(pk=response.json()["id"])
    assert photo.status == Photo.Status.REJECTED
    assert message in photo.error
    assert _stored_files(settings) == []
    assert _quota_used(owner) == 0


def test_a_decompression_bomb_is_refused_before_decoding(
    gallery, owner, upload, settings
):
    bomb = io.BytesIO()
    Image.new("1", (40_000, 40_000)).save(bomb, "PNG")

    response = upload(gallery, bomb.getvalue(), filename="huge.png")

    photo = Photo.objects.get(pk=response.json()["id"])
    assert photo.status == Photo.Status.REJECTED
    assert "megapixels" in photo.error
    assert _stored_files(settings) == []
    assert _quota_used(owner) == 0


def test_an_empty_file_is_refused_up_front(gallery, owner, upload):
    response = upload(gallery, b"", filename="empty.jpg")

    assert response.status_code == 400
    assert "empty" in response.json()["errors"][0]["detail"]
    assert not Photo.objects.exists()


def test_a_file_over_the_size_limit_is_refused_up_front(gallery, owner_api, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000

    response = owner_api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": "big.jpg", "size": 5000},
        format="json",
    )

    assert response.status_code == 400
    assert "the limit is" in response.json()["errors"][0]["detail"]


def test_a_photo_that_does_not_fit_the_quota_is_refused_and_reserves_nothing(
    gallery, owner, owner_api
):
    owner.storage_quota = 1000
    owner.save(update_fields=["storage_quota"])

    response = owner_api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": "a.jpg", "size": 1001},
        format="json",
    )

    assert response.status_code == 400
    assert "Not enough storage" in response.json()["errors"][0]["detail"]
    assert _quota_used(owner) == 0
    assert not Photo.objects.exists()


def test_the_same_photo_twice_is_skipped_before_upload(gallery, upload_file, owner_api):
    path = PHOTOS / "orientation" / "landscape_1.jpg"
    first = upload_file(gallery, path)

    response = owner_api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {
            "filename": "copy.jpg",
            "size": path.stat().st_size,
            "sha256": sha256(path.read_bytes()),
        },
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["existing"] == str(first.pk)
    assert "already in this gallery" in response.json()["errors"][0]["detail"]


def test_the_same_photo_twice_without_a_hash_is_caught_after_upload(
    gallery, owner, upload_file, settings
):
    path = PHOTOS / "orientation" / "landscape_1.jpg"
    upload_file(gallery, path)

    again = upload_file(gallery, path)

    again.refresh_from_db()
    assert again.status == Photo.Status.REJECTED
    assert "already in the gallery" in again.error
    assert _quota_used(owner) == path.stat().st_size


def test_more_bytes_than_announced_are_refused_and_nothing_is_kept(
    gallery, owner, owner_api, settings
):
    start = owner_api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": "a.jpg", "size": 10},
        format="json",
    ).json()

    response = owner_api.put(
        start["upload"]["url"], b"x" * 5000, content_type="application/octet-stream"
    )

    assert response.status_code == 400
    assert _stored_files(settings) == []


def test_an_abandoned_upload_gives_back_its_quota(
    gallery, owner, owner_api, django_capture_on_commit_callbacks
):
    start = owner_api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": "a.jpg", "size": 5000},
        format="json",
    ).json()
    assert _quota_used(owner) == 5000

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.delete(
            reverse("api:upload-detail", args=[start["photo"]["id"]])
        )

    assert response.status_code == 204
    assert _quota_used(owner) == 0
    assert not Photo.objects.exists()


def test_uploads_land_in_the_chosen_set(owner, upload_file):
    from galleries.tests.factories import GalleryFactory

    gallery = GalleryFactory(owner=owner, sets=["Ceremony", "Reception"])
    reception = gallery.sets.get(name="Reception")

    photo = upload_file(
        gallery, PHOTOS / "orientation" / "portrait_1.jpg", set=str(reception.pk)
    )

    assert photo.photo_set == reception


def test_a_set_of_another_gallery_is_refused(gallery, owner, owner_api):
    from galleries.tests.factories import GalleryFactory

    other = GalleryFactory(owner=owner)

    response = owner_api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": "a.jpg", "size": 10, "set": str(other.sets.first().pk)},
        format="json",
    )

    assert response.status_code == 404
