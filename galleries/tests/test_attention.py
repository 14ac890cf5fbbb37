"""Uploads that did not become photos stay where the photographer can find them."""

import pytest
from django.urls import reverse

from config.tests.openapi import assert_documented
from galleries import processing
from galleries.models import Photo
from galleries.tests.conftest import PHOTOS
from galleries.tests.factories import ReadyPhotoFactory

NOT_A_PHOTO = b"Meeting notes: bring the second camera body.\n" * 20


def _quota_used(user) -> int:
    user.refresh_from_db()
    return user.storage_used


def _stored(settings) -> list:
    root = settings.MEDIA_ROOT / "photos"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def failed_upload(gallery, upload, monkeypatch):
    """A real upload whose processing broke on our side (its original is kept)."""

    def _failed(filename="IMG_0001.jpg"):
        def broken_render(*args, **kwargs):
            raise RuntimeError("encoder exploded")

        with monkeypatch.context() as patch:
            patch.setattr(processing.imaging, "render", broken_render)
            data = (PHOTOS / "orientation" / "landscape_1.jpg").read_bytes()
            photo_id = upload(gallery, data, filename=filename).json()["id"]
        return Photo.objects.get(pk=photo_id)

    return _failed


@pytest.fixture
def rejected_upload(gallery, upload):
    def _rejected(filename="notes.jpg", data=NOT_A_PHOTO):
        photo_id = upload(gallery, data, filename=filename).json()["id"]
        return Photo.objects.get(pk=photo_id)

    return _rejected


def test_seven_rejected_uploads_are_counted_by_the_status_filter(
    gallery, owner_api, rejected_upload
):
    for n in range(7):
        rejected_upload(f"notes-{n}.jpg", NOT_A_PHOTO + bytes([n]))
    ReadyPhotoFactory(gallery=gallery)
    url = reverse("api:gallery-photo-list", args=[gallery.pk])

    rejected = owner_api.get(url, {"status": "rejected"})
    everything = owner_api.get(url).json()

    assert rejected.json()["count"] == 7
    assert {p["status"] for p in rejected.json()["results"]} == {"rejected"}
    assert_documented(rejected)
    # The plain list is the grid's: photos, not files that are not photos.
    assert everything["count"] == 1


def test_the_gallery_page_says_how_many_uploads_need_attention_and_links_there(
    gallery, owner_client, failed_upload, rejected_upload, owner_api
):
    failed_upload()
    rejected_upload()
    ReadyPhotoFactory(gallery=gallery)

    html = owner_client.get(reverse("galleries:detail", args=[gallery.pk])).content
    dashboard = owner_client.get(reverse("galleries:dashboard")).content
    listed = owner_api.get(reverse("api:gallery-detail", args=[gallery.pk])).json()

    assert b"2 uploads need attention" in html
    assert reverse("galleries:attention", args=[gallery.pk]).encode() in html
    assert b"2 need attention" in dashboard
    assert listed["attention_count"] == 2


def test_a_gallery_without_problems_shows_no_attention_notice(gallery, owner_client):
    ReadyPhotoFactory(gallery=gallery)

    html = owner_client.get(reverse("galleries:detail", args=[gallery.pk])).content

    assert b"data-attention" not in html


def test_the_attention_page_lists_each_upload_with_its_reason_and_what_helps(
    gallery, owner_client, failed_upload, rejected_upload
):
    failed = failed_upload("IMG_0001.jpg")
    rejected = rejected_upload("notes.jpg")
    ReadyPhotoFactory(gallery=gallery, original_filename="fine.jpg")

    response = owner_client.get(reverse("galleries:attention", args=[gallery.pk]))

    html = response.content.decode()
    assert [p.pk for p in response.context["page"]] == [rejected.pk, failed.pk]
    assert "IMG_0001.jpg" in html
    assert "notes.jpg" in html
    assert "fine.jpg" not in html
    # A refused file says what is wrong with it; a failure says it was ours.
    assert "not a photo we can read" in html
    assert Photo.FAILED_REASON in html
    retry = reverse("galleries:photo_retry", args=[failed.pk])
    assert retry in html
    # Retrying cannot turn meeting notes into a photo: no retry is offered.
    assert reverse("galleries:photo_retry", args=[rejected.pk]) not in html
    for photo in (failed, rejected):
        assert reverse("galleries:photo_dismiss", args=[photo.pk]) in html


def test_retrying_a_failed_upload_from_the_attention_page_makes_it_a_photo(
    gallery, owner_client, failed_upload, django_capture_on_commit_callbacks
):
    failed = failed_upload()
    page = reverse("galleries:attention", args=[gallery.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("galleries:photo_retry", args=[failed.pk]), {"next": page}
        )

    assert response["Location"] == page
    failed.refresh_from_db()
    assert failed.status == Photo.Status.READY
    assert not owner_client.get(page).context["page"].object_list


def test_a_rejected_file_cannot_be_retried_and_says_why(
    gallery, owner_client, owner_api, rejected_upload
):
    rejected = rejected_upload()

    api = owner_api.post(reverse("api:photo-retry", args=[rejected.pk]))
    page = owner_client.post(
        reverse("galleries:photo_retry", args=[rejected.pk]), follow=True
    )

    assert api.status_code == 400
    assert "cannot be retried" in api.json()["errors"][0]["detail"]
    assert_documented(api)
    assert "cannot be retried" in page.content.decode()
    assert Photo.objects.get(pk=rejected.pk).status == Photo.Status.REJECTED


def test_dismissing_a_failed_upload_deletes_its_files_and_gives_back_its_quota(
    gallery,
    owner,
    owner_client,
    failed_upload,
    settings,
    django_capture_on_commit_callbacks,
):
    failed = failed_upload()
    assert _quota_used(owner) == failed.size
    assert _stored(settings)

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("galleries:photo_dismiss", args=[failed.pk])
        )

    assert response["Location"] == reverse("galleries:attention", args=[gallery.pk])
    assert not Photo.objects.filter(pk=failed.pk).exists()
    assert _quota_used(owner) == 0
    assert _stored(settings) == []


