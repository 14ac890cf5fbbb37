"""Many confirms of one upload at once, on a real database: one worker does the work."""

import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from galleries import processing
from galleries.models import Photo
from galleries.tests.conftest import PHOTOS, RENDITION_KEYS
from galleries.tests.factories import ReadyPhotoFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _need_postgresql():
    if connection.vendor != "postgresql":
        pytest.fail("This race needs PostgreSQL: run it through bin/test --all")


def _at_once(count: int, work) -> list:
    results, barrier = [None] * count, threading.Barrier(count)

    def run(n):
        barrier.wait()
        try:
            results[n] = work(n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_five_confirms_at_once_render_the_photo_once(owner, gallery, settings):
    _need_postgresql()
    data = (PHOTOS / "camera" / "canon_hdr_NO.jpg").read_bytes()
    token = str(RefreshToken.for_user(owner).access_token)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    start = api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": "canon.jpg", "size": len(data)},
        format="json",
    ).json()
    photo = Photo.objects.get(pk=start["photo"]["id"])
    # The bytes arrived the way a browser sends them to S3: not through us.
    default_storage.save(photo.original.name, ContentFile(data))

    def confirm(n):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client.post(reverse("api:upload-complete", args=[photo.pk]), {})

    responses = _at_once(5, confirm)

    assert [r.status_code for r in responses] == [200] * 5
    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    assert photo.attempts == 1
    files = sorted(
        p.name for p in (settings.MEDIA_ROOT / "photos").rglob("*") if p.is_file()
    )
    # One original and one set of renditions: no second render's copies beside them.
    assert len(files) == 1 + len(RENDITION_KEYS)


def test_of_workers_claiming_one_photo_at_once_exactly_one_wins(gallery):
    _need_postgresql()
    photo = ReadyPhotoFactory(gallery=gallery, status=Photo.Status.PROCESSING)

    won = _at_once(
        8, lambda n: processing.photo_claim(photo_id=photo.pk, worker=f"worker-{n}")
    )

    assert won.count(True) == 1
    photo.refresh_from_db()
    assert photo.attempts == 1
    assert photo.claimed_by == f"worker-{won.index(True)}"
