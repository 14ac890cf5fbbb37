"""Nothing stays stuck, and no person has to step in: the recovery sweep.

Run every RECOVERY_SWEEP_SECONDS by Celery beat (`galleries.tasks.recovery_sweep`; on
the embedded default bin/serve runs beat inside its worker), it finds

- photos `processing` past their lease (PHOTO_STUCK_AFTER_SECONDS): their task was
  never queued (the broker was down), was lost, or their worker died. Each is queued
  again, up to PHOTO_MAX_ATTEMPTS claims in all; then it is failed, with a reason the
  photographer can act on (retry it);
- uploads not confirmed within UPLOAD_ABANDONED_AFTER_SECONDS: the browser went away,
  or the storage failed under it. The row goes, with any bytes that arrived (an
  unfinished multipart upload is aborted) and the quota it reserved.

`manage.py reconcile_storage` reports the same, and more, on demand.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.utils import timezone

from galleries import processing, uploads
from galleries.models import Photo

logger = logging.getLogger(__name__)


@dataclass
class SweepReport:
    requeued: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    abandoned: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.requeued or self.failed or self.abandoned)

    def __str__(self) -> str:
        return (
            f"{len(self.requeued)} photo(s) queued again, {len(self.failed)} failed "
            f"after too many attempts, {len(self.abandoned)} abandoned upload(s) removed"
        )


def recover_stuck(*, now: datetime.datetime, report: SweepReport) -> None:
    for photo_id in Photo.objects.stuck(now).values_list("pk", flat=True):
        if processing.photo_requeue_stuck(photo_id=photo_id, now=now):
            logger.warning("photo %s was stuck in processing: queued again", photo_id)
            report.requeued.append(photo_id)
        elif processing.photo_give_up_stuck(photo_id=photo_id, now=now):
            logger.warning("photo %s failed: out of processing attempts", photo_id)
            report.failed.append(photo_id)


def remove_abandoned(*, now: datetime.datetime, report: SweepReport) -> None:
    for photo in Photo.objects.abandoned_uploads(now).select_related("gallery"):
        uploads.upload_abandon(photo=photo, now=now)
        logger.warning(
            "upload %s (%s) was abandoned: removed, %d bytes back to the quota",
            photo.pk,
            photo.original_filename,
            photo.size,
        )
        report.abandoned.append(photo.pk)


def recovery_sweep(*, now: datetime.datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    recover_stuck(now=now, report=report)
    remove_abandoned(now=now, report=report)
    return report
