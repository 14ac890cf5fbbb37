"""A studio's brand: its settings (writes), and `brand_for` (the one read).

The photographer sets a logo (and optionally one for dark backgrounds), an accent
colour, a typeface pairing, contact details and whether the client footer credits
Proofsheet. Every client page and email reads it through `brand_for(owner)`, a small
immutable value with what a template needs: the accent already paired with a text
colour that reads on it, and adjusted where it is itself text on the page (WCAG 4.5:1,
`galleries.contrast`).

Logos are checked and redrawn by `galleries.imaging.logo`; only that redrawn PNG is
stored (default storage, `brand/<owner id>/`), named by its content, and served by the
site at a public, immutable address (`galleries:brand_logo`): a logo is shown before a
gallery is unlocked and in emails, which must not hold a URL that expires.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from galleries import contrast
from galleries.filestore import delete_files
from galleries.imaging import logo as logo_imaging
from galleries.imaging.errors import ImageRejected
from galleries.models import Brand

#: The client pages' own backgrounds (static/css/public.css): light, dark.
PAGE_LIGHT = "#faf8f5"
PAGE_DARK = "#121110"

INSTAGRAM = re.compile(r"^@?([A-Za-z0-9._]{1,30})$")
PHONE = re.compile(r"^\+?[0-9 ().\-/]{5,39}$")

#: The typeface pairings' stylesheets (static/css/fonts/), by Brand.Typeface.
FONT_STYLESHEETS = {
    Brand.Typeface.EDITORIAL: "css/fonts/editorial.css",
    Brand.Typeface.CLASSIC: "css/fonts/classic.css",
    Brand.Typeface.MODERN: "css/fonts/modern.css",
}

SETTINGS = (
    "accent",
    "typeface",
    "website",
    "email",
    "phone",
    "instagram",
    "credit_proofsheet",
    "language",
)


@dataclass(frozen=True)
class Logo:
    url: str  # a path on this site; emails prefix SITE_URL
    width: int
    height: int


@dataclass(frozen=True)
class BrandView:
    """What a client page or email shows of the studio."""

    studio_name: str
    logo: Logo | None = None
    logo_dark: Logo | None = None
    accent: str = ""  # "" for Proofsheet's own look
    on_accent: str = ""  # text on the accent
    accent_text_light: str = ""  # the accent as text on the light page
    accent_text_dark: str = ""  # ... and on the dark page (the cover, doors, lightbox)
    font_stylesheet: str = ""  # a static path, "" for the device's fonts
    website: str = ""
    email: str = ""
    phone: str = ""
    instagram: str = ""
    credit_proofsheet: bool = True
    language: str = settings.LANGUAGE_CODE  # the studio's galleries' (languages.py)

    @property
    def instagram_url(self) -> str:
        return f"https://www.instagram.com/{self.instagram}/" if self.instagram else ""

    @property
    def website_label(self) -> str:
        return re.sub(r"^https?://(www\.)?", "", self.website).rstrip("/")

    @property
    def phone_link(self) -> str:
        return "tel:" + re.sub(r"[^+0-9]", "", self.phone) if self.phone else ""

    @property
    def has_contact(self) -> bool:
        return bool(self.website or self.email or self.phone or self.instagram)

    @property
    def logo_on_dark(self) -> Logo | None:
        """The logo for a dark background: its dark variant, else the logo."""
        return self.logo_dark or self.logo


# --- Reading ---------------------------------------------------------------------------


def _logo(brand: Brand, field: str) -> Logo | None:
    name = getattr(brand, field)
    if not name:
        return None
    return Logo(
        url=reverse(
            "galleries:brand_logo", args=[brand.owner_id, name.rpartition("/")[2]]
        ),
        width=getattr(brand, f"{field}_width"),
        height=getattr(brand, f"{field}_height"),
    )


def brand_for(owner) -> BrandView:
    """The studio's brand as clients see it (Proofsheet's look where none is set)."""
    brand = _row(owner)
    if brand is None:
        return BrandView(studio_name=owner.public_name)
    accent = brand.accent.lower()
    return BrandView(
        studio_name=owner.public_name,
        logo=_logo(brand, "logo"),
        logo_dark=_logo(brand, "logo_dark"),
        accent=accent,
        on_accent=contrast.text_on(accent) if accent else "",
        accent_text_light=contrast.readable_on(accent, PAGE_LIGHT) if accent else "",
        accent_text_dark=contrast.readable_on(accent, PAGE_DARK) if accent else "",
        font_stylesheet=FONT_STYLESHEETS.get(brand.typeface, ""),
        website=brand.website,
        email=brand.email,
        phone=brand.phone,
        instagram=brand.instagram,
        credit_proofsheet=brand.credit_proofsheet,
        language=brand.language,
    )


def _row(owner) -> Brand | None:
    """The owner's Brand row: the one loaded with them (a link reads its studio with
    `select_related("gallery__owner__brand")`, so a client's page costs no query for
    it), else read now."""
    try:
        return owner.brand
    except Brand.DoesNotExist:
        return None


def brand_of(owner) -> Brand:
    """The photographer's Brand row (a default one, unsaved, if none yet)."""
    # The same instance `brand_for` reads, so what is written is what is shown.
    return _row(owner) or Brand(owner=owner)


