"""What a photo's EXIF says: which way is up, when it was taken, with what.

Read defensively: EXIF is written by thousands of firmwares, and garbage in any field
only makes that field unknown (``None``), never stops an upload. Nothing read here is
ever written into a rendition (``rendering`` strips all metadata, GPS included).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from PIL import ExifTags, Image

from galleries.imaging.errors import EXIF_ERRORS

_T = TypeVar("_T")


def read_exif(image: Image.Image, png_exif: bytes | None = None) -> Image.Exif:
    """The file's EXIF, or an empty one: parsing errors are never the user's problem."""
    try:
        if png_exif is not None or image.format == "PNG":
            # Pillow's PNG getexif() decodes the whole image to look for a late eXIf
            # chunk; inspect() found it cheaply already (render() has loaded anyway).
            if png_exif is None and "exif" not in image.info:
                return Image.Exif()
            exif = Image.Exif()
            exif.load(png_exif if png_exif is not None else image.info["exif"])
            return exif
        return image.getexif()
    except EXIF_ERRORS:
        return Image.Exif()


def read_orientation(exif: Image.Exif) -> int:
    value = _safe(lambda: exif.get(ExifTags.Base.Orientation))
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def upright(image: Image.Image, orientation: int) -> Image.Image:
    """The image turned the way the camera was held (EXIF orientation 2-8)."""
    if orientation in _TRANSPOSE:
        return image.transpose(_TRANSPOSE[orientation])
    return image


def _safe(getter: Callable[[], _T]) -> _T | None:
    """Run one EXIF access; garbage in any field just makes that field unknown."""
    try:
        return getter()
    except EXIF_ERRORS:
        return None


def describe(exif: Image.Exif) -> dict[str, object]:
    details = _safe(lambda: exif.get_ifd(ExifTags.IFD.Exif)) or {}

    def tag(mapping: object, key: int) -> object:
        return _safe(lambda: mapping.get(key))  # type: ignore[attr-defined]

    return {
        "taken_at": _safe(lambda: _taken(exif, details, tag)),
        "camera": _safe(
            lambda: _camera(
                tag(exif, ExifTags.Base.Make), tag(exif, ExifTags.Base.Model)
            )
        ),
        "lens": _safe(lambda: _lens(tag(details, ExifTags.Base.LensModel))),
        "focal_length_mm": _positive(tag(details, ExifTags.Base.FocalLength)),
        "aperture": _positive(tag(details, ExifTags.Base.FNumber)),
        "exposure_time_s": _positive(tag(details, ExifTags.Base.ExposureTime)),
        "iso": _iso(tag(details, ExifTags.Base.ISOSpeedRatings)),
    }


def _taken(
    exif: Image.Exif, details: object, tag: Callable[[object, int], object]
) -> datetime | None:
    """When the photo was shot: DateTimeOriginal, else DateTimeDigitized, else DateTime.

    DateTime is when the file last changed; some cameras write only that one, and
    then it is when they shot. Each time comes with its own sub-seconds and offset;
    OffsetTime, DateTime's offset, also serves DateTimeOriginal or Digitized when
    they have none of their own but read the same as DateTime (the file was not
    edited since, so the same clock in the same zone wrote both).
    """
    base = ExifTags.Base
    changed = tag(exif, base.DateTime)
    changed_offset = tag(details, base.OffsetTime)
    candidates = (
        (base.DateTimeOriginal, base.SubsecTimeOriginal, base.OffsetTimeOriginal),
        (base.DateTimeDigitized, base.SubsecTimeDigitized, base.OffsetTimeDigitized),
    )
    for when, subsec, offset in candidates:
        value, own_offset = tag(details, when), tag(details, offset)
        if not _text(own_offset) and _text(value) and _text(value) == _text(changed):
            own_offset = changed_offset
        taken = _capture_time(value, tag(details, subsec), own_offset)
        if taken is not None:
            return taken
    return _capture_time(changed, tag(details, base.SubsecTime), changed_offset)


_DATE = re.compile(
    r"^(\d{4})[:/-](\d{2})[:/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?"
)
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def _capture_time(value: object, subsec: object, offset: object) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    if year < 1826:  # "0000:00:00 00:00:00" and friends; 1826 is the first photograph
        return None
    fraction = match.group(7) or (_text(subsec) or "")
    micro = int(fraction[:6].ljust(6, "0")) if fraction.isdigit() else 0
    try:
        taken = datetime(year, month, day, hour, minute, second, micro)
    except ValueError:
        return None
    offset_match = _OFFSET.match(_text(offset) or "")
    if offset_match:
        sign, hours, minutes = offset_match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta <= timedelta(hours=14):
            taken = taken.replace(tzinfo=timezone(-delta if sign == "-" else delta))
    return taken


_CORPORATE = re.compile(
    r"[\s,]+(corporation|corp\.?|company|co\.?|ltd\.?|limited|inc\.?|imaging|optical"
    r"|camera|ag|gmbh)$",
    re.IGNORECASE,
)


def _camera(make: object, model: object) -> str | None:
    """Make and model as people say them, the make once: "Canon EOS 40D", "Nikon D850".

    EXIF has e.g. Make "NIKON CORPORATION" and Model "NIKON D850"; corporate suffixes
    go, an all-caps brand is capitalised, and a model repeating the make keeps one.
    """
    make_text, model_text = _text(make), _text(model)
    if make_text:
        previous = None
        while previous != make_text:
            previous = make_text
            make_text = _CORPORATE.sub("", make_text).strip(" ,.")
        # Shouting brand names ("OLYMPUS") read better capitalised; acronyms stay.
        make_text = " ".join(
            word.capitalize() if word.isupper() and len(word) > 3 else word
            for word in make_text.split()
        )
    if not model_text:
        return make_text or None
    if not make_text:
        return model_text
    for candidate in (make_text, *make_text.split()):
        if model_text.casefold() == candidate.casefold():
            return candidate
        if model_text.casefold().startswith(candidate.casefold() + " "):
            return candidate + model_text[len(candidate) :]
    return f"{make_text} {model_text}"


_NO_LENS = re.compile(r"^[\s\-0.]*(mm)?\s*(f/?[\s0.]*)?$", re.IGNORECASE)


def _lens(value: object) -> str | None:
    text = _text(value)
    if not text or _NO_LENS.match(text):
        return None
    return text


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.replace("\x00", " ").split())
    return cleaned[:200] or None


def _positive(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except EXIF_ERRORS:
        return None
    return round(number, 6) if math.isfinite(number) and 0 < number < 1e6 else None


def _iso(value: object) -> int | None:
    if isinstance(value, tuple | list):
        value = value[0] if value else None
    return value if isinstance(value, int) and 0 < value < 10_000_000 else None
