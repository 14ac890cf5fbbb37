"""A bounded, least-recently-used store that a process's threads can share.

The caches a web process keeps for itself (the grid's tiles in `sharing.tile_cache`,
the presigned S3 URLs in `galleries.signed_urls`) are each one of these: at most
`max_size` values; when one more comes in past that, the value used longest ago goes,
one at a time, so a busy process never throws everything away at once.

A key that is not there, or that another thread evicted a moment ago, is simply not
found: no look-up raises. `get_many` hands back what it found as a dict of the
caller's own, so a caller draws from that and never from a second look-up that an
eviction in between could miss.

Every operation holds one lock for a few dictionary steps.
"""

from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping
from threading import Lock
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """At most `max_size` values by key; the least recently used goes first."""

    def __init__(self, max_size: int):
        if max_size < 1:
            raise ValueError("An LRU must hold at least one value.")
        self.max_size = max_size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()

    def __len__(self) -> int:
        # Under the lock: a put_many adds before it evicts, so between the two steps
        # the dict may hold one more than the bound for a moment.
        with self._lock:
            return len(self._items)

    def __contains__(self, key: K) -> bool:
        with self._lock:
            return key in self._items

    def get(self, key: K, default: V | None = None) -> V | None:
        """The value kept for a key, now the most recently used; else `default`."""
        with self._lock:
            try:
                self._items.move_to_end(key)
            except KeyError:
                return default
            return self._items[key]

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The values kept for these keys (missing ones left out), each now the most
        recently used."""
        found = {}
        with self._lock:
            items = self._items
            for key in keys:
                try:
                    items.move_to_end(key)
                except KeyError:
                    continue
                found[key] = items[key]
        return found

    def put(self, key: K, value: V) -> None:
        """Keep a value, as the most recently used, letting the oldest go past the
        bound."""
        self.put_many({key: value})

    def put_many(self, values: Mapping[K, V]) -> None:
        """Keep these values, as the most recently used, and let the oldest go past
        the bound."""
        with self._lock:
            items = self._items
            for key, value in values.items():
                items[key] = value
                items.move_to_end(key)
            while len(items) > self.max_size:
                items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
