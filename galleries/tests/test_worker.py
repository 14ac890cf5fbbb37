"""Background processing through a real Celery worker process and a real Redis broker."""

import io
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from PIL import Image

from config.celery import app as celery_app
from galleries.models import Photo
from galleries.tests.conftest import PHOTOS

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _worker_env(settings, **extra: str) -> dict:
    """This test's database, broker and media folder, for a worker process."""
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.fail(
            "The worker tests need PostgreSQL and Redis: run them through bin/test --all"
        )
    database = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra,
    }


@contextmanager
def _running_worker(env: dict, log: Path, name: str = "worker"):
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "-n",
                f"{name}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = False
        try:
            yield process
        finally:
            celery_app.conf.task_always_eager = eager
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


@pytest.fixture
def worker(settings, tmp_path):
    with _running_worker(_worker_env(settings), tmp_path / "worker.log") as process:
        yield process


def _wait_for(photo_id, statuses, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        photo = Photo.objects.get(pk=photo_id)
        if photo.status in statuses:
            return photo
        time.sleep(0.2)
    raise AssertionError(f"photo still {photo.status} after {seconds} s")


def test_the_worker_processes_an_upload_without_blocking_the_request(
    worker, owner_api, gallery
):
    data = (PHOTOS / "camera" / "jolla.jpg").read_bytes()
    start = owner_api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": "jolla.jpg", "size": len(data)},
        format="json",
    ).json()

    sent = owner_api.put(
        start["upload"]["url"], data, content_type="application/octet-stream"
    )

    assert sent.json()["status"] == "processing"
    photo = _wait_for(sent.json()["id"], {Photo.Status.READY, Photo.Status.FAILED})
    assert photo.status == Photo.Status.READY
    assert photo.camera


def test_the_worker_rejects_a_bad_file_and_returns_the_quota(
    worker, owner_api, gallery, owner
):
    data = b"not a photo at all" * 100
    start = owner_api.post(
        reverse("api:gallery-photo-uploads", args=[gallery.pk]),
        {"filename": "fake.jpg", "size": len(data)},
        format="json",
    ).json()
    owner_api.put(start["upload"]["url"], data, content_type="application/octet-stream")

    photo = _wait_for(start["photo"]["id"], {Photo.Status.REJECTED})

    assert "not a photo" in photo.error
    owner.refresh_from_db()
    assert owner.storage_used == 0


def test_a_task_whose_worker_dies_midway_is_delivered_again(
    owner_api, gallery, settings, tmp_path
):
    """acks_late: the broker keeps the message until a worker finishes it."""
    env = _worker_env(
        settings, CELERY_VISIBILITY_TIMEOUT="3", CELERY_UNACKED_RESTORE_THROTTLE="1"
    )
    # A photo big enough that processing it takes a while (a 40 MP PNG).
    buffer = io.BytesIO()
    Image.effect_noise((7500, 5400), 60).convert("RGB").save(
        buffer, "PNG", compress_level=1
    )
    data = buffer.getvalue()
    settings.PHOTO_MAX_UPLOAD_BYTES = len(data) + 1
    first_log = tmp_path / "first.log"

    with _running_worker(env, first_log, "first") as first:
        start = owner_api.post(
            reverse("api:gallery-photo-uploads", args=[gallery.pk]),
            {"filename": "huge.png", "size": len(data)},
            format="json",
        ).json()
        owner_api.put(
            start["upload"]["url"], data, content_type="application/octet-stream"
        )
        deadline = time.monotonic() + 60
        while b"received" not in first_log.read_bytes():
            assert time.monotonic() < deadline, first_log.read_text()
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert Photo.objects.get(pk=start["photo"]["id"]).status == Photo.Status.PROCESSING

    with _running_worker(env, tmp_path / "second.log", "second"):
        photo = _wait_for(
            start["photo"]["id"], {Photo.Status.READY, Photo.Status.FAILED}, seconds=120
        )

    assert photo.status == Photo.Status.READY
