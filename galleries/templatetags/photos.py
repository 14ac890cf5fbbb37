from django import template

from galleries.filestore import file_url

register = template.Library()

# Best first; the last one present is the <img> every browser can show.
FORMATS = ("avif", "webp", "jpeg")
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}


def picture_sources(renditions: dict, names: tuple[str, ...]) -> dict:
    """srcset per format for the given sizes, best format first."""
    sources = []
    for fmt in FORMATS:
        candidates = [
            (file_url(r["name"]), r["width"])
            for name in names
            if (r := renditions.get(f"{name}.{fmt}"))
        ]
        if candidates:
            srcset = ", ".join(f"{url} {width}w" for url, width in candidates)
            sources.append(
                {"type": MIME[fmt], "srcset": srcset, "src": candidates[0][0]}
            )
    if not sources:
        return {"sources": [], "fallback": None}
    return {"sources": sources[:-1], "fallback": sources[-1]}


@register.inclusion_tag("galleries/_picture.html")
def photo_picture(
    photo, sizes: str = "(min-width: 700px) 25vw, 50vw", eager: bool = False
) -> dict:
    """A ready photo's grid image: modern formats first, lazy by default."""
    return {
        "photo": photo,
        "sizes": sizes,
        "eager": eager,
        **picture_sources(photo.renditions, ("grid", "grid_2x")),
    }
