"""Which renditions a visitor's browser is offered for a photo, and how.

Every size comes in the formats its spec names (e.g. the grid in WebP and JPEG, the
preview in JPEG only). A browser must pick among formats first (`<source type=...>`)
and sizes second (`srcset` + `sizes`), so a format that lacks the large size would
leave a big screen with a small picture: such a format is offered only to screens it
is sharp enough for (a `media` query per pixel density).
"""

from galleries.filestore import file_url
from galleries.templatetags.photos import FORMATS, MIME

GRID = ("grid", "grid_2x")
LARGE = ("grid_2x", "preview")
HERO = ("grid", "grid_2x", "preview")

# A picture may be shown up to this much larger than its pixels before it looks soft.
STRETCH = 1.1
DENSITIES = (1, 2, 3)


def _candidates(renditions: dict, names: tuple[str, ...], fmt: str) -> list:
    found = [renditions.get(f"{name}.{fmt}") for name in names]
    return sorted(
        ((file_url(r["name"]), r["width"]) for r in found if r),
        key=lambda candidate: candidate[1],
    )


def _srcset(candidates: list) -> str:
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
        if (found := _candidates(photo.renditions, names, fmt))
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
                "srcset": _srcset(found),
                "media": "" if sharp_everywhere else _media_for(found[-1][1]),
            }
        )
    return {
        "sources": sources,
        "src": by_format[fallback][0][0],
        "srcset": _srcset(by_format[fallback]),
    }


def lightbox_srcset(photo) -> str:
    """The large sizes in one format every browser reads, for the script's lightbox."""
    by_format = [
        found
        for fmt in reversed(FORMATS)
        if (found := _candidates(photo.renditions, LARGE, fmt))
    ]
    return _srcset(max(by_format, key=lambda found: found[-1][1])) if by_format else ""


def tile_sizes(ratio: float) -> str:
    """How wide a grid tile of this shape is drawn; mirrors `--row` in public.css.

    A tile is `ratio` x the row height wide, then grows a little to fill its row
    (rarely beyond a fifth). Not `sizes="auto"`: tiles out of sight are not laid out
    (content-visibility), and browsers take such a picture to be 300 px wide.
    """
    phone = min(round(ratio * 28 * 1.2), 100)
    return (
        f"(max-width: 599px) {phone}vw, "
        f"calc({ratio * 12 * 1.25:.1f}vw + {round(ratio * 90 * 1.25)}px)"
    )