def logo_file(owner_id, filename: str) -> str | None:
    """The stored name of a studio's current logo called `filename`, else None."""
    brand = Brand.objects.filter(owner_id=owner_id).only("logo", "logo_dark").first()
    if brand is None:
        return None
    for name in (brand.logo, brand.logo_dark):
        if name and name.rpartition("/")[2] == filename:
            return name
    return None


# --- Writing ---------------------------------------------------------------------------


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code="invalid")})


def _clean(field: str, value):
    if isinstance(value, str):
        value = value.strip()
    if field == "accent" and value:
        if not contrast.HEX.match(value):
            raise _invalid(
                "accent", _("Give the colour as # and six hex digits, e.g. #1d6354.")
            )
        value = value.lower()
    if field == "instagram" and value:
        match = INSTAGRAM.match(value)
        if not match:
            raise _invalid(
                "instagram", _("An Instagram name has letters, digits, . and _.")
            )
        value = match.group(1)
    if field == "phone" and value and not PHONE.match(value):
        raise _invalid(
            "phone", _("A phone number has digits, spaces and + ( ) - only.")
        )
    return value


def _locked(owner) -> Brand:
    """The owner's Brand row, locked for a write (made if none yet), and kept on the
    owner so that what `brand_for(owner)` shows next is what was written."""
    brand, _created = Brand.objects.select_for_update().get_or_create(owner=owner)
    owner.brand = brand
    return brand


def brand_update(*, owner, **changes) -> Brand:
    """Save the brand's settings given (any of `SETTINGS`)."""
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise TypeError(f"not brand settings: {sorted(unknown)}")
    with transaction.atomic():
        brand = _locked(owner)
        for field, value in changes.items():
            setattr(brand, field, _clean(field, value))
        brand.full_clean(exclude=["owner"])
        brand.save()
    return brand


def _field(dark: bool) -> str:
    return "logo_dark" if dark else "logo"


def logo_set(*, owner, upload, dark: bool = False) -> Brand:
    """Check the upload, store its clean rendition, and make it the studio's logo (or
    its dark variant). A refused file leaves nothing stored (ValidationError on
    "logo", with the reason's code); the previous logo's file is deleted once the
    change has committed."""
    field = _field(dark)
    try:
        prepared = logo_imaging.prepare(upload, name=getattr(upload, "name", "") or "")
    except ImageRejected as refused:
        raise ValidationError(
            {"logo": ValidationError(refused.message, code=refused.code)}
        ) from refused
    digest = hashlib.blake2b(prepared.data, digest_size=8).hexdigest()
    kind = "logo-dark" if dark else "logo"
    name = default_storage.save(
        f"brand/{owner.pk}/{kind}-{digest}.png", ContentFile(prepared.data)
    )
    try:
        with transaction.atomic():
            brand = _locked(owner)
            previous = getattr(brand, field)
            setattr(brand, field, name)
            setattr(brand, f"{field}_width", prepared.width)
            setattr(brand, f"{field}_height", prepared.height)
            brand.save()
    except BaseException:
        delete_files([name])
        raise
    if previous and previous != name:
        transaction.on_commit(lambda: delete_files([previous]))
    return brand


def logo_remove(*, owner, dark: bool = False) -> Brand:
    field = _field(dark)
    with transaction.atomic():
        brand = _locked(owner)
        previous = getattr(brand, field)
        setattr(brand, field, "")
        setattr(brand, f"{field}_width", 0)
        setattr(brand, f"{field}_height", 0)
        brand.save()
    if previous:
        transaction.on_commit(lambda: delete_files([previous]))
    return brand


def owner_brand_delete(*, owner) -> None:
    """The brand's files, before the account goes (the row goes with it)."""
    brand = Brand.objects.filter(owner=owner).first()
    if brand is not None:
        names = [brand.logo, brand.logo_dark]
        transaction.on_commit(lambda: delete_files(names))
