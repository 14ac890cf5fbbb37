"""Nothing is lost, nothing stays stuck, nobody steps in: queueing, claims, the sweep.

On the embedded default (SQLite, local disk, tasks run eagerly); the race between
workers on a real database is in test_claim_race.py.
"""

import datetime
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from galleries import processing, recovery, services
from galleries.models import Photo
from galleries.tests.conftest import PHOTOS, sha256

JPEG = PHOTOS / "orientation" / "landscape_1.jpg"


@pytest.fixture
def broker_down():
    """The broker stops answering: a closed port on this machine."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_transport_options)
    conf.task_always_eager = False
    conf.broker_url = "redis://127.0.0.1:9/0"
    conf.broker_transport_options = {}
    celery_app._pool = celery_app.amqp._producer_pool = None
    yield
    conf.task_always_eager, conf.broker_url, conf.broker_transport_options = saved
    celery_app._pool = celery_app.amqp._producer_pool = None


def _later(seconds: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds + 1)


def _sweep(django_capture_on_commit_callbacks, at: datetime.datetime):
    with django_capture_on_commit_callbacks(execute=True):
        return recovery.recovery_sweep(now=at)


def _start(api, gallery, data: bytes, filename="a.jpg", **extra):
    return api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": filename, "size": len(data), **extra},
        format="json",
    )


def _send(api, start, data: bytes):
    return api.put(
        start.json()["upload"]["url"], data, content_type="application/octet-stream"
    )


def _quota_used(user) -> int:
    user.refresh_from_db()
    return user.storage_used


# --- The broker is down while uploads are confirmed -------------------------------------


def test_a_confirm_answers_while_the_broker_is_down_and_the_sweep_processes_it_after(
    gallery, owner_api, broker_down, django_capture_on_commit_callbacks, caplog
):
    data = JPEG.read_bytes()
    start = _start(owner_api, gallery, data)
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(owner_api, start, data)

    assert sent.status_code == 200
    assert sent.json()["status"] == "processing"
    assert "could not queue galleries.tasks.process_photo" in caplog.text
    photo = Photo.objects.get(pk=sent.json()["id"])
    # Left for the very next sweep, without waiting out a lease.
    assert photo.lease_until <= timezone.now()

    celery_app.conf.task_always_eager = True  # the broker is back
    report = _sweep(django_capture_on_commit_callbacks, timezone.now())

    assert report.requeued == [photo.pk]
    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    assert photo.attempts == 1


def test_a_retried_confirm_queues_a_photo_that_no_worker_has(
    gallery, owner_api, broker_down, django_capture_on_commit_callbacks
):
    data = JPEG.read_bytes()
    start = _start(owner_api, gallery, data)
    with django_capture_on_commit_callbacks(execute=True):
        _send(owner_api, start, data)
    photo_id = start.json()["photo"]["id"]
    assert Photo.objects.get(pk=photo_id).status == Photo.Status.PROCESSING

    celery_app.conf.task_always_eager = True  # the broker is back; the browser retries
    with django_capture_on_commit_callbacks(execute=True):
        again = owner_api.post(reverse("api:upload-complete", args=[photo_id]), {})

    assert again.status_code == 200
    assert Photo.objects.get(pk=photo_id).status == Photo.Status.READY


def test_a_retried_confirm_leaves_a_photo_a_worker_is_on_alone(
    gallery, owner_api, django_capture_on_commit_callbacks
):
    data = JPEG.read_bytes()
    start = _start(owner_api, gallery, data)
    photo_id = start.json()["photo"]["id"]
    Photo.objects.filter(pk=photo_id).update(status=Photo.Status.PROCESSING)
    assert processing.photo_claim(photo_id=photo_id, worker="busy-worker")

    with django_capture_on_commit_callbacks(execute=True):
        again = owner_api.post(reverse("api:upload-complete", args=[photo_id]), {})

    assert again.json()["status"] == "processing"
    photo = Photo.objects.get(pk=photo_id)
    assert (photo.claimed_by, photo.attempts) == ("busy-worker", 1)


# --- One claim at a time ------------------------------------------------------------------


def test_only_one_worker_claims_a_photo_until_its_lease_runs_out(gallery, settings):
    from galleries.tests.factories import ReadyPhotoFactory

    photo = ReadyPhotoFactory(gallery=gallery, status=Photo.Status.PROCESSING)

    assert processing.photo_claim(photo_id=photo.pk, worker="first")
    assert not processing.photo_claim(photo_id=photo.pk, worker="second")

    Photo.objects.filter(pk=photo.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert processing.photo_claim(photo_id=photo.pk, worker="second")
    photo.refresh_from_db()
    assert (photo.claimed_by, photo.attempts) == ("second", 2)
    assert photo.lease_until > timezone.now() + datetime.timedelta(
        seconds=settings.PHOTO_PROCESS_TIME_LIMIT_SECONDS
    )


def test_a_task_delivered_again_after_its_worker_died_takes_over_its_own_claim(
    gallery,
):
    from galleries.tests.factories import ReadyPhotoFactory

    photo = ReadyPhotoFactory(gallery=gallery, status=Photo.Status.PROCESSING)
    assert processing.photo_claim(
        photo_id=photo.pk, worker="w1:task-1", task_id="task-1"
    )

    assert not processing.photo_claim(
        photo_id=photo.pk, worker="w2:task-2", task_id="task-2"
    )
    assert processing.photo_claim(
        photo_id=photo.pk, worker="w2:task-1", task_id="task-1"
    )


def test_a_ready_photo_is_not_claimed_again_by_a_late_message(gallery, upload_file):
    photo = upload_file(gallery, JPEG)

    assert not processing.photo_claim(photo_id=photo.pk, worker="late")
    photo.refresh_from_db()
    assert photo.attempts == 1


def test_the_task_stops_a_photo_before_its_claim_runs_out(settings):
    from galleries.tasks import process_photo

    assert process_photo.time_limit == settings.PHOTO_PROCESS_TIME_LIMIT_SECONDS
    assert (
        settings.PHOTO_PROCESS_TIME_LIMIT_SECONDS < settings.PHOTO_STUCK_AFTER_SECONDS
    )


# --- A worker died ------------------------------------------------------------------------


def _stranded(gallery, owner_api, django_capture_on_commit_callbacks, broker_down):
    """A photo whose worker claimed it, then died (SIGKILL): nobody finishes it."""
    data = JPEG.read_bytes()
    start = _start(owner_api, gallery, data)
    with django_capture_on_commit_callbacks(execute=True):
        _send(owner_api, start, data)
    photo_id = start.json()["photo"]["id"]
    assert processing.photo_claim(photo_id=photo_id, worker="killed")
    celery_app.conf.task_always_eager = True
    return Photo.objects.get(pk=photo_id)


def test_a_photo_whose_worker_died_is_processed_again_after_its_lease(
    gallery, owner_api, settings, broker_down, django_capture_on_commit_callbacks
):
    photo = _stranded(gallery, owner_api, django_capture_on_commit_callbacks, None)

    early = _sweep(django_capture_on_commit_callbacks, timezone.now())
    assert not early
    _sweep(
        django_capture_on_commit_callbacks, _later(settings.PHOTO_STUCK_AFTER_SECONDS)
    )

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    assert photo.attempts == 2
    assert (photo.claimed_by, photo.lease_until) == ("", None)


def test_a_photo_that_never_finishes_is_failed_with_a_reason_after_the_last_attempt(
    gallery, owner_api, settings, broker_down, django_capture_on_commit_callbacks
):
    photo = _stranded(gallery, owner_api, django_capture_on_commit_callbacks, None)
    Photo.objects.filter(pk=photo.pk).update(attempts=settings.PHOTO_MAX_ATTEMPTS)

    report = _sweep(
        django_capture_on_commit_callbacks, _later(settings.PHOTO_STUCK_AFTER_SECONDS)
    )

    assert report.failed == [photo.pk]
    photo.refresh_from_db()
    assert photo.status == Photo.Status.FAILED
    assert f"started {settings.PHOTO_MAX_ATTEMPTS} times and never finished" in (
        photo.error
    )
    assert photo.can_retry
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_retry(photo=photo)
    photo.refresh_from_db()
    assert (photo.status, photo.attempts) == (Photo.Status.READY, 1)


def test_the_sweep_runs_every_recovery_period_from_celery_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["recovery-sweep"]

    assert schedule["task"] == "galleries.tasks.recovery_sweep"
    assert schedule["schedule"] == settings.RECOVERY_SWEEP_SECONDS
    assert "galleries.tasks.recovery_sweep" in celery_app.tasks


# --- Abandoned uploads --------------------------------------------------------------------


def test_an_upload_never_confirmed_is_removed_with_its_quota_after_the_deadline(
    gallery, owner, owner_api, settings, django_capture_on_commit_callbacks
):
    start = _start(owner_api, gallery, b"x" * 3000)
    photo_id = start.json()["photo"]["id"]
    name = Photo.objects.get(pk=photo_id).original.name
    default_storage.save(name, StringIO("half a file"))
    assert _quota_used(owner) == 3000

    assert not _sweep(django_capture_on_commit_callbacks, timezone.now())
    report = _sweep(
        django_capture_on_commit_callbacks,
        _later(settings.UPLOAD_ABANDONED_AFTER_SECONDS),
    )

    assert [str(pk) for pk in report.abandoned] == [photo_id]
    assert not Photo.objects.exists()
    assert _quota_used(owner) == 0
    assert not default_storage.exists(name)


def test_the_same_file_sent_again_replaces_an_upload_that_never_finished(
    gallery, owner, owner_api, django_capture_on_commit_callbacks
):
    data = JPEG.read_bytes()
    first = _start(owner_api, gallery, data, sha256=sha256(data))
    assert first.status_code == 201

    with django_capture_on_commit_callbacks(execute=True):
        again = _start(owner_api, gallery, data, sha256=sha256(data))
        sent = _send(owner_api, again, data)

    assert again.status_code == 201, again.content
    assert Photo.objects.get(pk=sent.json()["id"]).status == Photo.Status.READY
    assert [str(pk) for pk in Photo.objects.values_list("pk", flat=True)] == [
        sent.json()["id"]
    ]
    assert _quota_used(owner) == len(data)


def test_the_same_file_sent_again_replaces_one_whose_processing_failed(
    gallery, owner, owner_api, django_capture_on_commit_callbacks
):
    data = JPEG.read_bytes()
    first = _start(owner_api, gallery, data, sha256=sha256(data))
    Photo.objects.filter(pk=first.json()["photo"]["id"]).update(
        status=Photo.Status.FAILED
    )

    with django_capture_on_commit_callbacks(execute=True):
        again = _start(owner_api, gallery, data, sha256=sha256(data))

    assert again.status_code == 201
    assert str(Photo.objects.get().pk) == again.json()["photo"]["id"]
    assert _quota_used(owner) == len(data)


def test_the_same_file_sent_again_after_it_is_ready_is_still_skipped(
    gallery, owner_api, upload_file
):
    upload_file(gallery, JPEG)
    data = JPEG.read_bytes()

    assert _start(owner_api, gallery, data, sha256=sha256(data)).status_code == 409


# --- reconcile_storage ----------------------------------------------------------------------


def _reconcile(*args) -> str:
    out = StringIO()
    call_command("reconcile_storage", *args, stdout=out)
    return out.getvalue()


def test_reconcile_finds_and_repairs_stuck_photos_abandoned_uploads_and_lost_files(
    gallery,
    owner,
    owner_api,
    settings,
    broker_down,
    django_capture_on_commit_callbacks,
):
    stuck = _stranded(gallery, owner_api, django_capture_on_commit_callbacks, None)
    Photo.objects.filter(pk=stuck.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    abandoned = _start(owner_api, gallery, b"x" * 3000, filename="b.jpg").json()
    Photo.objects.filter(pk=abandoned["photo"]["id"]).update(
        uploaded_at=_later(-2 * settings.UPLOAD_ABANDONED_AFTER_SECONDS)
    )
    lost = _start(owner_api, gallery, b"y" * 2000, filename="c.jpg").json()
    Photo.objects.filter(pk=lost["photo"]["id"]).update(status=Photo.Status.FAILED)

    report = _reconcile()
    assert f"photo {stuck.pk} (a.jpg) stuck in processing" in report
    assert f"abandoned upload {abandoned['photo']['id']} (b.jpg) holding" in report
    assert f"photo {lost['photo']['id']} (c.jpg) reserves" in report
    assert "3 problem(s) found" in report

    with django_capture_on_commit_callbacks(execute=True):
        _reconcile("--fix")

    stuck.refresh_from_db()
    assert stuck.status == Photo.Status.READY
    assert list(Photo.objects.values_list("pk", flat=True)) == [stuck.pk]
    assert _quota_used(owner) == stuck.size
    assert "0 problem(s)" in _reconcile()
