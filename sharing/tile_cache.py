"""The tiles a web process keeps once drawn: a bounded, least-recently-used store.

A grid tile is the same HTML for every visitor who sees that photo at that place with
the same heart (see `sharing.views.visitor.TileKey`), so each process keeps what it drew.
The store holds at most `max_size` tiles; when a new one comes in past that, the tile
used longest ago goes, one at a time, so a busy process never throws away the whole
store at once and never loses a tile that the page being drawn still needs:
`get_many` hands back the tiles it found, and the caller draws the page from those and
from the ones it rendered, never from a second look-up that an eviction in between
could miss.

It is safe to share between a process's threads: every operation holds one lock for
a few dictionary steps.
"""

from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping
from threading import Lock


class TileCache:
    """At most `max_size` values by key; the least recently used goes first."""

    def __init__(self, max_size: int):
        if max_size < 1:
            raise ValueError("A tile cache must hold at least one tile.")
        self.max_size = max_size
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = Lock()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def get_many(self, keys: Iterable[Hashable]) -> dict[Hashable, str]:
        """The values kept for these keys (missing ones left out), each now the most
        recently used."""
        found = {}
        with self._lock:
            items = self._items
            for key in keys:
                value = items.get(key)
                if value is not None:
                    items.move_to_end(key)
                    found[key] = value
        return found

    def put_many(self, values: Mapping[Hashable, str]) -> None:
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
