"""Small static files written into the page itself, to spare a phone a request."""

import posixpath
import re
from functools import lru_cache
from urllib.parse import quote

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.safestring import mark_safe

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


_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CLOSING = re.compile(r"</(style|script)", re.IGNORECASE)


@lru_cache(maxsize=32)
def _inline_text(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"no static file {path}")
    with open(found, encoding="utf-8") as source:
        text = source.read()
    if _CLOSING.search(text):
        raise template.TemplateSyntaxError(f"{path} would close its own element")
    if not path.endswith(".css"):
        return text.strip()

    # A stylesheet's url()s are relative to the stylesheet; in the page they are made
    # absolute, through `static` so that they keep the collected files' hashed names.
    def absolute(match: re.Match) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "/", "#")) or "://" in ref:
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), ref))
        return f'url("{static(resolved)}")'

    text = _CSS_URL.sub(absolute, _CSS_COMMENT.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@register.simple_tag
def inline_static(path: str) -> str:
    """The text of the small stylesheet or script at static `path`, to write inside a
    `<style>` or `<script>` with the request's CSP nonce (read once per process).

    Each stylesheet in the head holds the first paint until it has arrived, and on a
    slow phone each is a round trip of its own: the client pages' small ones (the
    brand, the design, the typeface's @font-face rules, the client's controls) are
    therefore part of the page. A stylesheet's url()s point at the collected files.
    """
    return mark_safe(_inline_text(path))  # our own static files
