"""Every owner URL, in the pages and the API, refused to strangers and anonymous visitors.

A stranger gets 404, exactly what a gallery that does not exist gives, so ids cannot be
probed; an anonymous visitor is sent to log in (pages) or gets 401 (API). Each case
also checks that nothing changed.
"""

import pytest
from django.urls import reverse

from config.tests.permission_matrix import (
    api_request,
    assert_answered_for_owner,
    every,
    page_request,
    rows,
    unchanged,
)
from galleries import trash
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
    in_trash = GalleryFactory(owner=owner, title="Deleted wedding")
    ReadyPhotoFactory(gallery=in_trash)
    trash.gallery_trash(gallery=in_trash)
    return {
        "trashed_gallery": in_trash.pk,
        "gallery": gallery.pk,
        "ceremony": ceremony.pk,
        "reception": reception.pk,
        "photo": photo.pk,
        "uploading_photo": uploading.pk,
        "failed_photo": failed.pk,
        "rejected_photo": rejected.pk,
    }


PAGES = rows(
    ("get", "galleries:detail", ["gallery"], {}),
    ("get", "galleries:edit", ["gallery"], {}),
    ("post", "galleries:edit", ["gallery"], {"title": "Hacked"}),
    ("get", "galleries:delete", ["gallery"], {}),
    ("post", "galleries:delete", ["gallery"], {}),
    ("post", "galleries:set_create", ["gallery"], {"name": "Hacked"}),
    ("post", "galleries:set_rename", ["gallery", "ceremony"], {"name": "Hacked"}),
    ("post", "galleries:set_move", ["gallery", "ceremony"], {"direction": "down"}),
    ("post", "galleries:set_delete", ["gallery", "ceremony"], {}),
    (
        "post",
        "galleries:photos_action",
        ["gallery"],
        {"action": "delete", "photo": "photo"},
    ),
    ("post", "galleries:photos_sort", ["gallery"], {"key": "filename"}),
    ("post", "galleries:photo_retry", ["photo"], {}),
    ("post", "galleries:photo_retry", ["failed_photo"], {}),
    ("get", "galleries:attention", ["gallery"], {}),
    ("post", "galleries:attention_action", ["gallery"], {"action": "retry_failed"}),
    ("post", "galleries:attention_action", ["gallery"], {"action": "dismiss_rejected"}),
    ("post", "galleries:photo_dismiss", ["failed_photo"], {}),
    ("post", "galleries:photo_dismiss", ["rejected_photo"], {}),
    ("get", "galleries:photo_original", ["photo"], {}),
    ("post", "galleries:trash_gallery_restore", ["trashed_gallery"], {}),
    ("post", "galleries:trash_gallery_purge", ["trashed_gallery"], {}),
)

API = rows(
    ("get", "api:gallery-detail", ["gallery"], None),
    ("patch", "api:gallery-detail", ["gallery"], {"title": "Hacked"}),
    ("delete", "api:gallery-detail", ["gallery"], None),
    ("post", "api:gallery-cover", ["gallery"], {"photo": "photo"}),
    ("get", "api:set-list", ["gallery"], None),
    ("post", "api:set-list", ["gallery"], {"name": "Hacked"}),
    ("patch", "api:set-detail", ["gallery", "ceremony"], {"name": "Hacked"}),
    ("delete", "api:set-detail", ["gallery", "ceremony"], None),
    ("post", "api:set-reorder", ["gallery"], {"ids": ["reception", "ceremony"]}),
    ("get", "api:gallery-photo-list", ["gallery"], None),
    ("get", "api:gallery-photo-list", ["gallery"], {"status": "rejected"}),
    ("get", "api:gallery-photo-attention", ["gallery"], None),
    ("post", "api:gallery-photo-reorder", ["gallery"], {"ids": ["photo"]}),
    ("post", "api:gallery-photo-sort", ["gallery"], {"key": "filename"}),
    (
        "post",
        "api:gallery-photo-move",
        ["gallery"],
        {"ids": ["photo"], "set": "reception"},
    ),
    ("post", "api:gallery-photo-delete-many", ["gallery"], {"ids": ["photo"]}),
    (
        "post",
        "api:gallery-photo-uploads",
        ["gallery"],
        {"filename": "x.jpg", "size": 10},
    ),
    ("get", "api:photo-detail", ["photo"], None),
    ("delete", "api:photo-detail", ["photo"], None),
    ("post", "api:photo-retry", ["photo"], None),
    ("post", "api:photo-retry", ["failed_photo"], None),
    ("post", "api:photo-dismiss", ["failed_photo"], None),
    ("post", "api:photo-dismiss", ["rejected_photo"], None),
    ("get", "api:photo-original", ["photo"], None),
    ("put", "api:upload-content", ["uploading_photo"], b"0123456789"),
    ("post", "api:upload-complete", ["uploading_photo"], {}),
    ("delete", "api:upload-detail", ["uploading_photo"], None),
    ("post", "api:trash_gallery_restore", ["trashed_gallery"], None),
    ("delete", "api:trash_gallery", ["trashed_gallery"], None),
)


def _snapshot():
    return (
        list(Gallery.objects.values_list("title", "cover", "updated_at", "trashed_at")),
        list(GallerySet.objects.values_list("name", "position")),
        list(Photo.objects.values_list("id", "photo_set", "position", "status")),
    )


@every(PAGES)
def test_a_stranger_gets_404_from_every_owner_page(stranger_client, things, row):
    with unchanged(_snapshot):
        response = page_request(stranger_client, row, things)

    assert response.status_code == 404


@every(PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in_from_every_owner_page(
    client, things, row
):
    with unchanged(_snapshot):
        response = page_request(client, row, things)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@every(API)
def test_a_stranger_gets_404_from_every_owner_api_endpoint(stranger_api, things, row):
    with unchanged(_snapshot):
        response = api_request(stranger_api, row, things)

    assert response.status_code == 404


@every(API)
def test_an_anonymous_caller_gets_401_from_every_owner_api_endpoint(
    api_client, things, row
):
    with unchanged(_snapshot):
        response = api_request(api_client, row, things)

    assert response.status_code == 401


def test_a_strangers_gallery_list_is_empty(stranger_api, things):
    assert stranger_api.get(reverse("api:gallery-list")).json()["results"] == []


# The matrix is only meaningful if every row works for its owner: each one, writes
# included, on a world of its own.
@every(PAGES)
def test_the_owner_can_use_every_page_checked_above(owner_client, things, row):
    assert_answered_for_owner(page_request(owner_client, row, things), row)


@every(API)
def test_the_owner_can_use_every_api_endpoint_checked_above(owner_api, things, row):
    assert_answered_for_owner(api_request(owner_api, row, things), row)


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
    folder = settings.MEDIA_ROOT / "photos" / "gallery" / "photo"
    folder.mkdir(parents=True)
    (folder / "grid.webp").write_bytes(b"thumb")
    (folder / "original.jpg").write_bytes(b"full size")
    url = file_url("photos/gallery/photo/grid.webp")

    assert client.get(url).status_code == 200
    assert client.get(url.replace("grid.webp", "original.jpg")).status_code == 404
    assert client.get(file_url("photos/gallery/photo/original.jpg")).status_code == 200
