"""Parallel uploads racing for the last bytes of a quota, on a real database."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from galleries.models import Photo

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_parallel_uploads_never_overshoot_the_quota(owner, gallery):
    if connection.vendor != "postgresql":
        pytest.fail("This race needs PostgreSQL: run it through bin/test --all")
    owner.storage_quota = 10_000
    owner.save(update_fields=["storage_quota"])
    token = str(RefreshToken.for_user(owner).access_token)
    url = reverse("api:gallery-photo-uploads", args=[gallery.pk])
    statuses, barrier = [], threading.Barrier(12)

    def start_upload(n):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        barrier.wait()
        try:
            response = api.post(
                url, {"filename": f"{n}.jpg", "size": 3000}, format="json"
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start_upload, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    owner.refresh_from_db()
    assert sorted(statuses) == [201] * 3 + [400] * 9
    assert owner.storage_used == 9000
    assert Photo.objects.count() == 3
