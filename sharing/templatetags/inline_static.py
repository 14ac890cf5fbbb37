"""Small static files written into the page itself, to spare a phone a request."""

from functools import lru_cache
from urllib.parse import quote

from django import template
from django.contrib.staticfiles import finders

register = template.Library()


# Its paths are the few written in templates; the bound only keeps it honest.
@lru_cache(maxsize=16)
def _svg_data_uri(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"no static file {path}")
    with open(found, encoding="utf-8") as svg:
        text = " ".join(svg.read().split())
    return "data:image/svg+xml," + quote(text, safe=" /:=.,-")


@register.simple_tag
def svg_data_uri(path: str) -> str:
    """The SVG at static `path` as a `data:` URI (read once per process).

    The public gallery's favicon is one: a favicon is fetched at high priority, and
    on a slow phone it queued behind the grid's pictures and held the page's
    "largest paint" back by a second.
    """
    return _svg_data_uri(path)
