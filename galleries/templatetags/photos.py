from django import template

from galleries import pictures

register = template.Library()


@register.inclusion_tag("galleries/_picture.html")
def photo_picture(
    photo, sizes: str = "(min-width: 700px) 25vw, 50vw", eager: bool = False
) -> dict:
    """A ready photo's grid image: modern formats first, lazy by default."""
    return {
        "photo": photo,
        "sizes": sizes,
        "eager": eager,
        **pictures.picture(photo, pictures.GRID),
    }
