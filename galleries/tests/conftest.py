import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from galleries.imaging import DEFAULT_SPECS
from galleries.models import Photo
from galleries.tests.factories import GalleryFactory

#: Every rendition a processed photo has, e.g. "grid.avif", "preview.jpeg".
RENDITION_KEYS = {
    f"{spec.name}.{fmt}" for spec in DEFAULT_SPECS for fmt in spec.formats
}
PHOTOS = Path(__file__).resolve().parents[2] / "samples" / "photos"


@pytest.fixture
def gallery(owner):
    return GalleryFactory(owner=owner, title="Anna & Ben")


@pytest.fixture
def upload(owner_api, django_capture_on_commit_callbacks):
    """Upload bytes through the public API flow, as a script would.

    Work queued for after the commit (processing, file deletion) runs as it would
    in production, where each request commits.
    """

    def _upload(
        gallery, data: bytes, filename: str = "photo.jpg", api=owner_api, **extra
    ):
        with django_capture_on_commit_callbacks(execute=True):
            return _send(gallery, data, filename, api, extra)

    def _send(gallery, data, filename, api, extra):
        start = api.post(
            reverse("api:gallery-photo-uploads", args=[gallery.pk]),
            {"filename": filename, "size": len(data), **extra},
            format="json",
        )
        if start.status_code != 201:
            return start
        target = start.json()["upload"]
        assert target["method"] == "PUT"
        return api.put(target["url"], data, content_type="application/octet-stream")

    return _upload


@pytest.fixture
def upload_file(upload):
    def _upload_file(gallery, path: Path, **kwargs):
        response = upload(gallery, path.read_bytes(), filename=path.name, **kwargs)
        assert response.status_code == 200, response.content
        return Photo.objects.get(pk=response.json()["id"])

    return _upload_file


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
