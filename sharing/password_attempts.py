"""How often a share link's password may be tried: guessing is slowed down, guests are
never locked out by each other.

A wedding's guests often share one address (the venue's Wi-Fi, a phone network's NAT),
so the address cannot be what is locked. Three budgets of wrong tries, all per link and
kept in the shared cache (Redis in production, so every web process sees the same
counts; its `add` and `incr` are atomic):

- **Browser** (a random id in the visitor's session): 10 wrong tries in 15 minutes,
  then this browser alone is refused (429) until its 15 minutes are over. It is what
  stops a guest's typos from ever costing another guest anything.
- **Address** (one IPv4 address, or one IPv6 /64, which one household or phone gets):
  30 wrong tries a day go unhindered, whichever browsers made them. Past that, tries
  from the address are *paced*, never refused for long: one try is checked per 5
  seconds, and the wait doubles with every 10 further wrong tries, up to one per 5
  minutes. A try that comes before its turn is not checked at all and answered 429 with
  the seconds to wait (`PleaseWait`), the right password included, so a guesser learns
  nothing from it; a guest simply tries again a few seconds later.
- **Link** (every address together): 300 wrong tries a day unhindered, then one checked
  try per second, doubling every 100 more, up to one per 30 seconds, against guessing
  spread over many addresses.

The right password clears its browser's count but never an address's or link's: a
guest's success must not refill a guesser's budget.

What a guesser gets: one who drops the cookie on every try is a new browser each time,
so only the address and link budgets hold it. From one address that is 30 free tries,
then 60 more within the next ~53 minutes (10 each at 5, 10, 20, 40, 80 and 160 seconds
apart), then one every 5 minutes: about 370 guesses in a day, some 15 an hour sustained.
Through many addresses at once the link's pace caps all of them together at about
3,600 a day. A guest's right password meanwhile works at once on an address under the
free budget, and otherwise at the address's next turn: seconds while the address has
seen a few dozen wrong tries, at most 5 minutes while it is being used for guessing.

While the cache is unreachable (config/cache.py: reads miss, writes are dropped) there is
no shared count: no try is refused or paced and none is counted, so guessing fails open
for the outage (a guesser gets as many tries as it can send until Redis is back, bounded
by the share pages' own speed), and a guest's right password always works. Refusing every guest for as
long as Redis is away would be worse than a minute without pacing.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.client_address import address_group


@dataclass(frozen=True)
class Pace:
    """Wrong tries counted for `window` seconds from the first; the first `free` cost
    no wait, then tries are checked `first_wait` seconds apart, twice as far apart after
    every `doubling` more wrong tries, at most `longest_wait`."""

    window: int
    free: int
    first_wait: int
    doubling: int
    longest_wait: int

    def wait(self, failures: int) -> int:
        if failures < self.free:
            return 0
        steps = (failures - self.free) // self.doubling
        # Capped before it is raised: a long-running guesser's count can be large.
        return min(self.first_wait * 2 ** min(steps, 32), self.longest_wait)


BROWSER_FAILURES = 10
BROWSER_WINDOW = 15 * 60
ADDRESS_PACE = Pace(
    window=24 * 3600, free=30, first_wait=5, doubling=10, longest_wait=5 * 60
)
LINK_PACE = Pace(
    window=24 * 3600, free=300, first_wait=1, doubling=100, longest_wait=30
)


class TooManyAttempts(Exception):
    """This browser made too many wrong tries: it waits `retry_after` seconds."""

    def __init__(self, message: str = "", retry_after: int = BROWSER_WINDOW):
        super().__init__(
            message
            or _("Too many wrong passwords. Please wait 15 minutes and try again.")
        )
        self.retry_after = retry_after


class PleaseWait(TooManyAttempts):
    """Not this browser's fault: many wrong tries came from its address or for its link,
    so tries take turns. The try was not checked; the next turn is in `retry_after`."""

    def __init__(self, retry_after: int):
        super().__init__(
            ngettext(
                "Many wrong passwords have been tried for this gallery lately, so "
                "tries now take turns. Please wait %(seconds)d second and try again.",
                "Many wrong passwords have been tried for this gallery lately, so "
                "tries now take turns. Please wait %(seconds)d seconds and try again.",
                retry_after,
            )
            % {"seconds": retry_after},
            retry_after=retry_after,
        )


def _keys(link_id, browser: str, address: str) -> tuple[str, str, str]:
    prefix = f"sharing:pw:{link_id}"
    return (
        f"{prefix}:browser:{browser}",
        f"{prefix}:address:{address_group(address) or address}",
        f"{prefix}:link",
    )


def attempt(link, *, browser: str, address: str, check) -> bool:
    """Call `check()` (the password hash comparison) if this try may be made now, and
    count it if wrong. Raises `TooManyAttempts` for a browser over its budget and
    `PleaseWait` for a try before its address's or link's turn, neither checked."""
    browser_key, address_key, link_key = _keys(link.id, browser, address)
    counts = cache.get_many([browser_key, address_key, link_key])
    if counts.get(browser_key, 0) >= BROWSER_FAILURES:
        raise TooManyAttempts()
    for key, pace in ((address_key, ADDRESS_PACE), (link_key, LINK_PACE)):
        wait = pace.wait(counts.get(key, 0))
        if wait:
            _take_turn(key, wait)
    if check():
        cache.delete(browser_key)
        return True
    _count(browser_key, BROWSER_WINDOW)
    _count(address_key, ADDRESS_PACE.window)
    _count(link_key, LINK_PACE.window)
    return False


def _take_turn(key: str, wait: int) -> None:
    """One try per `wait` seconds for whatever `key` counts, across every process.

    The turn's key expires on the cache's clock, which need not be ours (another
    machine's Redis), so a turn whose time has come is claimed even while its key
    lingers; `add` on a key named after the stale turn lets only one process claim it."""
    now = time.time()
    turn_key = f"{key}:turn"
    if cache.add(turn_key, now + wait, wait):
        return
    next_turn = cache.get(turn_key)
    if next_turn is None or next_turn <= now:
        if cache.add(f"{turn_key}:{next_turn}", 1, wait):
            cache.set(turn_key, now + wait, wait)
            return
        next_turn = now + wait
    raise PleaseWait(retry_after=max(1, math.ceil(next_turn - now)))


def _count(key: str, window: int) -> None:
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two
        cache.set(key, 1, window)
