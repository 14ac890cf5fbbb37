"""What each share link was used for, counted per day without storing who.

Unique visitors are told apart by a hash of their address and browser with a salt
that is random per day; the salt is deleted when its day is over, so no stored hash
can be traced back to an address.
"""

import atexit
import datetime
import hashlib
import threading
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from config.lru import LRU
from sharing import recipients
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
    recipients.counted(link, counter)


def _add(link: ShareLink, amounts: dict[str, int]) -> None:
    _add_to_day(link.pk, today(), amounts)


def _add_to_day(link_id, day: datetime.date, amounts: dict[str, int]) -> None:
    increments = {name: F(name) + amount for name, amount in amounts.items()}
    if not LinkDay.objects.filter(link_id=link_id, day=day).update(**increments):
        if not ShareLink.objects.filter(pk=link_id).exists():
            return  # deleted since its views were counted
        try:
            with transaction.atomic():
                LinkDay.objects.create(link_id=link_id, day=day, **amounts)
        except IntegrityError:
            # Another request made today's row first (or the link is gone).
            LinkDay.objects.filter(link_id=link_id, day=day).update(**increments)


# A view of a visitor already counted today is added up in the process and written
# with the others every VIEW_FLUSH_SECONDS (one UPDATE per link and day), not one
# committed write per page: that write was a fifth of a gallery page's time. The
# photographer's figures therefore trail by up to VIEW_FLUSH_SECONDS (their own
# process writes before it reads them), and a process killed outright loses at most
# that many seconds of views; a stopping one writes them on its way out.
_pending: dict[tuple, int] = {}
_pending_lock = threading.Lock()
_flushed_at = time.monotonic()


def _add_view_later(link: ShareLink, day: datetime.date) -> None:
    global _flushed_at
    with _pending_lock:
        key = (link.pk, day)
        _pending[key] = _pending.get(key, 0) + 1
        due = time.monotonic() - _flushed_at >= settings.VIEW_FLUSH_SECONDS
    if due:
        flush_views()


def flush_views() -> None:
    """Write the views this process has added up since it last wrote them."""
    global _flushed_at
    with _pending_lock:
        pending = dict(_pending)
        _pending.clear()
        _flushed_at = time.monotonic()
    for (link_id, day), views in pending.items():
        _add_to_day(link_id, day, {"views": views})


atexit.register(flush_views)


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
    if new_visitor:
        _add(link, {"views": 1, "visitors": 1})
    else:
        _add_view_later(link, day)
    recipients.visited(link)
    now = timezone.now()
    if link.last_visited_at is None or now - link.last_visited_at >= (
        LAST_VISIT_PRECISION
    ):
        ShareLink.objects.filter(pk=link.pk).update(last_visited_at=now)
        link.last_visited_at = now


def daily(link: ShareLink, days: int = 30) -> list[dict]:
    """One row per day for the last `days` days, oldest first, zeros included."""
    flush_views()
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
    flush_views()
    aggregate = LinkDay.objects.filter(link__in=links).aggregate(
        **{name: Sum(name, default=0) for name in COUNTERS}
    )
    aggregate["last_visited_at"] = ShareLink.objects.filter(
        pk__in=[link.pk for link in links] if isinstance(links, list) else links
    ).aggregate(last=Max("last_visited_at"))["last"]
    return aggregate