def test_dismissing_a_rejected_file_through_the_api_removes_it(
    gallery, owner, owner_api, rejected_upload
):
    rejected = rejected_upload()
    assert _quota_used(owner) == 0  # a refused file gave its bytes back already

    response = owner_api.post(reverse("api:photo-dismiss", args=[rejected.pk]))

    assert response.status_code == 204
    assert_documented(response)
    assert not Photo.objects.filter(pk=rejected.pk).exists()
    assert _quota_used(owner) == 0


def test_dismiss_never_deletes_a_photo_that_became_ready(
    gallery, owner, owner_client, owner_api, failed_upload
):
    # A stale attention page: the photo was retried and is a photo now.
    photo = failed_upload()
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.READY)

    api = owner_api.post(reverse("api:photo-dismiss", args=[photo.pk]))
    page = owner_client.post(
        reverse("galleries:photo_dismiss", args=[photo.pk]), follow=True
    )

    assert api.status_code == 400
    assert_documented(api)
    assert "delete it from the gallery instead" in page.content.decode()
    assert Photo.objects.get(pk=photo.pk).status == Photo.Status.READY
    assert _quota_used(owner) == photo.size


def test_the_api_lists_what_needs_attention_as_documented(
    gallery, owner_api, failed_upload, rejected_upload
):
    failed = failed_upload()
    rejected = rejected_upload()
    ReadyPhotoFactory(gallery=gallery)

    response = owner_api.get(reverse("api:gallery-photo-attention", args=[gallery.pk]))

    assert response.status_code == 200
    assert_documented(response)
    items = {item["id"]: item for item in response.json()["results"]}
    assert set(items) == {str(failed.pk), str(rejected.pk)}
    assert items[str(failed.pk)]["can_retry"] is True
    assert items[str(failed.pk)]["reason"] == Photo.FAILED_REASON
    assert "encoder exploded" in items[str(failed.pk)]["error"]
    assert items[str(rejected.pk)]["can_retry"] is False
    assert "not a photo" in items[str(rejected.pk)]["reason"]


def test_the_schema_documents_the_attention_actions(owner_api):
    schema = owner_api.get(
        reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()

    attention = schema["paths"]["/api/v1/galleries/{gallery_pk}/photos/attention/"]
    dismiss = schema["paths"]["/api/v1/photos/{id}/dismiss/"]["post"]
    retry = schema["paths"]["/api/v1/photos/{id}/retry/"]["post"]
    listed = attention["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["$ref"].endswith("/PaginatedAttentionPhotoList")
    assert set(dismiss["responses"]) >= {"204", "400", "401", "404"}
    assert "400" in retry["responses"]


def test_retry_all_and_dismiss_all_refused_act_on_the_whole_gallery(
    gallery,
    owner_client,
    failed_upload,
    rejected_upload,
    django_capture_on_commit_callbacks,
):
    failed = failed_upload("a.jpg")
    rejected = [rejected_upload(f"n{n}.jpg", NOT_A_PHOTO + bytes([n])) for n in (1, 2)]
    url = reverse("galleries:attention_action", args=[gallery.pk])

    owner_client.post(url, {"action": "dismiss_rejected"})
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url, {"action": "retry_failed"})

    assert not Photo.objects.filter(pk__in=[r.pk for r in rejected]).exists()
    failed.refresh_from_db()
    assert failed.status == Photo.Status.READY


def _needing_attention(gallery, count: int, *, failed_too: bool = False) -> None:
    """`count` refused uploads; with `failed_too`, every other one failed instead."""
    photo_set = gallery.sets.get()
    Photo.objects.bulk_create(
        Photo(
            gallery=gallery,
            photo_set=photo_set,
            original_filename=f"file-{n}.jpg",
            original=f"photos/x/{n}.jpg" if failed_too and n % 2 else "",
            size=1000,
            status=Photo.Status.FAILED
            if failed_too and n % 2
            else Photo.Status.REJECTED,
            error="This file is not a photo we can read.",
            position=n,
        )
        for n in range(count)
    )


def test_the_attention_page_uses_a_fixed_number_of_queries(
    gallery, owner_client, django_assert_num_queries
):
    _needing_attention(gallery, 150, failed_too=True)
    url = reverse("galleries:attention", args=[gallery.pk])

    # Session, user, gallery, counts by status, page count, the page's rows.
    with django_assert_num_queries(6):
        response = owner_client.get(url)

    assert len(response.context["page"].object_list) == 100
    assert response.content.count(b"data-reason") == 100


def test_the_api_attention_list_uses_a_fixed_number_of_queries(
    gallery, owner_api, django_assert_num_queries
):
    _needing_attention(gallery, 120)

    # The user, the gallery, the count, the page.
    with django_assert_num_queries(4):
        response = owner_api.get(
            reverse("api:gallery-photo-attention", args=[gallery.pk])
        )

    assert response.json()["count"] == 120
