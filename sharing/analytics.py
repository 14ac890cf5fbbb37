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

from config.lru import LRU
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
    _add(link, {counter: amount})


def _add(link: ShareLink, amounts: dict[str, int]) -> None:
    day = today()
    increments = {name: F(name) + amount for name, amount in amounts.items()}
    if not LinkDay.objects.filter(link=link, day=day).update(**increments):
        try:
            with transaction.atomic():
                LinkDay.objects.create(link=link, day=day, **amounts)
        except IntegrityError:
            # Another request made today's row first.
            LinkDay.objects.filter(link=link, day=day).update(**increments)


# Today's salt, once read, is kept by the process, so a view costs no query for it:
# it never changes during its day. Only the day being counted needs one, so the process
# keeps one: a new day's salt pushes out yesterday's, as the database deletes it.
_salts: LRU[datetime.date, str] = LRU(1)


def _salt(day: datetime.date) -> str:
    salt = _salts.get(day)
    if salt is not None:
        return salt
    salt = DailySalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if salt is None:
        try:
            with transaction.atomic():
                salt = DailySalt.objects.create(day=day).salt
        except IntegrityError:
            salt = DailySalt.objects.get(day=day).salt
        # Yesterday's salts go, and with them any way to link their hashes to anyone.
        DailySalt.objects.filter(day__lt=day).delete()
    _salts.put(day, salt)
    return salt


# Visitors this process has counted today, by digest: their next views are views only.
_seen: LRU[str, bool] = LRU(20_000)

# The last visit is shown to the minute; a busy link need not be written every view.
LAST_VISIT_PRECISION = datetime.timedelta(minutes=1)


def record_view(
    link: ShareLink, *, address: str, user_agent: str, browser: str | None = None
) -> None:
    """A visitor opened the gallery: a view, and a visitor if new today.

    A visitor is their address and browser's user agent, or, where the caller knows
    it, `browser`: a random id of the browser's own (a password link's visitors each
    hold one from unlocking), which tells apart guests who share an address and a
    phone model. Either way only its salted hash is stored."""
    day = today()
    who = f"browser:{browser}" if browser else f"{address}|{user_agent}"
    digest = hashlib.sha256(f"{_salt(day)}|{link.id}|{who}".encode()).hexdigest()
    # Most views are from visitors seen before today: one read tells, no failed insert,
    # and none at all for a visitor this process has already seen today (the digest
    # holds the day's salt and the link, and a visitor's row outlives the day).
    new_visitor = False
    if _seen.get(digest) is None:
        if not Visitor.objects.filter(link=link, day=day, digest=digest).exists():
            try:
                with transaction.atomic():
                    Visitor.objects.create(link=link, day=day, digest=digest)
                new_visitor = True
            except IntegrityError:
                pass  # the same visitor's other request, at the same moment
        _seen.put(digest, True)
    _add(link, {"views": 1, "visitors": 1} if new_visitor else {"views": 1})
    now = timezone.now()
    if link.last_visited_at is None or now - link.last_visited_at >= (
        LAST_VISIT_PRECISION
    ):
        ShareLink.objects.filter(pk=link.pk).update(last_visited_at=now)
        link.last_visited_at = now


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
