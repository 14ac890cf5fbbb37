"""Checking what a file is, at upload time: ``inspect`` accepts or refuses it.

The type comes from the bytes, never the name; the pixel count from the header is held
against the limit before any pixel is decoded (a decompression bomb costs microseconds);
the file is proven complete; camera RAWs are told apart from the TIFFs they resemble.
``render`` opens files through :func:`open_photo` here, under the same rules.
"""

from __future__ import annotations

import math
import os
import re
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from PIL import Image, ImageFile

from galleries.imaging.errors import (
    DECODE_ERRORS,
    ImageRejected,
    damaged,
    decode_error_detail,
    format_name,
    not_a_photo,
)
from galleries.imaging.exif import describe, read_exif, read_orientation
from galleries.imaging.heif import HEIC_BRANDS, heif_mime, walk_isobmff

PathOrFile = str | os.PathLike[str] | BinaryIO

#: 120 megapixels: above every current camera (Fujifilm GFX100 is 102 MP) but far
#: below what would exhaust a worker: a 120 MP RGB decode is ~480 MB.
DEFAULT_MAX_PIXELS = 120_000_000

# What a photographer may upload, as Pillow names the formats it detects. MPO is how
# Pillow names a JPEG that carries extra pictures (many cameras and phones write them).
_PILLOW_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "HEIF")
_FORMATS = {
    "JPEG": "jpeg",
    "MPO": "jpeg",
    "PNG": "png",
    "WEBP": "webp",
    "TIFF": "tiff",
    "HEIF": "heif",
}
#: The MIME type of each format read or written (HEIC's depends on its brand).
MIME_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "tiff": "image/tiff",
    "avif": "image/avif",
}


@dataclass(frozen=True)
class PhotoInfo:
    """What the gallery needs to know about an upload, read without decoding it fully.

    ``width`` and ``height`` are as displayed, i.e. after EXIF orientation: a camera
    photo stored 2048x1536 with orientation 6 is 1536x2048 here.

    ``taken_at`` is the capture time from EXIF (DateTimeOriginal, else
    DateTimeDigitized, else DateTime). It is timezone-aware when the camera recorded
    its UTC offset (OffsetTimeOriginal, or OffsetTime for an unedited file; written
    by recent phones and cameras) and *naive* otherwise: a naive value is the
    camera's wall-clock time in an unknown zone and must not be treated as UTC or as
    server-local time. ``None`` when absent or unreadable.

    Every EXIF-derived field is ``None`` when missing or garbage: bad metadata never
    stops an upload.
    """

    format: str
    mime_type: str
    width: int
    height: int
    orientation: int = 1
    taken_at: datetime | None = None
    camera: str | None = None
    lens: str | None = None
    focal_length_mm: float | None = None
    aperture: float | None = None
    exposure_time_s: float | None = None
    iso: int | None = None

    @property
    def megapixels(self) -> float:
        return self.width * self.height / 1_000_000

    @property
    def shutter_speed(self) -> str | None:
        """Exposure time the way photographers write it: "1/250 s", "2 s"."""
        seconds = self.exposure_time_s
        if seconds is None:
            return None
        if seconds < 0.3:
            return f"1/{round(1 / seconds)} s"
        return f"{seconds:.1f}".removesuffix(".0") + " s"


def inspect(path_or_file: PathOrFile, *, max_pixels: int) -> PhotoInfo:
    """Accept or refuse an upload, and describe it.

    Order matters and is what makes this safe to run on hostile input at upload time:

    1. the type comes from the file's signature (a text file named ``.jpg`` is refused);
    2. the pixel count from the header is checked against ``max_pixels`` before any
       pixel is decoded, so a 50000x50000 "bomb" costs microseconds, not gigabytes;
    3. the file is proven complete: JPEG is decoded at 1/8 scale in greyscale (the only
       way to know that the entropy-coded data is whole, ~80 ms for 24 MP), other
       formats have their container structure walked (PNG chunks up to IEND, RIFF
       size for WebP, strip/tile extents for TIFF, ISO-BMFF boxes for HEIC);
    4. metadata is read defensively: unreadable EXIF gives ``None`` fields.

    A path is opened and closed here; a file object is read from the start and left
    open (its position is unspecified afterwards).
    """
    with open_photo(path_or_file, max_pixels) as (image, fp, size, fmt):
        width, height = image.size  # before _check_complete: draft() shrinks it
        png_exif = _check_complete(image, fp, size, fmt)
        with quiet():
            exif = read_exif(image, png_exif)
            orientation = read_orientation(exif) if fmt != "heif" else 1
            details = describe(exif)
        if orientation >= 5:
            width, height = height, width
        mime = MIME_TYPES.get(fmt) or heif_mime(fp)
        return PhotoInfo(
            format=fmt,
            mime_type=mime,
            width=width,
            height=height,
            orientation=orientation,
            **details,
        )


