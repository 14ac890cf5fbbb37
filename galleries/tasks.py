"""Background work. Tasks take ids, load, call a service: nothing more."""

import logging
from contextlib import suppress

from botocore.exceptions import BotoCoreError, ClientError
from celery import shared_task
from django.core.files.storage import default_storage
from django.db import DatabaseError

from galleries import filestore, processing

logger = logging.getLogger(__name__)

# Worth another try: storage or database hiccups, not a bad file.
TRANSIENT = (OSError, BotoCoreError, ClientError, DatabaseError)


@shared_task(bind=True, max_retries=4, acks_late=True)
def process_photo(self, photo_id: str, force: bool = False) -> None:
    try:
        processing.photo_process(photo_id=photo_id, force=force)
    except TRANSIENT as error:
        if self.request.retries < self.max_retries:
            logger.warning("processing %s failed, will retry: %s", photo_id, error)
            raise self.retry(
                exc=error, countdown=5 * 2**self.request.retries
            ) from error
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
        with suppress(ClientError):  # already completed or aborted
            default_storage.connection.meta.client.abort_multipart_upload(
                Bucket=default_storage.bucket_name, Key=key, UploadId=upload_id
            )
