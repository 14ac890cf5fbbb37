"""The photographer's trash: deleting keeps things 30 days (still counted in the quota),
restoring gives them back whole, and emptying (by hand or by the scheduler) frees files
and quota exactly."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from galleries import trash
from galleries.models import Gallery, Photo
from galleries.services import gallery_set_cover
from galleries.tasks import empty_expired_trash
from galleries.tests.conftest import PHOTOS
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory


@pytest.fixture
def two_photos(gallery, upload_file):
    return [
        upload_file(gallery, PHOTOS / "orientation" / "landscape_1.jpg"),
        upload_file(gallery, PHOTOS / "orientation" / "portrait_1.jpg"),
    ]


def _files(settings):
    root = settings.MEDIA_ROOT / "photos"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _used(user) -> int:
    user.refresh_from_db()
    return user.storage_used


def test_a_deleted_gallery_waits_in_the_trash_still_counted_in_the_quota(
    gallery, owner, owner_client, two_photos, settings
):
    stored = _files(settings)

    response = owner_client.post(reverse("galleries:delete", args=[gallery.pk]))

    assert response.status_code == 302
    owner_client.get(reverse("galleries:dashboard"))  # shows the message, once
    dashboard = owner_client.get(reverse("galleries:dashboard")).content.decode()
    assert "Anna &amp; Ben" not in dashboard
    assert (
        owner_client.get(reverse("galleries:detail", args=[gallery.pk])).status_code
        == 404
    )
    page = owner_client.get(reverse("galleries:trash")).content.decode()
    assert "Anna &amp; Ben" in page
    assert _files(settings) == stored
    assert _used(owner) == sum(p.size for p in two_photos)
    profile = owner_client.get(reverse("accounts:profile")).content.decode()
    emptied = timezone.now() + datetime.timedelta(days=30)
    assert "in <a" in profile
    assert "the trash</a>, emptied on" in profile
    assert f"{emptied:%Y}" in profile


def test_deleted_photos_leave_the_grid_and_the_api_but_not_the_quota(
    gallery, owner, owner_client, owner_api, two_photos
):
    keep, drop = two_photos

    owner_client.post(
        reverse("galleries:photos_action", args=[gallery.pk]),
        {"action": "delete", "photo": [drop.pk]},
    )

    grid = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))
    assert drop.original_filename not in grid.content.decode()
    listed = owner_api.get(reverse("api:gallery-photo-list", args=[gallery.pk])).json()
    assert [row["id"] for row in listed["results"]] == [str(keep.pk)]
    assert owner_api.get(reverse("api:photo-detail", args=[drop.pk])).status_code == 404
    galleries = owner_api.get(reverse("api:gallery-list")).json()["results"]
    assert galleries[0]["photo_count"] == 1
    assert _used(owner) == keep.size + drop.size
    in_trash = owner_api.get(reverse("api:trash")).json()
    assert [row["id"] for row in in_trash["photos"]] == [str(drop.pk)]
    assert in_trash["bytes"] == drop.size


def test_a_restored_gallery_has_its_sets_order_and_captions_back(owner, owner_client):
    gallery = GalleryFactory(owner=owner, sets=["Ceremony", "Reception"])
    gallery.description = "Our day"
    gallery.save()
    for photo_set in gallery.sets.all():
        ReadyPhotoFactory(gallery=gallery, photo_set=photo_set)
    gallery_set_cover(gallery=gallery, photo=gallery.photos.last())
    before = list(gallery.photos.values_list("pk", "photo_set__name", "position"))
    owner_client.post(reverse("galleries:delete", args=[gallery.pk]))

    response = owner_client.post(
        reverse("galleries:trash_gallery_restore", args=[gallery.pk])
    )

    assert response.status_code == 302
    gallery.refresh_from_db()
    assert gallery.trashed_at is None
    assert gallery.description == "Our day"
    assert list(gallery.sets.values_list("name", flat=True)) == [
        "Ceremony",
        "Reception",
    ]
    after = list(gallery.photos.values_list("pk", "photo_set__name", "position"))
    assert after == before
    assert gallery.display_cover == gallery.photos.last()
    assert (
        owner_client.get(reverse("galleries:detail", args=[gallery.pk])).status_code
        == 200
    )


def test_restored_photos_go_back_to_their_set_and_place(
    gallery, owner, owner_api, two_photos
):
    keep, drop = two_photos
    owner_api.delete(reverse("api:photo-detail", args=[drop.pk]))

    answer = owner_api.post(
        reverse("api:trash_photos_restore"), {"ids": [str(drop.pk)]}, format="json"
    )

    assert answer.json() == {"count": 1}
    listed = owner_api.get(reverse("api:gallery-photo-list", args=[gallery.pk])).json()
    assert [row["id"] for row in listed["results"]] == [str(keep.pk), str(drop.pk)]


def test_the_scheduler_empties_the_trash_after_30_days_and_frees_files_and_quota(
    owner,
    gallery,
    two_photos,
    upload_file,
    settings,
    django_capture_on_commit_callbacks,
):
    other = GalleryFactory(owner=owner, title="Kept")
    kept = upload_file(other, PHOTOS / "orientation" / "landscape_2.jpg")
    loose = upload_file(other, PHOTOS / "orientation" / "portrait_2.jpg")
    trash.gallery_trash(gallery=gallery)
    trash.photos_trash(gallery=other, photo_ids=[loose.pk])
    kept_files = [p for p in _files(settings) if str(kept.pk) in str(p)]
    assert _used(owner) == sum(p.size for p in [*two_photos, kept, loose])

    almost = timezone.now() + datetime.timedelta(days=29, hours=23)
    with time_machine.travel(almost), django_capture_on_commit_callbacks(execute=True):
        empty_expired_trash()
    assert Gallery.objects.filter(pk=gallery.pk).exists()
    assert Photo.objects.filter(pk=loose.pk).exists()

    later = timezone.now() + datetime.timedelta(days=30, minutes=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        empty_expired_trash()

    assert not Gallery.objects.filter(pk=gallery.pk).exists()
    assert list(Photo.objects.all()) == [kept]
    assert _files(settings) == kept_files
    assert _used(owner) == kept.size


def test_the_trash_is_emptied_hourly_by_beat():
    schedule = django_settings.CELERY_BEAT_SCHEDULE["trash-empty"]
    assert schedule["task"] == "galleries.tasks.empty_expired_trash"
    assert schedule["schedule"] <= 3600


def test_empty_trash_now_and_delete_for_good_free_everything_at_once(
    owner,
    owner_client,
    gallery,
    two_photos,
    upload_file,
    settings,
    django_capture_on_commit_callbacks,
):
    other = GalleryFactory(owner=owner, title="Kept")
    kept = upload_file(other, PHOTOS / "orientation" / "landscape_2.jpg")
    loose = upload_file(other, PHOTOS / "orientation" / "portrait_2.jpg")
    trash.gallery_trash(gallery=gallery)
    trash.photos_trash(gallery=other, photo_ids=[loose.pk])

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("galleries:trash_photos_purge"), {"photo": [loose.pk]}
        )
    assert _used(owner) == kept.size + sum(p.size for p in two_photos)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("galleries:trash_empty"))

    assert list(Photo.objects.all()) == [kept]
    assert all(str(kept.pk) in str(p) for p in _files(settings))
    assert _used(owner) == kept.size
    page = owner_client.get(reverse("galleries:trash")).content.decode()
    assert "The trash is empty" in page


def test_a_gallery_out_of_the_trash_cannot_be_deleted_for_good_by_mistake(
    owner_client, owner_api, gallery, two_photos
):
    owner_client.post(reverse("galleries:trash_gallery_purge", args=[gallery.pk]))
    owner_api.delete(reverse("api:trash_gallery", args=[gallery.pk]))

    assert gallery.photos.count() == 2


def test_sending_a_photo_again_replaces_its_copy_in_the_trash(
    gallery, owner, upload_file, two_photos
):
    keep, drop = two_photos
    trash.photos_trash(gallery=gallery, photo_ids=[drop.pk])

    again = upload_file(gallery, PHOTOS / "orientation" / "portrait_1.jpg")

    assert again.status == Photo.Status.READY
    assert not Photo.objects.filter(pk=drop.pk).exists()
    assert _used(owner) == keep.size + again.size
