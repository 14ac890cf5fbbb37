"""Expiry reminders: a set number of days before a link expires (7 and 1 unless the
photographer chose others), each recipient who has not downloaded anything nor sent
a list gets a reminder with their personal address.

- Per link: `ShareLink.expiry_reminders` (on by default once the link has an expiry;
  a link without one has none, and turning them on for it is refused) and
  `ShareLink.reminder_days`, the day marks (1 to 60 days before expiry).
- Celery beat asks hourly (config/settings.py's CELERY_BEAT_SCHEDULE; on the
  embedded default bin/serve runs beat inside its worker): `send_due` finds, per
  link, the latest mark it has passed, and for each recipient still due claims a
  `ReminderSent` row for (recipient, mark) before queueing the email. The row's
  unique constraint is what makes a second beat, a second worker or a rerun find
  the reminder taken: never twice for the same mark.
- Never after expiry, never to a revoked recipient, never to an address that
  unsubscribed from the studio (client_mail checks again as the email leaves), and
  not for a mark the recipient was added after (their invitation is fresher).
- The email is a client email (sharing/client_mail.py, kind "reminder"), built in
  the worker from what is true then: a recipient who downloaded meanwhile gets none.
"""

import datetime
import math
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sharing import client_mail, invitations
from sharing.models import MAX_REMINDER_DAYS, Recipient, ReminderSent, ShareLink

REMINDER = "reminder"
MIN_DAYS = 1
MAX_DAYS = MAX_REMINDER_DAYS
MAX_MARKS = 5

NEEDS_EXPIRY = gettext_lazy(
    "Reminders need an expiry date: give the link one, or turn reminders off."
)


# --- Settings ---------------------------------------------------------------------------


def parse_days(raw) -> list[int]:
    """The day marks, from "7, 1" (the form) or [7, 1] (the API): whole days from
    1 to 60, each once, latest first; a ValidationError saying what is wrong."""
    if isinstance(raw, str):
        parts = [part for part in re.split(r"[\s,;]+", raw) if part]
    elif isinstance(raw, list | tuple):
        parts = list(raw)
    else:
        parts = [raw]
    days = []
    for part in parts:
        try:
            value = int(part)
            if isinstance(part, float | bool) or str(part).strip() != str(value):
                raise ValueError(part)
        except (TypeError, ValueError):
            raise ValidationError(
                {
                    "reminder_days": _(
                        "Give whole numbers of days, separated by commas, e.g. 7, 1."
                    )
                },
                code="invalid",
            ) from None
        if not MIN_DAYS <= value <= MAX_DAYS:
            raise ValidationError(
                {
                    "reminder_days": _(
                        "Reminders go %(min)d to %(max)d days before expiry "
                        "(not %(value)d)."
                    )
                    % {"min": MIN_DAYS, "max": MAX_DAYS, "value": value}
                },
                code="invalid",
            )
        days.append(value)
    days = sorted(set(days), reverse=True)
    if not days:
        raise ValidationError(
            {"reminder_days": _("Give at least one day, e.g. 7, 1.")}, code="invalid"
        )
    if len(days) > MAX_MARKS:
        raise ValidationError(
            {
                "reminder_days": _("At most %(n)d reminders per link.")
                % {"n": MAX_MARKS}
            },
            code="invalid",
        )
    return days


def settle(link: ShareLink, fields: dict, *, had_expiry: bool) -> None:
    """Before a link is saved (sharing/services.py): reminders default to on when
    the link gains an expiry and off without one; asking for them on a link without
    expiry is refused. `fields` are what the caller set."""
    if "expiry_reminders" not in fields:
        if link.expires_at is None:
            link.expiry_reminders = False
        elif not had_expiry:
            link.expiry_reminders = True
    elif link.expiry_reminders and link.expires_at is None:
        raise ValidationError({"expiry_reminders": NEEDS_EXPIRY}, code="invalid")
    link.reminder_days = parse_days(link.reminder_days)


def days_text(link: ShareLink) -> str:
    """ "7, 1", as the form shows the marks."""
    return ", ".join(str(day) for day in link.reminder_days)


# --- Which reminders are due ------------------------------------------------------------


def due_mark(link: ShareLink, now: datetime.datetime) -> int | None:
    """The latest day mark `link` has passed at `now` (the smallest number of days
    not less than the time left), or None: not yet, expired, or no expiry."""
    if link.expires_at is None or link.expires_at <= now:
        return None
    left = link.expires_at - now
    for days in sorted(link.reminder_days):
        if left <= datetime.timedelta(days=days):
            return days
    return None


def _claim(recipient: Recipient, days: int) -> ReminderSent | None:
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(recipient=recipient, days=days)
    except IntegrityError:
        return None  # claimed by another beat or worker


def send_due(now: datetime.datetime | None = None) -> int:
    """Queue every reminder due now, each claimed once: how many were queued."""
    now = now or timezone.now()
    queued = 0
    for link in ShareLink.objects.reminders_due(now):
        days = due_mark(link, now)
        if days is None:
            continue
        mark = link.expires_at - datetime.timedelta(days=days)
        for recipient in Recipient.objects.to_remind(link, days=days, mark=mark):
            claim = _claim(recipient, days)
            if claim is not None:
                client_mail.send_later(REMINDER, reminder_id=claim.pk)
                queued += 1
    return queued


def still_due(recipient: Recipient) -> bool:
    """What `send_due` chose, still true as the email leaves."""
    link = recipient.link
    return (
        not recipient.is_revoked
        and link.is_active
        and link.gallery.trashed_at is None
        and link.expiry_reminders
        and link.expires_at is not None
        and not link.is_expired
        and recipient.downloads == 0
        and recipient.zip_downloads == 0
        and recipient.lists_submitted == 0
    )


# --- The email --------------------------------------------------------------------------


def days_left(link: ShareLink, now: datetime.datetime | None = None) -> int:
    left = link.expires_at - (now or timezone.now())
    return max(1, math.ceil(left / datetime.timedelta(days=1)))


def message_for(recipient: Recipient, *, sent=None) -> client_mail.ClientMessage:
    link = recipient.link
    day = date_format(timezone.localtime(link.expires_at), "DATE_FORMAT")
    return client_mail.ClientMessage(
        owner=link.gallery.owner,
        to=recipient.email,
        subject=_("Your photos from %(gallery)s are online until %(day)s")
        % {"gallery": link.gallery.title, "day": day},
        template="sharing/email/reminder",
        context={
            "link": link,
            "gallery": link.gallery,
            "days_left": days_left(link),
            "personal_url": invitations.personal_url(recipient),
        },
        sent=sent,
    )


def preview(*, link: ShareLink, email: str = ""):
    """What a recipient would get (`client_mail.Rendered`); the personal address
    shown is a stand-in. Refused for a link without expiry."""
    if link.expires_at is None:
        raise ValidationError({"expires_at": NEEDS_EXPIRY}, code="invalid")
    email = email or _("client@example.com")
    stand_in = Recipient(link=link, email=email, token="your-personal-link")
    return client_mail.render(message_for(stand_in))


@client_mail.kind(REMINDER)
def reminder_message(*, reminder_id) -> client_mail.ClientMessage | None:
    reminder = (
        ReminderSent.objects.select_related("recipient__link__gallery__owner")
        .filter(pk=reminder_id, sent_at__isnull=True)
        .first()
    )
    if reminder is None or not still_due(reminder.recipient):
        return None  # sent already, or no longer due since it was queued

    def sent() -> None:
        ReminderSent.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())

    return message_for(reminder.recipient, sent=sent)
