"""A tile of the visitor's grid, as HTML.

A page of the grid has up to 80 tiles of some 25 values each. Through the template
engine a tile cost ~0.25 ms, 20 ms a page, which a visitor waited for whenever a web
process drew a page at an offset for the first time (the no-script next page, a
fresh worker, a new URL window). Built here it costs a tenth of that: every value
goes through `html.escape`, which is what Django's autoescaping calls, without the
per-value machinery around it. The markup is the grid's of public.css and
public.js: `.tile`, `.tile__link` with `data-lb`/`data-id`/`data-n`, and the heart
button that posts the page's `hearts` form.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

DEFAULT_COLOR = "#8a857c"
HEART_ICON = '<svg class="icon" aria-hidden="true"><use href="#i-heart"/></svg>'


def tile_html(tile: dict, *, total: int, favourites: str) -> SafeString:
    """One `<li class="tile">`.

    `tile` is what `_render_tiles` gathers for a photo (photo, number, url, heart_url,
    ratio, picture, sizes, lightbox, hearted); `favourites` is "off", "open" (hearts
    are buttons) or "sent" (a hearted photo shows a badge).
    """
    photo, picture = tile["photo"], tile["picture"]
    pk, number, sizes = escape(str(photo.pk)), tile["number"], escape(tile["sizes"])
    filename = escape(photo.original_filename)
    alt = _("Photo %(number)s of %(total)s: %(filename)s") % {
        "number": number,
        "total": total,
        "filename": filename,
    }
    style = f"--r:{escape(tile['ratio'])};background-color:{escape(photo.color or DEFAULT_COLOR)}"
    if photo.placeholder:
        style += f";background-image:url('{escape(photo.placeholder)}')"
    sources = "".join(
        f'<source type="{escape(source["type"])}" srcset="{escape(source["srcset"])}"'
        f' sizes="{sizes}">'
        for source in picture["sources"]
    )
    # A watermarked link's lightbox shows only its own (watermarked) sizes.
    marked = " data-wm" if tile.get("watermarked") else ""
    if picture["src"]:
        shown = (
            f'<picture>{sources}<img src="{escape(picture["src"])}"'
            f' srcset="{escape(picture["srcset"])}" sizes="{sizes}"'
            f' width="{photo.width}" height="{photo.height}"'
            f' alt="{alt}" loading="lazy"'
            f' decoding="async" fetchpriority="low"></picture>'
        )
    else:  # its watermarked copy is being made (sharing/watermarked.py)
        preparing = escape(_("Being prepared"))
        shown = f'<span class="tile__preparing">{preparing}</span>'
    return mark_safe(
        f'<li class="tile" style="{style}">'
        f'<a class="tile__link" id="p-{pk}" href="{escape(tile["url"])}"'
        f' data-lb="{escape(tile["lightbox"])}" data-id="{pk}" data-n="{number}"'
        f"{marked}>{shown}</a>"
        f"{_heart(tile, favourites, filename)}</li>"
    )


def _heart(tile: dict, favourites: str, filename: str) -> str:
    hearted = tile["hearted"]
    if favourites == "off" or (favourites == "sent" and not hearted):
        return ""
    if favourites == "sent":
        label = escape(_("In your favourites"))
        return (
            f'<span class="heart heart--badge" title="{label}">{HEART_ICON}'
            f'<span class="visually-hidden">{label}</span></span>'
        )
    label = _("Favourite %(filename)s") % {"filename": filename}
    return (
        f'<button class="heart{" is-on" if hearted else ""}" form="hearts"'
        f' formaction="{escape(tile["heart_url"])}" name="hearted"'
        f' value="{0 if hearted else 1}" aria-pressed="{"true" if hearted else "false"}"'
        f' aria-label="{label}">'
        f"{HEART_ICON}</button>"
    )
