"""The imaging core of the photo pipeline: read an upload, make its renditions.

This module deliberately imports nothing from Django, so the rules it enforces can be
unit-tested and benchmarked on their own (``benchmarks/renditions.py``).

Two entry points:

``inspect(file, max_pixels=...)``
    Runs at upload time. Decides from the bytes (never the file name) whether the file
    is a photo we can handle, refuses oversized images from the header alone, proves
    that the file is complete, and reads what the gallery shows about the photo (size as
    displayed, capture time, camera, lens, exposure). Everything it refuses is an
    :class:`ImageRejected` whose ``message`` can be shown to the photographer as is.

``render(file, specs=...)``
    Runs in the worker. Decodes once (at reduced scale for JPEG) and produces every
    rendition the gallery serves: grid thumbnail, its 2x, the lightbox preview, a tiny
    inline placeholder and an average colour. Renditions are upright (EXIF orientation
    applied), in sRGB, and carry no metadata at all (no EXIF, GPS, XMP, ICC, comments).

Why the formats and encoder settings are what they are is measured and written down in
``docs/renditions.md``; the constants below repeat the figures that matter.
"""

from __future__ import annotations

import base64
import io
import math
import os
import re
import struct
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import BinaryIO

from PIL import Image, ImageCms, ImageFile

