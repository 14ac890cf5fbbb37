"""Every owner URL, in the pages and the API, refused to strangers and anonymous visitors.

A stranger gets 404, exactly what a gallery that does not exist gives, so ids cannot be
probed; an anonymous visitor is sent to log in (pages) or gets 401 (API). Each case
also checks that nothing changed.
"""

import pytest
from django.urls import reverse

from galleries.models import Gallery, GallerySet, Photo
from galleries.signed_urls import file_url
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory


@pytest.fixture
def things(owner):
    gallery = GalleryFactory(
        owner=owner, title="Private wedding", sets=["Ceremony", "Reception"]
    )
    ceremony, reception = gallery.sets.order_by("position")
    photo = ReadyPhotoFactory(gallery=gallery, photo_set=ceremony)
    uploading = ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, status=Photo.Status.UPLOADING
    )
    failed = ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, status=Photo.Status.FAILED, error="x"
    )
    rejected = ReadyPhotoFactory(
        gallery=gallery,
        photo_set=ceremony,
        status=Photo.Status.REJECTED,
        original="",
        renditions={},
        error="This file is not a photo we can read.",
    )
    return {
        "g": gallery.pk,
        "s": ceremony.pk,
        "s2": reception.pk,
        "p": photo.pk,
        "u": uploading.pk,
        "f": failed.pk,
        "r": rejected.pk,
    }


PAGES = [
    ("get", "galleries:detail", ["g"], {}),
    ("get", "galleries:edit", ["g"], {}),
    ("post", "galleries:edit", ["g"], {"title": "Hacked"}),
    ("get", "galleries:delete", ["g"], {}),
    ("post", "galleries:delete", ["g"], {}),
    ("post", "galleries:set_create", ["g"], {"name": "Hacked"}),
    ("post", "galleries:set_rename", ["g", "s"], {"name": "Hacked"}),
    ("post", "galleries:set_move", ["g", "s"], {"direction": "down"}),
    ("post", "galleries:set_delete", ["g", "s"], {}),
    ("post", "galleries:photos_action", ["g"], {"action": "delete", "photo": "p"}),
    ("post", "galleries:photos_sort", ["g"], {"key": "filename"}),
    ("post", "galleries:photo_retry", ["p"], {}),
    ("post", "galleries:photo_retry", ["f"], {}),
    ("get", "galleries:attention", ["g"], {}),
    ("post", "galleries:attention_action", ["g"], {"action": "retry_failed"}),
    ("post", "galleries:attention_action", ["g"], {"action": "dismiss_rejected"}),
    ("post", "galleries:photo_dismiss", ["f"], {}),
    ("post", "galleries:photo_dismiss", ["r"], {}),
    ("get", "galleries:photo_original", ["p"], {}),
]

API = [
    ("get", "api:gallery-detail", ["g"], None),
    ("patch", "api:gallery-detail", ["g"], {"title": "Hacked"}),
    ("delete", "api:gallery-detail", ["g"], None),
    ("post", "api:gallery-cover", ["g"], {"photo": "p"}),
    ("get", "api:set-list", ["g"], None),
    ("post", "api:set-list", ["g"], {"name": "Hacked"}),
    ("patch", "api:set-detail", ["g", "s"], {"name": "Hacked"}),
    ("delete", "api:set-detail", ["g", "s"], None),
    ("post", "api:set-reorder", ["g"], {"ids": ["s2", "s"]}),
    ("get", "api:gallery-photo-list", ["g"], None),
    ("get", "api:gallery-photo-list", ["g"], {"status": "rejected"}),
    ("get", "api:gallery-photo-attention", ["g"], None),
    ("post", "api:gallery-photo-reorder", ["g"], {"ids": ["p"]}),
    ("post", "api:gallery-photo-sort", ["g"], {"key": "filename"}),
    ("post", "api:gallery-photo-move", ["g"], {"ids": ["p"], "set": "s2"}),
    ("post", "api:gallery-photo-delete-many", ["g"], {"ids": ["p"]}),
    ("post", "api:gallery-photo-uploads", ["g"], {"filename": "x.jpg", "size": 10}),
    ("get", "api:photo-detail", ["p"], None),
    ("delete", "api:photo-detail", ["p"], None),
    ("post", "api:photo-retry", ["p"], None),
    ("post", "api:photo-retry", ["f"], None),
    ("post", "api:photo-dismiss", ["f"], None),
    ("post", "api:photo-dismiss", ["r"], None),
    ("get", "api:photo-original", ["p"], None),
    ("put", "api:upload-content", ["u"], b"0123456789"),
    ("post", "api:upload-complete", ["u"], {}),
    ("delete", "api:upload-detail", ["u"], None),
]


