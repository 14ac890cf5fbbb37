"""Background work: thin doors. Tasks take ids and call a service, nothing more.

Nothing imports this module but `galleries/apps.py`, which registers the tasks:
services queue them by name (galleries/queueing.py).
"""

import logging
import uuid

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from galleries import filestore, processing, recovery, services, trash, watermarks

logger = logging.getLogger(__name__)

# Worth another try: storage or database hiccups, not a bad file.
TRANSIENT = (*filestore.STORAGE_ERRORS, DatabaseError)


# The hard time limit kills a photo's work before its claim runs out (settings.py).
@shared_task(
    bind=True,
    max_retries=4,
    acks_late=True,
    time_limit=settings.PHOTO_PROCESS_TIME_LIMIT_SECONDS,
)
def process_photo(self, photo_id: str, force: bool = False) -> None:
    task_id = str(self.request.id or uuid.uuid4())
    worker = f"{self.request.hostname or 'eager'}:{task_id}"
    try:
        processing.photo_process(
            photo_id=photo_id, force=force, worker=worker, task_id=task_id
        )
    except TRANSIENT as error:
        if self.request.retries < self.max_retries:
            countdown = 5 * 2**self.request.retries
            logger.warning("processing %s failed, will retry: %s", photo_id, error)
            processing.photo_release(
                photo_id=photo_id, worker=worker, retry_in=countdown
            )
            raise self.retry(exc=error, countdown=countdown) from error
        _give_up(photo_id, error)
    except Exception as error:  # noqa: BLE001 - a bug must still show on the photo
        _give_up(photo_id, error)


def _give_up(photo_id: str, error: BaseException) -> None:
    logger.exception("processing %s failed for good", photo_id)
    services.photo_mark_failed(
        photo_id=photo_id,
        message=f"Processing failed ({type(error).__name__}: {error}). Try again.",
    )


@shared_task(acks_late=True, autoretry_for=TRANSIENT, max_retries=5, retry_backoff=True)
def delete_files(names: list[str], multipart: list | None = None) -> None:
    filestore.files_delete(names, multipart or [])


@shared_task(acks_late=True, autoretry_for=TRANSIENT, max_retries=5, retry_backoff=True)
def watermark_photos(photo_ids: list[str]) -> None:
    watermarks.photos_watermark(photo_ids=photo_ids)


@shared_task(ignore_result=True)
def recovery_sweep() -> None:
    report = recovery.recovery_sweep()
    if report:
        logger.info("recovery sweep: %s", report)


@shared_task(acks_late=True)
def empty_expired_trash() -> None:
    """Celery beat, hourly: what has waited TRASH_RETENTION_DAYS goes for good."""
    if count := trash.empty_expired():
        logger.info("trash: %d gallery(ies) and photo(s) deleted for good", count)