from galleries.imaging.errors import (
    DECODE_ERRORS,
    ImageRejected,
    damaged,
    decode_error_detail,
    format_name,
    not_a_photo,
)
from galleries.imaging.exif import describe, read_exif, read_orientation, upright
from galleries.imaging.heif import HEIC_BRANDS, heif_mime, walk_isobmff

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "DEFAULT_SPECS",
    "ImageRejected",
    "PhotoInfo",
    "Rendition",
    "RenditionSpec",
    "Renditions",
    "inspect",
    "render",
]


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
_MIME_TYPES = {
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


@dataclass(frozen=True)
class RenditionSpec:
    """One size the gallery serves: fit inside ``box`` x ``box``, never upscale.

    ``formats`` are encoded in order; the first is the one browsers should prefer
    (list it first in ``<picture>``/``srcset``), later ones are fallbacks.
    """

    name: str
    box: int
    formats: tuple[str, ...] = ("webp", "jpeg")


#: Grid thumbnail, its 2x for dense screens, lightbox preview. The grid gets WebP
#: (-13..-15 % against JPEG at equal quality) with a JPEG fallback that costs ~5 ms;
#: the preview is JPEG only, because nothing smaller fits the time budget. Why, with
#: figures: the comment above _ENCODERS and docs/renditions.md.
DEFAULT_SPECS: tuple[RenditionSpec, ...] = (
    RenditionSpec("grid", 400, ("webp", "jpeg")),
    RenditionSpec("grid_2x", 800, ("webp", "jpeg")),
    RenditionSpec("preview", 2048, ("jpeg",)),
)


@dataclass(frozen=True)
class Rendition:
    """One encoded file, ready to store and serve as is."""

    name: str
    format: str
    mime_type: str
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class Renditions:
    """Everything ``render`` makes from one photo.

    ``placeholder`` is a ``data:`` URI of a 20 px WebP (~150-300 bytes) to inline
    in the page and show blurred while the grid loads; ``color`` is the photo's average
    colour as ``#rrggbb`` for the grid cell background before anything arrives.
    ``width``/``height`` are the original photo's size as displayed (after EXIF
    orientation), not a rendition's.
    """

    items: tuple[Rendition, ...]
    placeholder: str
    color: str
    width: int
    height: int

    def get(self, name: str, fmt: str) -> Rendition:
        """The rendition of spec ``name`` in format ``fmt`` ("webp", "jpeg"...)."""
        for item in self.items:
            if item.name == name and item.format == fmt:
                return item
        raise KeyError((name, fmt))

    def named(self, name: str) -> tuple[Rendition, ...]:
        """The renditions of one spec, preferred format first."""
        return tuple(item for item in self.items if item.name == name)


# --------------------------------------------------------------------------------------
# Encoder settings (measured; figures in docs/renditions.md)
# --------------------------------------------------------------------------------------

#: Encoder settings, measured (docs/renditions.md; `benchmarks/renditions.py
#: --compare-formats`). Each format is tuned to the same perceived quality, a median
#: SSIMULACRA2 of ~80 ("very high": no difference visible at normal viewing distance),
#: then the smaller file at an affordable encode time wins. Bytes against
#: libjpeg-turbo at equal SSIMULACRA2 (median of 6 photos), and encode time:
#:
#:                     400 px   800 px   2048 px   ms per megapixel, one core
#:   WebP method 4      -15 %    -13 %     -7 %     94-120
#:   WebP method 0       -6 %     +1 %    +10 %     27-42
#:   AVIF speed 10      -20 %    -19 %    -18 %     78-134
#:   JPEG progressive    -5 %     -4 %     -3 %     18-23 (baseline JPEG: 7-10)
#:
#: - Grid (400, 800): WebP method 4 + JPEG fallback (~5 ms). AVIF would save another
#:   ~5 % at the same encode cost, but browsers decode it 30 % slower than WebP
#:   (12.4 vs 9.5 ms for 800 px here), which a phone scrolling a hundred thumbnails
#:   pays, and it needs Safari 16.4 where WebP needs Safari 14: a wash, so the more
#:   compatible one. A spec may still ask for "avif".
#: - Preview (2048): JPEG only. WebP's fast methods are *bigger* than JPEG here;
#:   WebP method 4 (-7 %) and AVIF (-18 %) take ~250 ms and ~200-400 ms for 2.8 MP,
#:   the whole 300 ms budget of a 24 MP photo. Baseline: progressive's -3 % is not
#:   worth +30 ms, nor Huffman optimisation's -1 % worth +9 ms.
#: - JPEG needs a higher setting at small sizes for the same score (q85 at 400-800 px
#:   scores like q77 at 2048 px), hence settings for grid sizes and for large ones.
#:   The preview gets q80: BICUBIC (below) costs it ~1 point against LANCZOS.
_LARGE_PIXELS = 1_000_000
_ENCODERS: dict[str, tuple[dict[str, object], dict[str, object]]] = {
    # format: (options up to _LARGE_PIXELS, options above)
    "jpeg": ({"quality": 85, "optimize": True}, {"quality": 80}),
    "webp": ({"quality": 85, "method": 4},) * 2,
    "avif": ({"quality": 72, "speed": 9, "max_threads": 1},) * 2,
}

#: Resampling. Large reductions happen in the JPEG decoder (draft mode: DCT scaling
#: by 1/2, 1/4, 1/8), so the resize to the preview is a reduction of less than 2x.
#: There LANCZOS beats BICUBIC by ~1.5 SSIMULACRA2 on sharp photos but costs 107 ms
#: against 80 ms at 24 MP, and only BICUBIC leaves room for the AVIF grid in the
#: budget; BILINEAR (48 ms) visibly softens (-8 SSIMULACRA2). Smaller renditions are
#: made from the next larger one with LANCZOS; a reducing gap of 1.2 lets Pillow
#: box-halve 2048 -> 1024 before the final LANCZOS step to 800 (17 ms instead of
#: 36 ms, SSIMULACRA2 95-97 before encoding).
_PREVIEW_RESAMPLE = Image.Resampling.BICUBIC
_DERIVED_RESAMPLE = Image.Resampling.LANCZOS
_DERIVED_REDUCING_GAP = 1.2
#: Formats without draft mode (PNG, TIFF, WebP, HEIC) decode at full size: let Pillow
#: box-reduce by an integer factor first, then resample the last 3x or less.
_REDUCING_GAP = 3.0

#: Placeholder: 20 px WebP at q50, ~150-250 bytes as a data URI (worst of the sample
#: photos 287 characters; 24 px would reach 399). The page shows it blurred by CSS,
#: so more pixels buy nothing. WebP because a tiny AVIF carries ~300 bytes of
#: container and a tiny JPEG ~600 bytes of tables.
_PLACEHOLDER_BOX = 20
_PLACEHOLDER_OPTIONS = {"quality": 50, "method": 6}

#: Transparent areas become white in formats without alpha (JPEG) and in the colour.
_BACKGROUND = (255, 255, 255)


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


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
    with _open(path_or_file, max_pixels) as (image, fp, size, fmt):
        width, height = image.size  # before _check_complete: draft() shrinks it
        png_exif = _check_complete(image, fp, size, fmt)
        with _quiet():
            exif = read_exif(image, png_exif)
            orientation = read_orientation(exif) if fmt != "heif" else 1
            details = describe(exif)
        if orientation >= 5:
            width, height = height, width
        mime = _MIME_TYPES.get(fmt) or heif_mime(fp)
        return PhotoInfo(
            format=fmt,
            mime_type=mime,
            width=width,
            height=height,
            orientation=orientation,
            **details,
        )


def render(
    path_or_file: PathOrFile,
    *,
    specs: Sequence[RenditionSpec] = DEFAULT_SPECS,
    max_pixels: int | None = None,
) -> Renditions:
    """Make every rendition of one photo from a single (reduced-scale) decode.

    Pipeline, cheapest order first: decode JPEGs at the smallest DCT scale that still
    covers the largest box; resize once to the largest box; convert to sRGB and apply
    the EXIF orientation on that small image (not on 24 MP); then derive each smaller
    size from the next larger one. Nothing from the source's metadata is copied into
    the output files.

    ``max_pixels`` repeats the upload limit when given (``inspect`` has normally been
    run already); Pillow's own decompression-bomb limit applies regardless.
    Raises :class:`ImageRejected` when the file cannot be decoded.
    """
    if not specs:
        raise ValueError("render() needs at least one RenditionSpec")
    largest = max(spec.box for spec in specs)
    limit = max_pixels if max_pixels is not None else _pillow_limit() or 2**63
    with _open(path_or_file, limit) as (image, _fp, _size, fmt):
        width, height = image.size  # before draft() shrinks it
        target = _fit(image.size, largest)
        if fmt == "jpeg":
            image.draft(image.mode, target)
        try:
            image.load()
        except DECODE_ERRORS as exc:
            raise damaged(decode_error_detail(exc, fmt)) from exc
        # Read after load(): for PNG the eXIf chunk may follow the pixel data.
        with _quiet():
            orientation = read_orientation(read_exif(image)) if fmt != "heif" else 1
        icc_profile = image.info.get("icc_profile")
        try:
            base = _normalise_mode(image)
            base = _resize(base, target, _PREVIEW_RESAMPLE, _REDUCING_GAP)
        except DECODE_ERRORS as exc:
            raise damaged(decode_error_detail(exc, fmt)) from exc

    base = _to_srgb(base, icc_profile)
    base = _drop_opaque_alpha(base)
    base = upright(base, orientation)
    if orientation >= 5:
        width, height = height, width

    # Derive smaller sizes from the next larger one: each step is a small reduction.
    by_box: dict[int, Image.Image] = {}
    previous = base
    for box in sorted({spec.box for spec in specs}, reverse=True):
        size = _fit((width, height), box)
        if size != previous.size:
            previous = previous.resize(
                size, _DERIVED_RESAMPLE, reducing_gap=_DERIVED_REDUCING_GAP
            )
        by_box[box] = previous

    items = tuple(
        _encode(spec.name, by_box[spec.box], fmt_name)
        for spec in specs
        for fmt_name in spec.formats
    )
    smallest = by_box[min(by_box)]
    return Renditions(
        items=items,
        placeholder=_placeholder(smallest),
        color=_average_colour(smallest),
        width=width,
        height=height,
    )


# --------------------------------------------------------------------------------------
# Opening and refusing
# --------------------------------------------------------------------------------------


@contextmanager
def _open(
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
        with _quiet():
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
def _quiet() -> Iterator[None]:
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


def _pillow_limit() -> int | None:
    limit = Image.MAX_IMAGE_PIXELS
    return 2 * limit if limit else None


def _too_large(pixels: int | None, max_pixels: int) -> ImageRejected:
    # Pillow refuses above twice its MAX_IMAGE_PIXELS whatever we allow.
    pillow_limit = _pillow_limit()
    limit = min(max_pixels, pillow_limit) if pillow_limit else max_pixels
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


# --------------------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# Pixels
# --------------------------------------------------------------------------------------


def _fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    """Fit inside box x box keeping the aspect ratio; never upscale."""
    width, height = size
    scale = min(box / width, box / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _normalise_mode(image: Image.Image) -> Image.Image:
    """Bring any decoded mode to 8-bit L, LA, RGB, RGBA or CMYK (ICC comes later)."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    if mode == "1":
        return image.convert("L")
    if mode in ("P", "PA"):
        return image.convert("RGBA" if image.has_transparency_data else "RGB")
    if mode.startswith("I;16"):
        # 16-bit greyscale: scale 0..65535 to 0..255 (a plain convert would clip).
        return image.convert("I").point(lambda v: v / 257).convert("L")
    if mode == "I":
        if image.getextrema()[1] > 255:
            image = image.point(lambda v: v / 257)
        return image.convert("L")
    if mode == "F":
        if image.getextrema()[1] <= 1.0:
            image = image.point(lambda v: v * 255)
        return image.convert("L")
    if mode == "LAB":
        transform = ImageCms.buildTransform(
            ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"), "LAB", "RGB"
        )
        return ImageCms.applyTransform(image, transform)
    if mode in ("La", "RGBa"):
        return image.convert(mode.upper())
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _resize(
    image: Image.Image,
    size: tuple[int, int],
    resample: Image.Resampling,
    reducing_gap: float | None = None,
) -> Image.Image:
    if image.size == size:
        return image
    return image.resize(size, resample, reducing_gap=reducing_gap)


_SRGB = ImageCms.createProfile("sRGB")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert embedded colour profiles to sRGB; untagged images are taken as sRGB.

    Renditions carry no profile at all, which browsers read as sRGB. A broken or
    mismatched profile is ignored rather than failing the photo.
    """
    alpha = image.getchannel("A") if image.mode in ("LA", "RGBA") else None
    colour = image.convert(image.mode[:-1]) if alpha is not None else image
    transform = _transform_for(icc_profile, colour.mode) if icc_profile else None
    if transform is not None:
        try:
            colour = ImageCms.applyTransform(colour, transform)
        except (ImageCms.PyCMSError, ValueError, OSError):
            transform = None
    if transform is None and colour.mode == "CMYK":
        colour = colour.convert("RGB")
    if alpha is None:
        return colour
    if colour.mode == "L":
        return Image.merge("LA", (colour, alpha))
    return Image.merge("RGBA", (*colour.split(), alpha))


_PROFILE_SPACES = {"RGB": "RGB ", "L": "GRAY", "CMYK": "CMYK"}


@lru_cache(maxsize=32)
def _transform_for(icc_profile: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    """The transform to sRGB, built once per profile; None when none is needed."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        space = profile.profile.xcolor_space
        description = (profile.profile.profile_description or "").strip()
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    if _PROFILE_SPACES.get(mode) != space:
        return None  # a profile that does not describe these pixels
    if mode == "RGB" and description.lower().startswith("srgb"):
        return None  # already sRGB: save the work
    try:
        # NOCACHE: the transform is shared by threads, and measured no slower.
        # ~19 ns per pixel: ~55 ms on a 2048 px preview, the one cost an Adobe RGB
        # or Display P3 photo adds to the budget.
        return ImageCms.buildTransform(
            profile,
            _SRGB,
            mode,
            "RGB",
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            flags=ImageCms.Flags.NOCACHE,
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _drop_opaque_alpha(image: Image.Image) -> Image.Image:
    """An alpha channel that is 255 everywhere only costs bytes."""
    if image.mode in ("LA", "RGBA") and image.getchannel("A").getextrema()[0] == 255:
        return image.convert(image.mode[:-1])
    return image


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode not in ("LA", "RGBA"):
        return image
    background = Image.new("RGB", image.size, _BACKGROUND)
    background.paste(image.convert("RGBA"), mask=image.getchannel("A"))
    return background.convert("L") if image.mode == "LA" else background


# --------------------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------------------


def _encode(name: str, image: Image.Image, fmt: str) -> Rendition:
    if fmt not in _ENCODERS:
        raise ValueError(f"unknown rendition format {fmt!r}")
    if fmt == "jpeg":
        image = _flatten(image)
    small, large = _ENCODERS[fmt]
    options = small if image.width * image.height <= _LARGE_PIXELS else large
    return Rendition(
        name=name,
        format=fmt,
        mime_type=_MIME_TYPES[fmt],
        width=image.width,
        height=image.height,
        data=_save(image, fmt, options),
    )


def _save(image: Image.Image, fmt: str, options: dict[str, object]) -> bytes:
    # Pillow copies info (EXIF, ICC, XMP, comments) through resize/transpose and some
    # encoders read it from there: strip it so no metadata can reach a rendition.
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, fmt.upper(), **options)
    return buffer.getvalue()


def _placeholder(image: Image.Image) -> str:
    tiny = image.resize(_fit(image.size, _PLACEHOLDER_BOX), Image.Resampling.BOX)
    data = _save(tiny, "webp", _PLACEHOLDER_OPTIONS)
    return "data:image/webp;base64," + base64.b64encode(data).decode("ascii")


def _average_colour(image: Image.Image) -> str:
    pixel = _flatten(image).convert("RGB").resize((1, 1), Image.Resampling.BOX)
    red, green, blue = pixel.getpixel((0, 0))  # type: ignore[misc]
    return f"#{red:02x}{green:02x}{blue:02x}"