# --------------------------------------------------------------------------------------
# Opening and refusing
# --------------------------------------------------------------------------------------


@contextmanager
def open_photo(
    path_or_file: PathOrFile, max_pixels: int
) -> Iterator[tuple[ImageFile.ImageFile, BinaryIO, int, str]]:
    """Open by content and enforce the pixel limit before anything is decoded."""
    if isinstance(path_or_file, str | os.PathLike):
        # Our own I/O errors (missing file, permissions) are not the photographer's
        # fault: they propagate unchanged rather than as ImageRejected.
        with open(path_or_file, "rb") as fp, _open_file(fp, max_pixels) as opened:
            yield opened
    else:
        with _open_file(path_or_file, max_pixels) as opened:
            yield opened


@contextmanager
def _open_file(
    fp: BinaryIO, max_pixels: int
) -> Iterator[tuple[ImageFile.ImageFile, BinaryIO, int, str]]:
    size = fp.seek(0, os.SEEK_END)
    fp.seek(0)
    if size == 0:
        raise ImageRejected(
            "This file is empty (0 bytes); the upload may have been interrupted.",
            code="empty",
        )
    try:
        with quiet():
            image = Image.open(fp, formats=_PILLOW_FORMATS)
    except Image.DecompressionBombError as exc:
        raise _too_large(_pixels_from_message(str(exc)), max_pixels) from exc
    except DECODE_ERRORS as exc:
        # A file that starts like one of our formats but cannot be opened is a broken
        # photo, not a wrong file: say so, it changes what the photographer does next.
        fp.seek(0)
        sniffed = _sniff(fp.read(16))
        if sniffed:
            raise damaged(f"the {format_name(sniffed)} cannot be read") from exc
        raise not_a_photo() from exc
    with image:
        width, height = image.size
        if width * height > max_pixels:
            raise _too_large(width * height, max_pixels)
        if width < 1 or height < 1:
            raise damaged("it has no pixels")
        fmt = _FORMATS[image.format or ""]
        if fmt == "tiff" and _looks_like_raw(image, fp):
            raise ImageRejected(
                "This looks like a camera RAW file. Please upload a JPEG, TIFF or "
                "HEIC exported from your editor.",
                code="raw",
            )
        yield image, fp, size, fmt


