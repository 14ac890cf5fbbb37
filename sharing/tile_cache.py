"""The tiles a web process keeps once drawn.

A grid tile is the same HTML for every visitor who sees that photo at that place with
the same heart (see `sharing.views.visitor.TileKey`), so each process keeps what it drew,
at most `TILES_KEPT` of them, in a least-recently-used store (`config.lru.LRU`): past
the bound the tile used longest ago goes, one at a time, so a busy process never throws
away the whole store at once and never loses a tile that the page being drawn still
needs: `get_many` hands back the tiles it found, and the caller draws the page from
those and from the ones it rendered, never from a second look-up that an eviction in
between could miss.
"""

from collections.abc import Hashable

from config.lru import LRU

TILES_KEPT = 20_000

rendered_tiles: LRU[Hashable, str] = LRU(TILES_KEPT)
