"""The owner's gallery page, open to the apps above galleries.

`galleries` never imports `sharing`, yet the page shows what clients did with the
gallery (its links' totals, the favourites lists, one list's photos). An app above
registers a contributor (`contributes`); the view builds a `GalleryPage` and lets each
contributor narrow the photos, add template context, and name templates to include:
banners above the grid, panels below it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import HttpRequest

from galleries.models import Gallery


@dataclass
class GalleryPage:
    request: HttpRequest
    gallery: Gallery
    photos: QuerySet
    context: dict = field(default_factory=dict)
    banners: list[str] = field(default_factory=list)
    panels: list[str] = field(default_factory=list)
    # True once a contributor showed only some of the photos (the grid is then never
    # "empty" in the sense of "no photos yet").
    filtered: bool = False

    def template_context(self) -> dict:
        """What the contributors give the page's template."""
        return {
            **self.context,
            "banners": self.banners,
            "panels": self.panels,
            "filtered": self.filtered,
        }


Contributor = Callable[[GalleryPage], None]
_contributors: list[Contributor] = []


def contributes(contributor: Contributor) -> Contributor:
    """Register `contributor` (an app's ready() imports the module that uses this)."""
    if contributor not in _contributors:
        _contributors.append(contributor)
    return contributor


def build(page: GalleryPage) -> GalleryPage:
    for contributor in _contributors:
        contributor(page)
    return page
