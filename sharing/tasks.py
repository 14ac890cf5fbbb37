"""Background work for sharing: mail, which must never hold up a visitor's request."""

import logging
import smtplib

from celery import shared_task

from sharing import list_emails
from sharing.models import FavouriteList

logger = logging.getLogger(__name__)

# A mail server that is down or slow now may answer in a minute.
TRANSIENT = (OSError, smtplib.SMTPException)


def _list(list_id: str) -> FavouriteList | None:
    return (
        FavouriteList.objects.select_related("link__gallery__owner")
        .filter(pk=list_id)
        .first()
    )


@shared_task(bind=True, max_retries=5, acks_late=True)
def mail_resume_link(self, list_id: str) -> None:
    if (favourite_list := _list(list_id)) is None:
        return  # deleted meanwhile: nobody to tell
    try:
        list_emails.mail_resume_link(favourite_list=favourite_list)
    except TRANSIENT as error:
        logger.warning("mailing list %s's resume link failed: %s", list_id, error)
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task(bind=True, max_retries=5, acks_late=True)
def mail_list_submitted(self, list_id: str) -> None:
    if (favourite_list := _list(list_id)) is None:
        return
    try:
        list_emails.mail_owner(favourite_list=favourite_list)
    except TRANSIENT as error:
        logger.warning("telling the owner of list %s failed: %s", list_id, error)
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
