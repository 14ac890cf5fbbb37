"""The activity table of a link: each recipient (invited or registered) and what they
did, for the owner's page, the API and the CSV export."""

import csv
import io

from django.utils import timezone

from sharing.models import Recipient, ShareLink

CSV_COLUMNS = (
    "email",
    "source",
    "status",
    "invited at",
    "last sent at",
    "sends",
    "registered at",
    "first visit",
    "last visit",
    "visits",
    "photos viewed",
    "downloads",
    "zip downloads",
    "lists started",
    "lists sent",
    "reminded at",
)


def rows(link: ShareLink):
    return Recipient.objects.filter(link=link).with_reminders().order_by("created_at")


def status(recipient: Recipient) -> str:
    """ "revoked", "opened", "sent", "registered" or "queued", as the owner reads it."""
    if recipient.is_revoked:
        return "revoked"
    if recipient.opened:
        return "opened"
    if recipient.last_sent_at:
        return "sent"
    if recipient.source == Recipient.Source.REGISTERED:
        return "registered"
    return "queued"


def _cell(value: str) -> str:
    # Addresses are typed by visitors: never let a spreadsheet run them as formulas.
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def csv_text(link: ShareLink) -> str:
    out = io.StringIO()
    # The byte-order mark tells Excel the file is UTF-8.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for recipient in rows(link):
        writer.writerow(
            [
                _cell(recipient.email),
                recipient.source,
                status(recipient),
                _when(recipient.invited_at),
                _when(recipient.last_sent_at),
                recipient.sends,
                _when(recipient.registered_at),
                _when(recipient.first_visit_at),
                _when(recipient.last_visit_at),
                recipient.views,
                recipient.photos_viewed,
                recipient.downloads,
                recipient.zip_downloads,
                recipient.lists_started,
                recipient.lists_submitted,
                # Each expiry reminder that left (sharing/reminders.py).
                " ".join(_when(sent.sent_at) for sent in recipient.sent_reminders),
            ]
        )
    return out.getvalue()
