"""What each share link was used for, counted per day without storing who.

Unique visitors are told apart by a hash of their address and browser with a salt
that is random per day; the salt is deleted when its day is over, so no stored hash
can be traced back to an address.
"""

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from sharing.models import DailySalt, LinkDay, ShareLink, Visitor

COUNTERS = (
    "views",
    "visitors",
    "downloads",
    "zip_downloads",
    "lists_started",
    "lists_submitted",
)


def today() -> datetime.date:
    return timezone.now().date()


def count(link: ShareLink, counter: str, amount: int = 1) -> None:
    """Add to one of today's counters for a link."""
    if counter not in COUNTERS:
        raise ValueError(counter)
    day = today()
    updated = LinkDay.objects.filter(link=link, day=day).update(
        **{counter: F(counter) + amount}
    )
    if not updated:
        try:
            with transaction.atomic():
                LinkDay.objects.create(link=link, day=day, **{counter: amount})
        except IntegrityError:
            # Another request made today's row first.
            LinkDay.objects.filter(link=link, day=day).update(
                **{counter: F(counter) + amount}
            )


def _salt(day: datetime.date) -> str:
    salt = DailySalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if salt is None:
        try:
            with transaction.atomic():
                salt = DailySalt.objects.create(day=day).salt
        except IntegrityError:
            salt = DailySalt.objects.get(day=day).salt
        # Yesterday's salts go, and with them any way to link their hashes to anyone.
        DailySalt.objects.filter(day__lt=day).delete()
    return salt


def record_view(link: ShareLink, *, address: str, user_agent: str) -> None:
    """A visitor opened the gallery: a view, and a visitor if new today."""
    day = today()
    digest = hashlib.sha256(
        f"{_salt(day)}|{link.id}|{address}|{user_agent}".encode()
    ).hexdigest()
    count(link, "views")
    try:
        with transaction.atomic():
            Visitor.objects.create(link=link, day=day, digest=digest)
    except IntegrityError:
        pass
    else:
        count(link, "visitors")
    ShareLink.objects.filter(pk=link.pk).update(last_visited_at=timezone.now())


def daily(link: ShareLink, days: int = 30) -> list[dict]:
    """One row per day for the last `days` days, oldest first, zeros included."""
    end = today()
    start = end - datetime.timedelta(days=days - 1)
    rows = {
        row["day"]: row
        for row in LinkDay.objects.filter(link=link, day__gte=start).values(
            "day", *COUNTERS
        )
    }
    return [
        rows.get(day, {"day": day, **dict.fromkeys(COUNTERS, 0)})
        for day in (start + datetime.timedelta(days=n) for n in range(days))
    ]


def totals(links) -> dict:
    """All-time counters summed over some links, and their last visit."""
    aggregate = LinkDay.objects.filter(link__in=links).aggregate(
        **{name: Sum(name, default=0) for name in COUNTERS}
    )
    aggregate["last_visited_at"] = ShareLink.objects.filter(
        pk__in=[link.pk for link in links] if isinstance(links, list) else links
    ).aggregate(last=Max("last_visited_at"))["last"]
    return aggregate
