"""What /metrics tells an operator about the photo pipeline and the bucket."""

import datetime

import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError
from django.utils import timezone

from config.tests.scraping import metrics_on, scrape, value  # noqa: F401 (fixture)
from conftest import closed_port
from galleries.filestore import S3Storage
from galleries.models import Photo
from galleries.tests.conftest import PHOTOS
from galleries.tests.factories import ReadyPhotoFactory

RENDITIONS = "proofsheet_rendition_seconds_count"


pytestmark = pytest.mark.usefixtures("metrics_on")


def test_a_processed_photo_is_timed_and_leaves_no_photo_waiting(
    client, gallery, upload_file
):
    before = scrape(client)

    photo = upload_file(gallery, PHOTOS / "orientation" / "landscape_1.jpg")

    after = scrape(client)
    assert photo.status == Photo.Status.READY
    assert value(after, RENDITIONS) == value(before, RENDITIONS) + 1
    assert value(after, "proofsheet_rendition_seconds_sum") > value(
        before, "proofsheet_rendition_seconds_sum"
    )
    assert value(after, "proofsheet_photos_waiting") == 0
    # The upload's API requests count under their route names, never their paths.
    uploads = "django_http_requests_latency_seconds_by_view_method_count"
    route = {"view": "api:gallery-photo-uploads", "method": "POST"}
    assert value(after, uploads, **route) == value(before, uploads, **route) + 1
    assert str(gallery.pk) not in "".join(str(labels) for _, labels in after), (
        "no id in a label"
    )


def test_photos_waiting_stranded_and_failed_are_counted(client, gallery):
    now = timezone.now()
    soon, past = now + datetime.timedelta(minutes=5), now - datetime.timedelta(1)
    for status, lease in [
        (Photo.Status.PROCESSING, soon),
        (Photo.Status.PROCESSING, soon),
        (Photo.Status.PROCESSING, past),
        (Photo.Status.PROCESSING, None),
        (Photo.Status.FAILED, None),
        (Photo.Status.READY, None),
    ]:
        ReadyPhotoFactory(gallery=gallery, status=status, lease_until=lease)

    samples = scrape(client)

    assert value(samples, "proofsheet_photos_waiting") == 2
    assert value(samples, "proofsheet_photos_stranded") == 2
    assert value(samples, "proofsheet_photos_failed") == 1


def test_a_bucket_that_does_not_answer_counts_as_a_storage_error(client):
    storage = S3Storage(
        bucket_name="photos",
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        access_key="key",
        secret_key="secret",
        region_name="us-east-1",
        client_config=Config(retries={"total_max_attempts": 1}, connect_timeout=1),
    )
    errors = "proofsheet_storage_errors_total"
    before = value(scrape(client), errors, operation="HeadObject")

    with pytest.raises(EndpointConnectionError):
        storage.exists("photos/1/original.jpg")

    assert value(scrape(client), errors, operation="HeadObject") == before + 1
