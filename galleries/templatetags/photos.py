from django import template

from galleries.filestore import file_url

register = template.Library()


@register.inclusion_tag("galleries/_picture.html")
def photo_picture(
    photo, sizes: str = "(min-width: 700px) 25vw, 50vw", eager: bool = False
):
    """A ready photo's grid image: WebP first, JPEG for the rest, lazy by default."""
    r = photo.renditions

    def url(key: str) -> str:
        return file_url(r[key]["name"]) if key in r else ""

    def srcset(fmt: str) -> str:
        return ", ".join(
            f"{url(f'{name}.{fmt}')} {r[f'{name}.{fmt}']['width']}w"
            for name in ("grid", "grid_2x")
            if f"{name}.{fmt}" in r
        )

    return {
        "photo": photo,
        "webp_srcset": srcset("webp"),
        "jpeg_srcset": srcset("jpeg"),
        "src": url("grid.jpeg") or url("grid.webp"),
        "sizes": sizes,
        "eager": eager,
    }
