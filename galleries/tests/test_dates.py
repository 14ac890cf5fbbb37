"""When a photo was shot: read from EXIF, shown as shot, sorted as shot."""

import datetime
import zoneinfo

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from galleries.models import Photo
from galleries.tests.conftest import PHOTOS
from galleries.tests.factories import ReadyPhotoFactory

UTC = datetime.UTC


def _taken_at(api, photo) -> str | None:
    return api.get(reverse("api:photo-detail", args=[photo.pk])).json()["taken_at"]


def test_a_time_without_an_offset_shows_as_shot_in_any_server_or_viewer_zone(
    gallery, upload_file, owner_api, owner_client, settings
):
    # The Nikon E950's clock read 2001:04:06 11:51:40 and it recorded no zone.
    settings.TIME_ZONE = "Pacific/Auckland"
    with timezone.override("Pacific/Auckland"):
        photo = upload_file(gallery, PHOTOS / "camera" / "nikon-e950.jpg")

    for server in ("UTC", "America/Los_Angeles", "Asia/Kolkata"):
        settings.TIME_ZONE = server
        with timezone.override(server):
            assert _taken_at(owner_api, photo) == "2001-04-06T11:51:40"
            page = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))
            assert "taken 6 Apr 2001, 11:51" in page.content.decode()


def test_a_time_with_an_offset_keeps_it(gallery, upload_file, owner_api, settings):
    # The iPhone recorded 2022:02:16 12:55:41.762 at +01:00.
    settings.TIME_ZONE = "America/New_York"
    photo = upload_file(gallery, PHOTOS / "heic" / "iphone_13_pro_max.HEIC")

    photo.refresh_from_db()
    assert photo.taken == datetime.datetime(
        2022,
        2,
        16,
        12,
        55,
        41,
        762000,
        tzinfo=datetime.timezone(datetime.timedelta(hours=1)),
    )
    assert photo.taken_zone == "UTC+01:00"
    assert _taken_at(owner_api, photo) == "2022-02-16T12:55:41.762000+01:00"


def test_the_documented_capture_time_is_what_the_api_answers(gallery, owner_api):
    from config.tests.openapi import assert_documented

    without = ReadyPhotoFactory(gallery=gallery)
    without.set_taken(datetime.datetime(2024, 6, 1, 14, 3))
    without.save()
    unknown = ReadyPhotoFactory(gallery=gallery)

    for photo in (without, unknown):
        assert_documented(owner_api.get(reverse("api:photo-detail", args=[photo.pk])))
    assert _taken_at(owner_api, without) == "2024-06-01T14:03:00"
    assert _taken_at(owner_api, unknown) is None


def test_sorting_by_date_taken_follows_the_clocks_as_shot(gallery, owner_client):
    # Three cameras at one wedding: one records its zone, two do not.
    def shot(name, when):
        photo = ReadyPhotoFactory(gallery=gallery, original_filename=name)
        photo.set_taken(when)
        photo.save()

    # Sorted by the moment, 14:03 at UTC-05:00 would come last; as shot, first.
    shot("c.jpg", datetime.datetime(2024, 6, 1, 16, 0))
    new_york = datetime.timezone(datetime.timedelta(hours=-5))
    shot("a.jpg", datetime.datetime(2024, 6, 1, 14, 3, tzinfo=new_york))
    shot("b.jpg", datetime.datetime(2024, 6, 1, 15, 30))
    ReadyPhotoFactory(gallery=gallery, original_filename="0-undated.jpg")

    owner_client.post(
        reverse("galleries:photos_sort", args=[gallery.pk]), {"key": "taken"}
    )

    assert list(
        gallery.photos.order_by("position").values_list("original_filename", flat=True)
    ) == ["a.jpg", "b.jpg", "c.jpg", "0-undated.jpg"]


def test_existing_times_become_the_wall_clock_of_the_site_zone(gallery, settings):
    migration = __import__(
        "galleries.migrations.0003_taken_at_as_shot", fromlist=["to_wall_clock"]
    )
    settings.TIME_ZONE = "Europe/Paris"
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    # Stored before: the camera's 14:03 read as 14:03 in the site's zone.
    old = ReadyPhotoFactory(
        gallery=gallery, taken_at=datetime.datetime(2024, 6, 1, 14, 3, tzinfo=paris)
    )
    undated = ReadyPhotoFactory(gallery=gallery)

    migration.to_wall_clock(apps, None)

    old.refresh_from_db()
    assert old.taken == datetime.datetime(2024, 6, 1, 14, 3)
    assert Photo.objects.get(pk=undated.pk).taken_at is None
    migration.to_site_zone(apps, None)
    old.refresh_from_db()
    assert old.taken_at == datetime.datetime(2024, 6, 1, 14, 3, tzinfo=paris)
    assert old.taken_at.astimezone(UTC).hour == 12


def test_the_admin_shows_the_time_as_shot_in_any_server_zone(client, gallery, settings):
    from accounts.tests.factories import UserFactory

    photo = ReadyPhotoFactory(gallery=gallery)
    photo.set_taken(datetime.datetime(2024, 6, 1, 14, 3))
    photo.save(update_fields=["taken_at", "taken_offset"])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    settings.TIME_ZONE = "America/Los_Angeles"
    with timezone.override("America/Los_Angeles"):
        page = client.get(reverse("admin:galleries_photo_change", args=[photo.pk]))

    assert page.status_code == 200
    assert "14:03" in page.content.decode()
