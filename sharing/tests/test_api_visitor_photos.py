"""The visitor API's photos: which ones, in what order, at what query cost."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from galleries.models import Photo
from galleries.tests.conftest import RENDITION_KEYS
from galleries.tests.factories import ReadyPhotoFactory
from sharing.api.serializers.visitor import VisitorPhotoSerializer
from sharing.tests.factories import ShareLinkFactory
from sharing.tests.visitor_api import api_unlock, api_url


def test_a_page_of_photos_costs_a_query_per_set_it_spans_none_per_photo(
    app, link, gallery, django_assert_max_num_queries
):
    # The link, its chosen sets, the sets counted, then the page read from each of
    # the two sets it spans (sharing/photo_pages.py): none per photo.
    ReadyPhotoFactory.create_batch(40, gallery=gallery, photo_set=gallery.sets.first())

    with django_assert_max_num_queries(5):
        body = app.get(api_url("share-photo-list", link.token)).json()

    assert body["count"] == 45
    assert len(body["results"]) == 45
    assert all(set(p["renditions"]) == RENDITION_KEYS for p in body["results"])


def test_photos_come_in_order_with_everything_a_grid_needs(app, link, gallery):
    photos = list(link.visible_photos())

    body = app.get(api_url("share-photo-list", link.token)).json()

    assert body["count"] == 5
    assert [p["id"] for p in body["results"]] == [str(p.pk) for p in photos]
    first = body["results"][0]
    assert first["filename"] == photos[0].original_filename
    assert (first["width"], first["height"], first["aspect_ratio"]) == (3000, 2000, 1.5)
    assert first["placeholder"].startswith("data:image/")
    assert first["color"] == "#808080"
    assert first["set"] == str(photos[0].photo_set_id)
    assert set(first["renditions"]) == RENDITION_KEYS
    assert first["renditions"]["grid.jpeg"].startswith("/")


def test_photos_never_include_processing_failed_or_hidden_ones(
    app, gallery, ceremony, reception
):
    for status in (
        Photo.Status.PROCESSING,
        Photo.Status.FAILED,
        Photo.Status.UPLOADING,
    ):
        ReadyPhotoFactory(gallery=gallery, photo_set=ceremony, status=status)
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])

    body = app.get(api_url("share-photo-list", link.token)).json()

    assert body["count"] == 3
    assert {p["set"] for p in body["results"]} == {str(ceremony.pk)}


def test_photos_of_one_set(app, link, reception, ceremony):
    body = app.get(
        api_url("share-photo-list", link.token), {"set": str(reception.pk)}
    ).json()

    assert body["count"] == 2
    assert {p["set"] for p in body["results"]} == {str(reception.pk)}


def test_a_hidden_or_unknown_set_is_a_field_error(
    app, gallery, ceremony, reception, other_gallery
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])
    url = api_url("share-photo-list", link.token)

    for value in (str(reception.pk), str(other_gallery.sets.first().pk), "nope"):
        response = app.get(url, {"set": value})
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "set"


def test_one_photo_and_the_ones_a_link_does_not_show(
    app, gallery, ceremony, reception, other_gallery
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])
    processing = ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, status=Photo.Status.PROCESSING
    )
    shown = ceremony.photos.ready().first()

    found = app.get(api_url("share-photo-detail", link.token, shown.pk))
    assert found.status_code == 200
    assert found.json()["id"] == str(shown.pk)
    for photo in (reception.photos.first(), other_gallery.photos.first(), processing):
        response = app.get(api_url("share-photo-detail", link.token, photo.pk))
        assert response.status_code == 404
        assert str(photo.pk) not in response.content.decode()


def _many_photos(gallery, photo_set, count):
    Photo.objects.bulk_create(
        ReadyPhotoFactory.build(gallery=gallery, photo_set=photo_set)
        for _ in range(count)
    )


def test_a_page_of_photos_costs_the_same_queries_for_10_or_500_of_1000(
    app, gallery, ceremony, locked_link
):
    _many_photos(gallery, ceremony, 1000)
    token = api_unlock(app, locked_link).json()["access_token"]
    url = api_url("share-photo-list", locked_link.token)
    app = APIClient()

    counts = []
    for size in (10, 500):
        with CaptureQueriesContext(connection) as queries:
            body = app.get(url, {"page_size": size}, HTTP_X_SHARE_ACCESS=token).json()
        assert len(body["results"]) == size
        counts.append(len(queries))

    assert body["count"] == 1005
    assert counts[0] == counts[1] <= 5


def test_pages_are_at_most_500_photos(app, link, gallery, ceremony):
    _many_photos(gallery, ceremony, 600)

    body = app.get(api_url("share-photo-list", link.token), {"page_size": 5000}).json()

    assert len(body["results"]) == 500
    assert body["next"]


def test_an_app_sees_when_a_photo_was_shot_as_the_camera_read_it(
    app, link, gallery, settings
):
    photo = gallery.photos.order_by("position").first()
    photo.set_taken(datetime.datetime(2024, 6, 1, 14, 3))  # no zone in EXIF
    photo.save(update_fields=["taken_at", "taken_offset"])
    settings.TIME_ZONE = "America/Los_Angeles"
    with timezone.override("America/Los_Angeles"):
        results = app.get(api_url("share-photo-list", link.token)).json()["results"]

    taken = {p["id"]: p["taken_at"] for p in results}
    assert taken[str(photo.pk)] == "2024-06-01T14:03:00"


@pytest.mark.parametrize("downloads", ["none", "web", "original"])
def test_each_photo_reads_exactly_as_the_serializers_fields_describe_it(
    app, gallery, ceremony, downloads
):
    # The list builds each photo directly, not field by field: what it answers must
    # be what the documented fields give, for every kind of photo and link.
    shot = gallery.photos.order_by("position").first()
    shot.set_taken(
        datetime.datetime(
            2024, 6, 1, 14, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=-7))
        )
    )
    shot.width, shot.height = 4000, 2667
    shot.save(update_fields=["taken_at", "taken_offset", "width", "height"])
    link = ShareLinkFactory(gallery=gallery, downloads=downloads)
    request = app.get(api_url("share-photo-list", link.token)).wsgi_request

    body = app.get(api_url("share-photo-list", link.token)).json()

    serializer = VisitorPhotoSerializer(context={"link": link, "request": request})
    for photo in link.visible_photos():
        fields = serializers.ModelSerializer.to_representation(serializer, photo)
        answered = next(p for p in body["results"] if p["id"] == str(photo.pk))
        assert answered == json.loads(json.dumps(fields))
    assert {p["taken_at"] for p in body["results"]} >= {"2024-06-01T14:03:00-07:00"}
