"""A gallery's design on the client's pages: the cover's layout and focal point, the
grid's style and spacing, the theme.

They are columns of the gallery itself, so a client's page reads them with the link's
gallery (no query of their own). `design_of(gallery)` is the one read: an immutable
value with what a template needs, the classes for the page's root (static/css/
design.css turns them into the layout with custom properties, no per-request image
work) and the cover's `object-position`. `design_update` is the one write, shared by
the owner's Design page and the API.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from galleries.models import Gallery

#: What the photographer sets, in the order the Design page shows it.
SETTINGS = ("cover_layout", "focal_x", "focal_y", "grid_style", "spacing", "theme")

_CHOICES = {
    "cover_layout": Gallery.CoverLayout,
    "grid_style": Gallery.GridStyle,
    "spacing": Gallery.Spacing,
    "theme": Gallery.Theme,
}

#: The page's background per forced theme, for the browser's own chrome.
THEME_COLOURS = {Gallery.Theme.LIGHT: "#faf8f5", Gallery.Theme.DARK: "#121110"}


@dataclass(frozen=True)
class DesignView:
    cover_layout: str = Gallery.CoverLayout.HERO
    focal_x: float = 0.5
    focal_y: float = 0.5
    grid_style: str = Gallery.GridStyle.JUSTIFIED
    spacing: str = Gallery.Spacing.REGULAR
    theme: str = Gallery.Theme.SYSTEM

    @property
    def root_classes(self) -> str:
        """The classes on the client page's <html>."""
        return (
            f"cover-{self.cover_layout} grid-{self.grid_style} "
            f"spacing-{self.spacing} theme-{self.theme}"
        )

    @property
    def has_cover(self) -> bool:
        return self.cover_layout != Gallery.CoverLayout.NONE

    @property
    def object_position(self) -> str:
        """The cover's focal point as CSS: "30% 42.5%"."""
        return f"{_percent(self.focal_x)} {_percent(self.focal_y)}"

    @property
    def color_scheme(self) -> str:
        """The page's `color-scheme`: what the browser draws its own parts in."""
        return "light dark" if self.theme == Gallery.Theme.SYSTEM else self.theme

    @property
    def theme_colour(self) -> str:
        """The forced theme's background, "" when the visitor's system decides."""
        return THEME_COLOURS.get(self.theme, "")


def _percent(value: float) -> str:
    return f"{round(value * 100, 2):g}%"


def design_of(gallery: Gallery) -> DesignView:
    """The gallery's design as clients see it (its own columns: no query)."""
    return DesignView(**{field: getattr(gallery, field) for field in SETTINGS})


def previewed(design: DesignView, values) -> DesignView:
    """`design` with the settings in `values` (a query's) that are valid; the rest,
    and anything unknown or out of range, stay as they are. For the owner's preview."""
    changes = {}
    for field in SETTINGS:
        raw = values.get(field)
        if raw is None:
            continue
        try:
            changes[field] = _clean(field, raw)
        except ValidationError:
            continue
    return replace(design, **changes)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code="invalid")})


def _clean(field: str, value):
    if field in ("focal_x", "focal_y"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if isinstance(value, bool) or not 0 <= number <= 1:
            raise _invalid(
                field, _("The focal point is a fraction of the photo, from 0 to 1.")
            )
        return number
    if value not in _CHOICES[field].values:
        raise _invalid(field, _("Choose one of the options offered."))
    return value


def design_update(*, gallery: Gallery, **changes) -> Gallery:
    """Save the design settings given (any of `SETTINGS`); ValidationError by field
    for a value out of range or not offered, and nothing is saved then."""
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise TypeError(f"not design settings: {sorted(unknown)}")
    cleaned, errors = {}, {}
    for field, value in changes.items():
        try:
            cleaned[field] = _clean(field, value)
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    changed = [
        field for field, value in cleaned.items() if getattr(gallery, field) != value
    ]
    for field in changed:
        setattr(gallery, field, cleaned[field])
    if changed:
        gallery.save(update_fields=[*changed, "updated_at"])
    return gallery