def _resolve(value, things):
    if isinstance(value, list):
        return [_resolve(v, things) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, things) for k, v in value.items()}
    return str(things[value]) if isinstance(value, str) and value in things else value


def _snapshot():
    return (
        list(Gallery.objects.values_list("title", "cover", "updated_at")),
        list(GallerySet.objects.values_list("name", "position")),
        list(Photo.objects.values_list("id", "photo_set", "position", "status")),
    )


def _page_request(client, method, name, args, data, things):
    url = reverse(name, args=[things[a] for a in args])
    return getattr(client, method)(url, _resolve(data, things))


def _api_request(api, method, name, args, data, things):
    url = reverse(name, args=[things[a] for a in args])
    if isinstance(data, bytes):
        return api.put(url, data, content_type="application/octet-stream")
    return getattr(api, method)(url, _resolve(data, things), format="json")


@pytest.mark.parametrize(
    ("method", "name", "args", "data"), PAGES, ids=[f"{m} {n}" for m, n, *_ in PAGES]
)
def test_a_stranger_gets_404_from_every_owner_page(
    stranger_client, things, method, name, args, data
):
    before = _snapshot()

    response = _page_request(stranger_client, method, name, args, data, things)

    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("method", "name", "args", "data"), PAGES, ids=[f"{m} {n}" for m, n, *_ in PAGES]
)
def test_an_anonymous_visitor_is_sent_to_log_in_from_every_owner_page(
    client, things, method, name, args, data
):
    before = _snapshot()

    response = _page_request(client, method, name, args, data, things)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("method", "name", "args", "data"), API, ids=[f"{m} {n}" for m, n, *_ in API]
)
def test_a_stranger_gets_404_from_every_owner_api_endpoint(
    stranger_api, things, method, name, args, data
):
    before = _snapshot()

    response = _api_request(stranger_api, method, name, args, data, things)

    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("method", "name", "args", "data"), API, ids=[f"{m} {n}" for m, n, *_ in API]
)
def test_an_anonymous_caller_gets_401_from_every_owner_api_endpoint(
    api_client, things, method, name, args, data
):
    before = _snapshot()

    response = _api_request(api_client, method, name, args, data, things)

    assert response.status_code == 401
    assert _snapshot() == before


def test_a_strangers_gallery_list_is_empty(stranger_api, things):
    assert stranger_api.get(reverse("api:gallery-list")).json()["results"] == []


def test_the_owner_can_use_every_page_checked_above(owner_client, things):
    # The matrix is only meaningful if these URLs work for their owner.
    for method, name, args, _ in PAGES:
        if method == "get":
            response = _page_request(owner_client, method, name, args, {}, things)
            assert response.status_code in {200, 302}, name


def test_a_malformed_id_is_simply_not_found(owner_api):
    assert owner_api.get("/api/v1/galleries/not-a-uuid/").status_code == 404


def test_a_file_url_cannot_be_forged_or_reused_after_expiry(
    client, gallery, settings, monkeypatch
):
    (settings.MEDIA_ROOT / "photos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "photos" / "secret.jpg").write_bytes(b"secret")
    url = file_url("photos/secret.jpg")

    token = url.split("/")[-2]
    assert client.get(url).status_code == 200
    assert client.get(url.replace(token, token[:-3] + "xxx")).status_code == 404
    assert client.get(url.replace("secret.jpg", "..")).status_code == 404
    import time

    later = time.time() + 3 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(url).status_code == 404


def test_a_rendition_url_cannot_be_turned_into_the_original(client, settings):
    folder = settings.MEDIA_ROOT / "photos" / "g" / "p"
    folder.mkdir(parents=True)
    (folder / "grid.webp").write_bytes(b"thumb")
    (folder / "original.jpg").write_bytes(b"full size")
    url = file_url("photos/g/p/grid.webp")

    assert client.get(url).status_code == 200
    assert client.get(url.replace("grid.webp", "original.jpg")).status_code == 404
    assert client.get(file_url("photos/g/p/original.jpg")).status_code == 200
