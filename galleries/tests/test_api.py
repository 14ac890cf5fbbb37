"""The galleries API as a script or app uses it."""

import uuid

import pytest
from django.urls import reverse

from config.tests.openapi import assert_documented
from galleries.models import Gallery, Photo
from galleries.tests.conftest import PHOTOS, RENDITION_KEYS
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory


def test_a_gallery_is_created_with_one_set(owner_api, owner):
    response = owner_api.post(
        reverse("api:gallery-list"),
        {"title": "Anna & Ben", "event_date": "2026-06-20"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Anna & Ben"
    assert [s["name"] for s in body["sets"]] == ["Highlights"]
    assert body["photo_count"] == 0
    assert Gallery.objects.get().owner == owner


def test_a_gallery_without_a_title_is_a_field_error(owner_api):
    response = owner_api.post(reverse("api:gallery-list"), {"title": ""}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "title"


def test_the_gallery_list_is_paginated_searchable_and_has_a_query_budget(
    owner_api, owner, django_assert_max_num_queries
):
    for n in range(25):
        ReadyPhotoFactory(gallery=GalleryFactory(owner=owner, title=f"Wedding {n}"))
    GalleryFactory(owner=owner, title="Headshots")

    with django_assert_max_num_queries(5):
        page = owner_api.get(reverse("api:gallery-list")).json()
    found = owner_api.get(reverse("api:gallery-list"), {"search": "headshots"}).json()

    assert page["count"] == 26
    assert found["count"] == 1
    assert found["results"][0]["title"] == "Headshots"


def test_updating_a_gallery(owner_api, gallery):
    response = owner_api.patch(
        reverse("api:gallery-detail", args=[gallery.pk]),
        {"description": "Welcome"},
        format="json",
    )

    assert response.status_code == 200
    gallery.refresh_from_db()
    assert gallery.description == "Welcome"


def test_sets_are_created_renamed_reordered_and_deleted(owner_api, gallery):
    sets_url = reverse("api:set-list", args=[gallery.pk])
    reception = owner_api.post(sets_url, {"name": "Reception"}, format="json").json()
    highlights = gallery.sets.get(name="Highlights")

    owner_api.patch(
        reverse("api:set-detail", args=[gallery.pk, reception["id"]]),
        {"name": "Party"},
        format="json",
    )
    owner_api.post(
        reverse("api:set-reorder", args=[gallery.pk]),
        {"ids": [reception["id"], str(highlights.pk)]},
        format="json",
    )

    assert [s["name"] for s in owner_api.get(sets_url).json()] == [
        "Party",
        "Highlights",
    ]
    deleted = owner_api.delete(
        reverse("api:set-detail", args=[gallery.pk, reception["id"]])
    )
    assert deleted.status_code == 204
    last = owner_api.delete(reverse("api:set-detail", args=[gallery.pk, highlights.pk]))
    assert last.status_code == 400
    assert "at least one set" in last.json()["errors"][0]["detail"]


def test_photos_list_in_order_with_urls_and_filters(
    owner_api, owner, django_assert_max_num_queries
):
    gallery = GalleryFactory(owner=owner, sets=["Ceremony", "Reception"])
    ceremony, reception = gallery.sets.order_by("position")
    for n in range(30):
        ReadyPhotoFactory(gallery=gallery, photo_set=ceremony if n % 2 else reception)
    ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, status=Photo.Status.FAILED, error="bad"
    )
    url = reverse("api:gallery-photo-list", args=[gallery.pk])

    with django_assert_max_num_queries(5):
        everything = owner_api.get(url).json()
    only_reception = owner_api.get(url, {"set": str(reception.pk)}).json()
    failed = owner_api.get(url, {"status": "failed"}).json()

    assert everything["count"] == 31
    first = everything["results"][0]
    assert set(first["urls"]) == RENDITION_KEYS
    assert first["set"] == str(ceremony.pk)
    assert only_reception["count"] == 15
    assert [p["error"] for p in failed["results"]] == ["bad"]


def test_photos_can_be_reordered_moved_sorted_and_deleted(owner_api, owner):
    gallery = GalleryFactory(owner=owner, sets=["Ceremony", "Reception"])
    ceremony, reception = gallery.sets.order_by("position")
    photo_a, photo_b, photo_c = (
        ReadyPhotoFactory(gallery=gallery, photo_set=ceremony, original_filename=n)
        for n in "cab"
    )
    base = reverse("api:gallery-photo-list", args=[gallery.pk])

    owner_api.post(
        f"{base}reorder/", {"ids": [str(photo_c.pk), str(photo_a.pk)]}, format="json"
    )
    assert list(
        gallery.photos.order_by("position").values_list("original_filename", flat=True)
    ) == ["b", "c", "a"]

    owner_api.post(f"{base}sort/", {"key": "filename"}, format="json")
    assert list(
        gallery.photos.order_by("position").values_list("original_filename", flat=True)
    ) == ["a", "b", "c"]

    owner_api.post(
        f"{base}move/",
        {"ids": [str(photo_a.pk)], "set": str(reception.pk)},
        format="json",
    )
    photo_a.refresh_from_db()
    assert photo_a.photo_set == reception

    owner_api.post(f"{base}delete/", {"ids": [str(photo_b.pk)]}, format="json")
    assert not Photo.objects.alive().filter(pk=photo_b.pk).exists()
    assert Photo.objects.trashed().filter(pk=photo_b.pk).exists()


def test_a_script_uploads_a_folder_with_the_documented_api_alone(
    owner_api, owner, django_capture_on_commit_callbacks
):
    """Register nothing, guess nothing: token in, gallery made, photos in, all ready."""
    gallery = owner_api.post(
        reverse("api:gallery-list"), {"title": "Script"}, format="json"
    ).json()
    folder = sorted((PHOTOS / "orientation").glob("landscape_*.jpg"))[:3]

    ids = []
    for path in folder:
        start = owner_api.post(
            reverse("api:gallery-photo-uploads", args=[gallery["id"]]),
            {"filename": path.name, "size": path.stat().st_size},
            format="json",
        ).json()
        with django_capture_on_commit_callbacks(execute=True):
            sent = owner_api.put(
                start["upload"]["url"],
                path.read_bytes(),
                content_type="application/octet-stream",
            )
        assert sent.status_code == 200
        ids.append(sent.json()["id"])

    listed = owner_api.get(
        reverse("api:gallery-photo-list", args=[gallery["id"]])
    ).json()
    assert [p["id"] for p in listed["results"]] == ids
    assert [p["filename"] for p in listed["results"]] == [p.name for p in folder]
    assert {p["status"] for p in listed["results"]} == {"ready"}


def test_a_failed_photo_can_be_retried_through_the_api(
    owner_api, gallery, django_capture_on_commit_callbacks, upload
):
    photo_id = upload(
        gallery,
        (PHOTOS / "orientation" / "portrait_1.jpg").read_bytes(),
        filename="p.jpg",
    ).json()["id"]
    Photo.objects.filter(pk=photo_id).update(
        status=Photo.Status.FAILED, error="disk hiccup"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(reverse("api:photo-retry", args=[photo_id]))

    assert response.status_code == 200
    assert Photo.objects.get(pk=photo_id).status == Photo.Status.READY


def test_the_schema_documents_every_galleries_endpoint(owner_api):
    schema = owner_api.get(
        reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()

    paths = set(schema["paths"])
    assert "/api/v1/galleries/{gallery_pk}/photos/uploads/" in paths
    assert "/api/v1/uploads/{id}/complete/" in paths
    assert "/api/v1/photos/{id}/original/" in paths


def test_a_set_patched_without_a_name_keeps_its_name_instead_of_failing(
    owner_api, gallery
):
    # Found by bin/contract: an empty PATCH answered 500.
    photo_set = gallery.sets.get()
    url = reverse("api:set-detail", args=[gallery.pk, photo_set.pk])

    response = owner_api.patch(url, {}, format="json")

    assert response.status_code == 200
    assert response.json()["name"] == photo_set.name


def test_a_new_gallery_has_no_cover_and_the_schema_says_it_may_have_none(owner_api):
    # Found by bin/contract: cover is null before the first photo; the schema said
    # it was always a string.
    from drf_spectacular.generators import SchemaGenerator

    created = owner_api.post(
        reverse("api:gallery-list"), {"title": "Empty"}, format="json"
    ).json()
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert created["cover"] is None
    assert schema["components"]["schemas"]["Gallery"]["properties"]["cover"].get(
        "nullable"
    )


# --- Found by the contract check (bin/contract): answers as documented ------------------


def test_a_new_gallery_has_a_last_activity_as_documented(owner_api):
    # SQLite answered null (its GREATEST is null when a gallery has no photos).
    created = owner_api.post(
        reverse("api:gallery-list"), {"title": "Empty"}, format="json"
    )
    listed = owner_api.get(reverse("api:gallery-list"))

    assert created.json()["last_activity"] == created.json()["updated_at"]
    assert_documented(created)
    assert_documented(listed)


def test_the_photo_list_refuses_a_malformed_filter_with_a_documented_field_error(
    owner_api, gallery
):
    url = reverse("api:gallery-photo-list", args=[gallery.pk])

    bad_set = owner_api.get(url, {"set": "null"})
    bad_status = owner_api.get(url, {"status": "lost"})

    assert bad_set.status_code == 400
    assert [e["attr"] for e in bad_set.json()["errors"]] == ["set"]
    assert_documented(bad_set)
    assert bad_status.status_code == 400
    assert bad_status.json()["errors"][0]["code"] == "invalid_choice"
    assert_documented(bad_status)


def test_an_empty_photo_filter_is_no_filter(owner_api, gallery):
    ReadyPhotoFactory(gallery=gallery)
    url = reverse("api:gallery-photo-list", args=[gallery.pk])

    response = owner_api.get(url, {"set": "", "status": ""})

    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize("action", ["delete-many", "move", "reorder"])
def test_a_bad_id_in_a_list_of_photos_names_its_position_as_documented(
    owner_api, gallery, action
):
    url = reverse(f"api:gallery-photo-{action}", args=[gallery.pk])
    body = {"ids": [str(uuid.uuid4()), "nope"], "set": str(gallery.sets.get().pk)}

    response = owner_api.post(url, body, format="json")

    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["ids.1"]
    assert_documented(response)


def test_a_bad_id_in_a_list_of_sets_names_its_position_as_documented(
    owner_api, gallery
):
    url = reverse("api:set-reorder", args=[gallery.pk])

    response = owner_api.post(url, {"ids": ["nope"]}, format="json")

    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["ids.0"]
    assert_documented(response)


def test_a_photo_uploaded_twice_answers_the_documented_409(owner_api, gallery):
    photo = ReadyPhotoFactory(gallery=gallery, sha256="ab" * 32)

    response = owner_api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": "again.jpg", "size": 2001, "sha256": "ab" * 32},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["existing"] == str(photo.pk)
    assert_documented(response)


def test_what_services_refuse_is_documented(owner_api, gallery):
    # Errors no serializer knows of: the last set, an original not there yet, bytes
    # or an abort for an upload that is finished.
    only_set = gallery.sets.get()
    uploading = ReadyPhotoFactory(gallery=gallery, status=Photo.Status.UPLOADING)
    ready = ReadyPhotoFactory(gallery=gallery)

    answers = [
        owner_api.delete(reverse("api:set-detail", args=[gallery.pk, only_set.pk])),
        owner_api.get(reverse("api:photo-original", args=[uploading.pk])),
        owner_api.put(
            reverse("api:upload-content", args=[ready.pk]),
            b"bytes",
            content_type="application/octet-stream",
        ),
        owner_api.delete(reverse("api:upload-detail", args=[ready.pk])),
        owner_api.post(
            reverse("api:gallery-cover", args=[gallery.pk]),
            {"photo": str(uploading.pk)},
            format="json",
        ),
    ]

    assert [a.status_code for a in answers] == [400] * len(answers)
    for answer in answers:
        assert answer.json()["errors"][0]["attr"] is None
        assert_documented(answer)


def test_a_search_with_a_nul_character_is_a_documented_error_of_the_search(owner_api):
    response = owner_api.get(reverse("api:gallery-list"), {"search": "a\x00b"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "search"
    assert_documented(response)
