"""A studio's logo: checked like a photo, then redrawn as a small clean PNG.

The upload is held to the photo checks (`checks.inspect`: type from the bytes, the
pixel limit before decoding, the file proven whole), narrowed to PNG, JPEG and WebP,
then decoded, turned upright, converted to sRGB and fitted in `BOX`. What is stored is
that new PNG, with no metadata at all (no EXIF, no profile, no text chunks): never
the bytes that were uploaded.

SVG is refused. An SVG is a document that can carry scripts, external references
and CSS; we found no well-kept Python sanitiser for it, and a logo works as well as a
transparent PNG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from PIL import Image

from galleries.imaging import colour
from galleries.imaging.checks import inspect, open_photo, quiet
from galleries.imaging.errors import DECODE_ERRORS, ImageRejected, damaged
from galleries.imaging.exif import upright

#: Largest upload read: a logo is small; this leaves room for a print-size PNG.
MAX_BYTES = 10 * 1024 * 1024
#: Pixel limit held before decoding (a 8000 x 5000 export is 40 MP).
MAX_PIXELS = 40_000_000
#: What is stored fits in this box: sharp at 3x on a 330 x 130 px cover slot.
BOX = (1000, 400)
FORMATS = ("png", "jpeg", "webp")


@dataclass(frozen=True)
class Logo:
    data: bytes  # a PNG
    width: int
    height: int


def looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text


def prepare(fp: BinaryIO, *, name: str = "") -> Logo:
    """The logo to store, or ImageRejected with a reason the photographer can act on."""
    size = fp.seek(0, io.SEEK_END)
    fp.seek(0)
    head = fp.read(1024)
    fp.seek(0)
    if name.lower().endswith((".svg", ".svgz")) or looks_like_svg(head):
        raise ImageRejected(
            _(
                "SVG logos are not accepted (an SVG can carry scripts). Export your "
                "logo as a PNG with a transparent background instead."
            ),
            code="svg",
        )
    if size > MAX_BYTES:
        raise ImageRejected(
            _("This logo is larger than 10 MB. Export a smaller PNG, JPEG or WebP."),
            code="too_large",
        )
    info = inspect(fp, max_pixels=MAX_PIXELS)
    if info.format not in FORMATS:
        raise ImageRejected(
            _("A logo must be a PNG, JPEG or WebP file."), code="unsupported"
        )
    with open_photo(fp, MAX_PIXELS) as (image, _fp, _size, _fmt), quiet():
        try:
            image.load()
            icc = image.info.get("icc_profile")
            picture = colour.normalise_mode(image.copy())
        except DECODE_ERRORS as exc:
            raise damaged(_("it cannot be decoded")) from exc
    picture = upright(picture, info.orientation)
    picture = colour.drop_opaque_alpha(colour.to_srgb(picture, icc))
    picture.thumbnail(BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh image from pixels only: nothing of the upload's metadata comes along.
    Image.frombytes(picture.mode, picture.size, picture.tobytes()).save(
        out, "PNG", optimize=True
    )
    return Logo(data=out.getvalue(), width=picture.width, height=picture.height)
