"""Deleting photos, sets, galleries and accounts: files go, quota comes back."""

import pytest
from django.urls import reverse

from accounts.models import User
from galleries.models import Gallery, Photo
from galleries.tests.conftest import PHOTOS
from galleries.tests.factories import GalleryFactory


@pytest.fixture
def two_photos(gallery, upload_file):
    return [
        upload_file(gallery, PHOTOS / "orientation" / "landscape_1.jpg"),
        upload_file(gallery, PHOTOS / "orientation" / "portrait_1.jpg"),
    ]


def _files(settings):
    root = settings.MEDIA_ROOT / "photos"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _used(user):
    user.refresh_from_db()
    return user.storage_used


def test_deleting_photos_and_emptying_the_trash_removes_their_files_and_bytes(
    gallery,
    owner,
    owner_client,
    two_photos,
    settings,
    django_capture_on_commit_callbacks,
):
    keep, drop = two_photos
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("galleries:photos_action", args=[gallery.pk]),
            {"action": "delete", "photo": [drop.pk]},
        )
        owner_client.post(reverse("galleries:trash_empty"))

    assert list(gallery.photos.all()) == [keep]
    assert _used(owner) == keep.size
    assert all(str(keep.pk) in str(path) for path in _files(settings))


def test_deleting_a_gallery_and_emptying_the_trash_removes_every_file(
    gallery,
    owner,
    owner_client,
    two_photos,
    settings,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("galleries:delete", args=[gallery.pk]))
        owner_client.post(reverse("galleries:trash_empty"))

    assert response.status_code == 302
    assert not Gallery.objects.exists()
    assert _files(settings) == []
    assert _used(owner) == 0


def test_deleting_the_account_removes_every_file(
    owner,
    owner_client,
    password,
    two_photos,
    settings,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("accounts:delete"), {"password": password, "confirm": "on"}
        )

    assert not User.objects.filter(pk=owner.pk).exists()
    assert _files(settings) == []


def test_accounts_deleted_in_bulk_take_their_files_with_them(
    owner, two_photos, settings, django_capture_on_commit_callbacks
):
    # As the admin's "delete selected" does: a queryset delete, no service called.
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.filter(pk=owner.pk).delete()

    assert _files(settings) == []


def test_files_stay_when_the_delete_rolls_back(
    gallery, two_photos, settings, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from galleries import services

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.gallery_delete(gallery=gallery)
                raise RuntimeError("something later failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert len(_files(settings)) == sum(
        1 + len(p.renditions) for p in Photo.objects.all()
    )
    assert Photo.objects.count() == 2


def test_deleting_a_set_deletes_its_photos_but_not_the_others(
    owner, owner_client, upload_file, django_capture_on_commit_callbacks
):
    gallery = GalleryFactory(owner=owner, sets=["Ceremony", "Reception"])
    ceremony, reception = gallery.sets.order_by("position")
    upload_file(
        gallery, PHOTOS / "orientation" / "landscape_1.jpg", set=str(ceremony.pk)
    )
    kept = upload_file(
        gallery, PHOTOS / "orientation" / "portrait_1.jpg", set=str(reception.pk)
    )

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("galleries:set_delete", args=[gallery.pk, ceremony.pk])
        )

    assert list(gallery.sets.all()) == [reception]
    assert list(gallery.photos.all()) == [kept]
    assert _used(owner) == kept.size


def test_the_last_set_cannot_be_deleted(gallery, owner_client):
    only = gallery.sets.get()

    response = owner_client.post(
        reverse("galleries:set_delete", args=[gallery.pk, only.pk]), follow=True
    )

    assert gallery.sets.count() == 1
    assert b"at least one set" in response.content
