"""How a client chose to browse a link: the order of the photos, only their own
favourites, and how dense the grid is.

All three ride in the address (`?sort=taken&mine=1&grid=large`), so the page, its next
page, a photo's own page and the way back agree without script, and a shared or
reloaded address shows the same. Anything not understood means the default: a
client's typo or an old bookmark never costs them the gallery.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

SORTS = {
    "gallery": _("Photographer's order"),
    "taken": _("Date taken"),
    "name": _("File name"),
}
GRIDS = {
    "regular": _("Regular"),
    "dense": _("Dense"),
    "large": _("Large"),
}
# How much a grid's rows are of the regular height: mirrors `.grid--dense` and
# `.grid--large` in public.css, so each tile's `sizes` asks for what is drawn.
ROW_SCALE = {"regular": 1.0, "dense": 0.7, "large": 1.5}


@dataclass(frozen=True)
class ClientView:
    sort: str = "gallery"
    mine: bool = False
    grid: str = "regular"

    @classmethod
    def from_query(cls, params: QueryDict) -> "ClientView":
        sort = params.get("sort", "")
        grid = params.get("grid", "")
        return cls(
            sort=sort if sort in SORTS else "gallery",
            mine=params.get("mine") == "1",
            grid=grid if grid in GRIDS else "regular",
        )

    @property
    def reorders(self) -> bool:
        """Whether the photos differ from the link's own list, in its own order."""
        return self.sort != "gallery" or self.mine

    def params(self) -> list[tuple[str, str]]:
        """The address's parameters for this view: only what differs from the
        default, so the default's addresses (and kept tiles) stay as they were."""
        params = []
        if self.sort != "gallery":
            params.append(("sort", self.sort))
        if self.mine:
            params.append(("mine", "1"))
        if self.grid != "regular":
            params.append(("grid", self.grid))
        return params

    def query(self) -> str:
        return urlencode(self.params())
