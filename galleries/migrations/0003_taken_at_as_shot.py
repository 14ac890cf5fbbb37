"""Existing capture times become the camera's clock as shot.

Until now a capture time without an EXIF offset was stored as that wall clock in the
site's TIME_ZONE, and one with an offset as the exact moment. From now on `taken_at`
holds the wall clock as if it were UTC, and `taken_offset` the offset (see
`Photo.taken`). The rows cannot tell which kind they were, so every one is read back
in the site's zone, which is exactly right for the photos without an offset (most
cameras) as long as TIME_ZONE has not changed since they were processed. With the
default TIME_ZONE, UTC, nothing changes at all. Photos whose camera did record an
offset end up with the site's wall clock and no offset: `manage.py
regenerate_renditions --all` re-reads every original's EXIF and stores both exactly.

Reversing stores the wall clocks back in the site's zone.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import migrations

BATCH = 2000


def _rewrite(apps, convert) -> None:
    if settings.TIME_ZONE == "UTC":
        return  # the stored values are already the wall clocks
    Photo = apps.get_model("galleries", "Photo")
    photos = Photo.objects.exclude(taken_at=None).only("id", "taken_at")
    batch = []
    for photo in photos.iterator(chunk_size=BATCH):
        photo.taken_at = convert(photo.taken_at)
        batch.append(photo)
        if len(batch) == BATCH:
            Photo.objects.bulk_update(batch, ["taken_at"])
            batch = []
    Photo.objects.bulk_update(batch, ["taken_at"])


def to_wall_clock(apps, schema_editor) -> None:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    _rewrite(
        apps, lambda value: value.astimezone(zone).replace(tzinfo=datetime.UTC)
    )


def to_site_zone(apps, schema_editor) -> None:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    _rewrite(
        apps,
        lambda value: value.astimezone(datetime.UTC)
        .replace(tzinfo=None)
        .replace(tzinfo=zone),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("galleries", "0002_photo_taken_offset"),
    ]

    operations = [migrations.RunPython(to_wall_clock, to_site_zone)]
