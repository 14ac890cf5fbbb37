"""Background work. Tasks take ids, load, call a service: nothing more."""

import logging
import uuid

from botocore.exceptions import BotoCoreError, ClientError
from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from kombu.exceptions import KombuError

from galleries import filestore, processing, recovery

logger = logging.getLogger(__name__)

# Worth another try: storage or database hiccups, not a bad file.
TRANSIENT = (OSError, BotoCoreError, ClientError, DatabaseError)


def send(task, *args, **kwargs) -> bool:
    """Queue a task; False (logged) when the broker cannot take it. A request never
    fails for it: what was not queued is found again by the recovery sweep."""
    try:
        task.delay(*args, **kwargs)
    except (KombuError, OSError) as error:
        logger.warning("could not queue %s%r: %s", task.name, args, error)
        return False
    return True


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
    processing.photo_mark_failed(
        photo_id=photo_id,
        message=f"Processing failed ({type(error).__name__}: {error}). Try again.",
    )


@shared_task(acks_late=True, autoretry_for=TRANSIENT, max_retries=5, retry_backoff=True)
def delete_files(names: list[str], multipart: list | None = None) -> None:
    filestore.delete_files(names)
    for key, upload_id in multipart or []:
        filestore.multipart_abort(key, upload_id)


def delete_files_later(names: list[str], multipart: list | None = None) -> None:
    """Delete files in the background; here and now if the broker cannot take it."""
    if send(delete_files, names=names, multipart=multipart or []):
        return
    try:
        delete_files(names=names, multipart=multipart or [])
    except TRANSIENT:
        # What is left is an orphan: reconcile_storage --fix finds and removes it.
        logger.exception("could not delete %d file(s) either", len(names))


@shared_task(ignore_result=True)
def recovery_sweep() -> None:
    report = recovery.recovery_sweep()
    if report:
        logger.info("recovery sweep: %s", report)