@contextmanager
def quiet() -> Iterator[None]:
    """Silence the warnings Pillow gives about input files.

    Our own pixel check replaces Pillow's DecompressionBombWarning, which would fire
    (or, under ``-W error``, raise) for legitimate 90-120 MP medium-format photos; and
    corrupt EXIF or TIFF tags make Pillow warn on uploads nobody can fix. Note that
    ``catch_warnings`` is process-global before Python 3.14: the worst a thread race
    can do is leave these "ignore" filters installed.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        warnings.simplefilter("ignore", UserWarning)
        yield


def _sniff(prefix: bytes) -> str | None:
    """Which accepted format a file claims to be, from its first bytes."""
    if prefix.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if prefix.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if prefix[:4] == b"RIFF" and prefix[8:12] == b"WEBP":
        return "webp"
    if prefix[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if prefix[4:8] == b"ftyp" and (
        prefix[8:12] in HEIC_BRANDS or prefix[8:12] == b"mif1"
    ):
        return "heif"
    return None


def pillow_limit() -> int | None:
    limit = Image.MAX_IMAGE_PIXELS
    return 2 * limit if limit else None


def _too_large(pixels: int | None, max_pixels: int) -> ImageRejected:
    # Pillow refuses above twice its MAX_IMAGE_PIXELS whatever we allow.
    pillows = pillow_limit()
    limit = min(max_pixels, pillows) if pillows else max_pixels
    if pixels is None:
        return ImageRejected(
            f"This photo is too large; the limit is {_megapixels(limit)} megapixels.",
            code="too_large",
        )
    return ImageRejected(
        f"This photo is {_megapixels(pixels)} megapixels; "
        f"the limit is {_megapixels(limit)}.",
        code="too_large",
    )


def _megapixels(pixels: int) -> str:
    # Round up so that a photo just over the limit never reads as equal to it.
    value = math.ceil(pixels / 100_000) / 10
    return f"{value:,.1f}".removesuffix(".0")


def _pixels_from_message(message: str) -> int | None:
    match = re.search(r"\((\d+) pixels\)", message)
    return int(match.group(1)) if match else None


def _looks_like_raw(image: ImageFile.ImageFile, fp: BinaryIO) -> bool:
    """CR2, NEF, ARW, DNG... are TIFF containers; Pillow would show their thumbnail."""
    fp.seek(8)
    if fp.read(2) == b"CR":  # Canon CR2 signature right after the TIFF header
        return True
    tags = getattr(image, "tag_v2", {})
    if 50706 in tags:  # DNGVersion
        return True
    # Nikon/Sony/Pentax raws: the first IFD is a reduced-size preview with SubIFDs.
    subfile_type = tags.get(254, 0)
    return isinstance(subfile_type, int) and bool(subfile_type & 1) and 330 in tags


# --------------------------------------------------------------------------------------
# Completeness checks (inspect)
# --------------------------------------------------------------------------------------


def _check_complete(
    image: ImageFile.ImageFile, fp: BinaryIO, size: int, fmt: str
) -> bytes | None:
    """Prove the file is whole without a full decode. Returns a PNG's eXIf payload."""
    if fmt == "jpeg":
        # Greyscale at 1/8 scale: libjpeg still entropy-decodes every block (that is
        # how a missing tail is found) but skips colour conversion and most IDCT work.
        image.draft("L" if image.mode == "RGB" else image.mode, (1, 1))
        try:
            image.load()
        except DECODE_ERRORS as exc:
            raise damaged(decode_error_detail(exc, fmt)) from exc
        return None
    try:
        if fmt == "png":
            return _walk_png(fp, size)
        if fmt == "webp":
            _check_webp(fp, size)
        elif fmt == "tiff":
            _check_tiff(image, size)
        elif fmt == "heif":
            walk_isobmff(fp, size)
    except (struct.error, ValueError) as exc:
        raise damaged(f"the {format_name(fmt)} data is malformed") from exc
    return None


def _walk_png(fp: BinaryIO, size: int) -> bytes | None:
    """Follow the chunk chain to IEND; a cut file runs out before it."""
    exif = None
    offset = 8
    while True:
        fp.seek(offset)
        header = fp.read(8)
        if len(header) < 8:
            raise damaged("the PNG ends early")
        length, kind = struct.unpack(">I4s", header)
        end = offset + 8 + length + 4  # header, data, CRC
        if end > size:
            raise damaged("the PNG ends early")
        if kind == b"eXIf" and exif is None and length < 1_000_000:
            exif = fp.read(length)
        if kind == b"IEND":
            return exif
        offset = end


def _check_webp(fp: BinaryIO, size: int) -> None:
    fp.seek(4)
    (riff_size,) = struct.unpack("<I", fp.read(4))
    if riff_size + 8 > size:
        raise damaged("the WebP ends early")


def _check_tiff(image: ImageFile.ImageFile, size: int) -> None:
    tags = image.tag_v2  # type: ignore[attr-defined]
    offsets, counts = tags.get(273), tags.get(279)  # strips
    if offsets is None:
        offsets, counts = tags.get(324), tags.get(325)  # tiles
    if offsets is None or counts is None:
        raise ValueError("no image data")
    if isinstance(offsets, int):
        offsets = (offsets,)
    if isinstance(counts, int):
        counts = (counts,)
    if max(o + c for o, c in zip(offsets, counts, strict=False)) > size:
        raise damaged("the TIFF ends early")
