"""Background work for sharing: mail, which must never hold up a visitor's request,
the daily activity digest and the expiry reminders."""

import logging

from celery import shared_task

from sharing import (  # noqa: F401 (kinds)
    client_mail,
    digest,
    invitations,
    list_emails,
    reminders,
)
from sharing.client_mail import TRANSIENT
from sharing.models import FavouriteList

logger = logging.getLogger(__name__)


def _retry(task, error: Exception):
    return task.retry(exc=error, countdown=30 * 2**task.request.retries)


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_client_mail(self, kind_name: str, **arguments) -> None:
    """Every client email (sharing/client_mail.py): built from the database now,
    retried while the mail server fails."""
    try:
        client_mail.send_now(kind_name, **arguments)
    except TRANSIENT as error:
        logger.warning("sending a %s email failed: %s", kind_name, error)
        raise _retry(self, error) from error


@shared_task(bind=True, max_retries=5, acks_late=True)
def mail_resume_link(self, list_id: str) -> None:
    try:
        client_mail.send_now(list_emails.RESUME_LINK, list_id=list_id)
    except TRANSIENT as error:
        logger.warning("mailing list %s's resume link failed: %s", list_id, error)
        raise _retry(self, error) from error


@shared_task(bind=True, max_retries=5, acks_late=True)
def mail_list_submitted(self, list_id: str) -> None:
    favourite_list = (
        FavouriteList.objects.select_related("link__gallery__owner")
        .filter(pk=list_id)
        .first()
    )
    if favourite_list is None:
        return
    try:
        list_emails.mail_owner(favourite_list=favourite_list)
    except TRANSIENT as error:
        logger.warning("telling the owner of list %s failed: %s", list_id, error)
        raise _retry(self, error) from error


@shared_task(bind=True, max_retries=3, acks_late=True)
def send_activity_digests(self) -> None:
    """Beat, hourly: each photographer who asked gets yesterday's digest, once."""
    digest.send_due()


@shared_task(bind=True, max_retries=3, acks_late=True)
def send_expiry_reminders(self) -> None:
    """Beat, hourly: the expiry reminders due, each claimed once (sharing/reminders.py)."""
    reminders.send_due()
