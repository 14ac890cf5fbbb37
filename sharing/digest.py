"""The photographer's daily digest: what clients did yesterday (UTC), gallery by
gallery, for those who turned it on in their profile (`User.activity_digest`).

Celery beat asks hourly (config/settings.py's CELERY_BEAT_SCHEDULE); each
photographer gets each day's digest once (`DigestSent`), whenever beat first runs
after midnight, and nothing on a day without activity.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from sharing import analytics
from sharing.models import DigestSent, FavouriteList, LinkDay, Recipient

logger = logging.getLogger(__name__)

COUNTERS = ("views", "visitors", "downloads", "zip_downloads", "lists_submitted")


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
    return start, start + datetime.timedelta(days=1)


def activity(owner, day: datetime.date) -> list[dict]:
    """Per gallery with activity that day: its counters, the recipients who opened
    it for the first time, and the lists sent."""
    start, end = _day_bounds(day)
    analytics.flush_views()
    galleries: dict = {}
    sums = (
        LinkDay.objects.filter(link__gallery__owner=owner, day=day)
        .values("link__gallery", "link__gallery__title")
        .annotate(**{name: Sum(name) for name in COUNTERS})
    )
    for row in sums:
        galleries[row["link__gallery"]] = {
            "title": row["link__gallery__title"],
            "gallery_id": row["link__gallery"],
            **{name: row[name] or 0 for name in COUNTERS},
            "opened": [],
            "lists": [],
        }

    def entry(gallery_id, title):
        return galleries.setdefault(
            gallery_id,
            {
                "title": title,
                "gallery_id": gallery_id,
                **dict.fromkeys(COUNTERS, 0),
                "opened": [],
                "lists": [],
            },
        )

    opened = Recipient.objects.filter(
        link__gallery__owner=owner, first_visit_at__gte=start, first_visit_at__lt=end
    ).select_related("link__gallery")
    for recipient in opened:
        gallery = recipient.link.gallery
        entry(gallery.pk, gallery.title)["opened"].append(recipient.email)
    lists = FavouriteList.objects.filter(
        link__gallery__owner=owner, submitted_at__gte=start, submitted_at__lt=end
    ).select_related("link__gallery")
    for favourite_list in lists:
        gallery = favourite_list.link.gallery
        entry(gallery.pk, gallery.title)["lists"].append(favourite_list.name)
    return sorted(galleries.values(), key=lambda row: row["title"].lower())


def send_for(owner, day: datetime.date) -> bool:
    """Send `owner` the digest of `day` unless sent already or nothing happened:
    True if it left. A mail server that fails raises, and the day stays unsent."""
    rows = activity(owner, day)
    try:
        with transaction.atomic():
            marker = DigestSent.objects.create(owner=owner, day=day)
    except IntegrityError:
        return False
    if not rows:
        return False
    context = {
        "owner": owner,
        "day": day,
        "galleries": rows,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    try:
        send_mail(
            subject=_("What your clients did on %(day)s")
            % {"day": day.strftime("%d %b %Y")},
            message=render_to_string("sharing/email/digest.txt", context),
            html_message=render_to_string("sharing/email/digest.html", context),
            from_email=None,
            recipient_list=[owner.email],
        )
    except Exception:
        marker.delete()  # the retry sends it
        raise
    return True


def send_due(now: datetime.datetime | None = None) -> int:
    """Yesterday's digest for everyone who asked and has not had it: how many left."""
    day = (now or timezone.now()).astimezone(datetime.UTC).date() - datetime.timedelta(
        days=1
    )
    sent = 0
    owners = get_user_model().objects.filter(activity_digest=True, is_active=True)
    for owner in owners.exclude(
        pk__in=DigestSent.objects.filter(day=day).values("owner")
    ):
        sent += send_for(owner, day)
    return sent
