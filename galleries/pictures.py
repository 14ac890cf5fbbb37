"""Which renditions a browser is offered for a photo, and how: the one `<picture>`
builder, for the owner's grid and the visitor's pages alike.

Every size comes in the formats its spec names (e.g. the grid in WebP and JPEG, the
preview in JPEG only). A browser must pick among formats first (`<source type=...>`)
and sizes second (`srcset` + `sizes`), so a format that lacks the large size would
leave a big screen with a small picture: such a format is offered only to screens it
is sharp enough for (a `media` query per pixel density).
"""

from django.utils.html import format_html

from galleries.signed_urls import file_url

# Best first; the last one a photo has in every size is the <img> every browser shows.
FORMATS = ("avif", "webp", "jpeg")
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}

GRID = ("grid", "grid_2x")
LARGE = ("grid_2x", "preview")
HERO = ("grid", "grid_2x", "preview")

# A picture may be shown up to this much larger than its pixels before it looks soft.
STRETCH = 1.1
DENSITIES = (1, 2, 3)


def candidates(renditions: dict, names: tuple[str, ...], fmt: str) -> list:
    found = [renditions.get(f"{name}.{fmt}") for name in names]
    return sorted(
        (
            (file_url(r["name"], single=r.get("single", False)), r["width"])
            for r in found
            if r
        ),
        key=lambda candidate: candidate[1],
    )


def srcset(candidates: list) -> str:
    return ", ".join(f"{url} {width}w" for url, width in candidates)


def _media_for(widest: int) -> str:
    """Screens where a picture `widest` pixels across is sharp at full width."""
    return ", ".join(
        f"(max-width: {int(widest * STRETCH / density)}px)"
        f" and (max-resolution: {density}dppx)"
        for density in DENSITIES
    )


def picture(photo, names: tuple[str, ...]) -> dict:
    """`sources` (best formats first) and the `<img>`'s `src`/`srcset` for a photo.

    The `<img>` gets the most widely readable format that has every size.
    """
    by_format = {
        fmt: found
        for fmt in FORMATS
        if (found := candidates(photo.renditions, names, fmt))
    }
    if not by_format:
        return {"sources": [], "src": "", "srcset": ""}
    widest = max(found[-1][1] for found in by_format.values())
    complete = [fmt for fmt, found in by_format.items() if found[-1][1] >= widest]
    fallback = complete[-1] if complete else list(by_format)[-1]
    sources = []
    for fmt, found in by_format.items():
        if fmt == fallback:
            break
        sharp_everywhere = found[-1][1] >= widest
        sources.append(
            {
                "type": MIME[fmt],
                "srcset": srcset(found),
                "media": "" if sharp_everywhere else _media_for(found[-1][1]),
            }
        )
    return {
        "sources": sources,
        "src": by_format[fallback][0][0],
        "srcset": srcset(by_format[fallback]),
    }


def thumbnail(photo) -> str:
    """A small picture of a ready photo for the admin's lists; a dash before it is."""
    rendition = photo.renditions.get("grid.jpeg") or photo.renditions.get("grid.webp")
    if not rendition:
        return "—"
    return format_html(
        '<img src="{}" alt="" style="height:56px;width:auto;border-radius:4px">',
        file_url(rendition["name"]),
    )
