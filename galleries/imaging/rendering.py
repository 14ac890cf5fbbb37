"""Rendering, in the worker: ``render`` decodes a photo once and encodes its renditions.

Decoded once (at reduced scale for JPEG), resized to the largest box, each smaller size
derived from the next larger one: grid thumbnail, its 2x, the lightbox preview, a tiny
inline placeholder and an average colour. Renditions are upright (EXIF orientation
applied), in sRGB, and carry no metadata at all (no EXIF, GPS, XMP, ICC, comments).

Why the formats and encoder settings are what they are is measured and written down in
``docs/renditions.md``; the constants below repeat the figures that matter.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

import pillow_heif
import pyvips
from PIL import Image

from galleries.imaging.checks import (
    MIME_TYPES,
    PathOrFile,
    open_photo,
    pillow_limit,
    quiet,
)
from galleries.imaging.colour import (
    drop_opaque_alpha,
    flatten,
    needs_conversion,
    normalise_mode,
    to_srgb,
)
from galleries.imaging.errors import (
    DECODE_ERRORS,
    damaged,
    decode_error_detail,
)
from galleries.imaging.exif import read_exif, read_orientation, upright


@dataclass(frozen=True)
class RenditionSpec:
    """One size the gallery serves: fit inside ``box`` x ``box``, never upscale.

    ``formats`` are encoded in order; the first is the one browsers should prefer
    (list it first in ``<picture>``/``srcset``), later ones are fallbacks.

    ``min_box``, for the largest spec only: the rendition may come out as small as
    this when that makes it straight from a reduced-scale decode (JPEG DCT scaling by
    1/2, 1/4, 1/8) or an integer box reduction, with no resampling pass over the
    full-size pixels: a 4000x3000 photo gets a 2000 px preview decoded at half
    scale instead of a full decode resized to 2048 px. None: exactly ``box``.
    """

    name: str
    box: int
    formats: tuple[str, ...] = ("webp", "jpeg")
    min_box: int | None = None


#: Grid thumbnail, its 2x for dense screens, lightbox preview. The grid gets WebP
#: (-13..-15 % against JPEG at equal quality) with a JPEG fallback that costs ~5 ms;
#: the preview is JPEG only, because nothing smaller fits the time budget. Why, with
#: figures: the comment above _ENCODERS and docs/renditions.md.
DEFAULT_SPECS: tuple[RenditionSpec, ...] = (
    RenditionSpec("grid", 400, ("webp", "jpeg")),
    RenditionSpec("grid_2x", 800, ("webp", "jpeg")),
    RenditionSpec("preview", 2048, ("jpeg",), min_box=1920),
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
#: by 1/2, 1/4, 1/8) or, for formats without one, as an integer box reduction
#: (Image.reduce), so the resize to the preview is a reduction of less than 2x, and
#: none at all when the reduced image is within the preview's ``min_box`` (1920 px)
#: and ``box`` (2048 px): 12 MP phones and cameras (4000 or 4032 px, halved).
#: That last step (3000 -> 2048 px for 24 MP) is libvips' lanczos3 (pyvips): 28 ms
#: where Pillow's BICUBIC takes ~100 ms and its LANCZOS more, at a quality a little
#: above BICUBIC's; Pillow's cheaper BILINEAR and HAMMING visibly soften (-9 to -12
#: SSIMULACRA2 on a sharp photo). Images with alpha stay with Pillow's BICUBIC, which
#: premultiplies the alpha (rare: PNG, WebP). Smaller renditions are
#: made from the next larger one by libvips too (SSIMULACRA2 94 before encoding,
#: against 84 for Pillow's LANCZOS below). With alpha, LANCZOS; a reducing gap of 1.2 lets Pillow
#: box-halve 2048 -> 1024 before the final LANCZOS step to 800 (17 ms instead of
#: 36 ms, SSIMULACRA2 95-97 before encoding).
_PREVIEW_RESAMPLE = Image.Resampling.BICUBIC
_VIPS_MODES = {"L": 1, "RGB": 3, "CMYK": 4}
# Renditions are made one per process (the worker pool is the parallelism), and
# every image handed to libvips is new: no threads of its own, no operation cache
# (it would keep the decoded pixels alive).
pyvips.concurrency_set(1)
pyvips.cache_set_max(0)
_DERIVED_RESAMPLE = Image.Resampling.LANCZOS
_DERIVED_REDUCING_GAP = 1.2
#: JPEG's DCT scaling factors, as Pillow's draft() offers them.
_DRAFT_FACTORS = (8, 4, 2)

#: Placeholder: 20 px WebP at q50, ~150-250 bytes as a data URI (worst of the sample
#: photos 287 characters; 24 px would reach 399). The page shows it blurred by CSS,
#: so more pixels buy nothing. WebP because a tiny AVIF carries ~300 bytes of
#: container and a tiny JPEG ~600 bytes of tables.
_PLACEHOLDER_BOX = 20
_PLACEHOLDER_OPTIONS = {"quality": 50, "method": 6}


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def render(
    path_or_file: PathOrFile,
    *,
    specs: Sequence[RenditionSpec] = DEFAULT_SPECS,
    max_pixels: int | None = None,
) -> Renditions:
    """Make every rendition of one photo from a single (reduced-scale) decode.

    Pipeline, cheapest order first: decode JPEGs at the smallest DCT scale that still
    covers the largest box (or its ``min_box``: then that is the rendition); resize once to the largest box; convert to sRGB and apply
    the EXIF orientation on that small image (not on 24 MP); then derive each smaller
    size from the next larger one. Nothing from the source's metadata is copied into
    the output files.

    ``max_pixels`` repeats the upload limit when given (``inspect`` has normally been
    run already); Pillow's own decompression-bomb limit applies regardless.
    Raises :class:`ImageRejected` when the file cannot be decoded.
    """
    if not specs:
        raise ValueError("render() needs at least one RenditionSpec")
    largest = max(specs, key=lambda spec: spec.box)
    limit = max_pixels if max_pixels is not None else pillow_limit() or 2**63
    with open_photo(path_or_file, limit) as (image, fp, _size, fmt):
        width, height = image.size  # before draft() shrinks it
        target = _fit(image.size, largest.box)
        factor = _reduction(image.size, largest, draft=fmt == "jpeg")
        if fmt == "jpeg" and factor > 1:
            image.draft(image.mode, (width // factor, height // factor))
        if fmt == "heif" and image.mode in _VIPS_MODES:
            reduced = -(-max(image.size) // factor)  # as Image.reduce would
            preview_size = _fit(image.size, min(largest.box, reduced))
            try:
                base, pixels, icc_profile = _heif_preview(
                    fp, preview_size, image.info.get("icc_profile")
                )
            except DECODE_ERRORS as exc:
                raise damaged(decode_error_detail(exc, fmt)) from exc
            return _finish(base, (width, height), 1, icc_profile, specs, pixels)
        try:
            image.load()
        except DECODE_ERRORS as exc:
            raise damaged(decode_error_detail(exc, fmt)) from exc
        # Read after load(): for PNG the eXIf chunk may follow the pixel data.
        with quiet():
            orientation = read_orientation(read_exif(image)) if fmt != "heif" else 1
        icc_profile = image.info.get("icc_profile")
        pixels = None
        try:
            base = normalise_mode(image)
            if fmt != "jpeg" and factor > 1:
                base = base.reduce(factor)
            if max(base.size) > largest.box:
                base, pixels = _reduce_to(base, target)
        except DECODE_ERRORS as exc:
            raise damaged(decode_error_detail(exc, fmt)) from exc
    return _finish(base, (width, height), orientation, icc_profile, specs, pixels)


def renditions_of(
    image: Image.Image, specs: Sequence[RenditionSpec] = DEFAULT_SPECS
) -> tuple[Rendition, ...]:
    """Every size of ``specs`` from an image already upright, in sRGB and no larger
    than the largest box (a stored preview drawn on: galleries/imaging/watermark.py)."""
    return _finish(image, image.size, 1, None, specs).items


def _finish(
    base: Image.Image,
    photo_size: tuple[int, int],
    orientation: int,
    icc_profile: bytes | None,
    specs: Sequence[RenditionSpec],
    pixels: pyvips.Image | None = None,
) -> Renditions:
    """From the preview-sized pixels as stored: colour, upright, smaller sizes, files.

    ``pixels`` is the same base as libvips holds it, when it made it: the smaller
    sizes are reduced from there unless colour or orientation changed the base."""
    width, height = photo_size
    largest = max(specs, key=lambda spec: spec.box)
    stored = base
    base = upright(drop_opaque_alpha(to_srgb(base, icc_profile)), orientation)
    if base is not stored:
        pixels = None
    if orientation >= 5:
        width, height = height, width

    # Derive smaller sizes from the next larger one: each step is a small reduction.
    # The largest is the base as reduced (it may be under its box: ``min_box``).
    by_box: dict[int, Image.Image] = {largest.box: base}
    previous = base
    # Each size is reduced from the last one's pixels as libvips left them (Pillow's
    # copy is for encoding): no copy back into libvips per size.
    for box in sorted({spec.box for spec in specs} - {largest.box}, reverse=True):
        size = _fit((width, height), box)
        if size != previous.size and max(size) < max(previous.size):
            if previous.mode not in _VIPS_MODES:
                previous = _derive(previous, size)
            else:
                if pixels is None:
                    pixels = _as_vips(previous)
                previous, pixels = _vips_reduce(pixels, previous.mode, size)
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
# Pixels
# --------------------------------------------------------------------------------------


def _fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    """Fit inside box x box keeping the aspect ratio; never upscale."""
    width, height = size
    scale = min(box / width, box / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _reduction(size: tuple[int, int], spec: RenditionSpec, *, draft: bool) -> int:
    """The largest integer reduction that keeps the long side at least ``min_box``.

    With ``draft`` (JPEG) only the decoder's DCT factors count. Whatever is left
    above ``box`` after it is resampled; a result within ``min_box`` is final.
    """
    longest = max(size)
    if longest <= spec.box:
        return 1
    factor = longest // (spec.min_box or spec.box)
    if draft:
        factor = next((f for f in _DRAFT_FACTORS if f <= factor), 1)
    return max(1, factor)


def _heif_preview(
    fp: BinaryIO, size: tuple[int, int], icc_profile: bytes | None
) -> tuple[Image.Image, pyvips.Image, bytes | None]:
    """A HEIC decoded by libheif (pillow-heif), reduced by libvips from its buffer:
    the preview for Pillow, the same pixels in libvips, and the profile left to do.

    Pillow's own load() would copy the 12 MP decode into a second, 4-byte-per-pixel
    image (48 MB) only to reduce it: libvips reads libheif's buffer in place and
    reduces with lanczos3. pillow-heif applies the HEIF rotation and mirroring.
    A profile that needs converting (an iPhone's Display P3) is converted to sRGB
    there too, by LittleCMS as in colour.to_srgb (perceptual; ~40 ms against ~55 ms
    at 3 MP); the profile is returned when that is left to colour.to_srgb.
    """
    fp.seek(0)
    heif = pillow_heif.open_heif(fp, convert_hdr_to_8bit=True)
    bands = _VIPS_MODES[heif.mode]
    width, height = heif.size
    pixels = pyvips.Image.new_from_memory(
        heif.data, heif.stride // bands, height, bands, "uchar"
    )
    if heif.stride != width * bands:
        pixels = pixels.crop(0, 0, width, height)
    if (width, height) != size:
        pixels = pixels.resize(
            size[0] / width, vscale=size[1] / height, kernel="lanczos3"
        )
    if icc_profile and heif.mode == "RGB" and needs_conversion(icc_profile, "RGB"):
        try:
            pixels = pixels.copy(interpretation="srgb")
            pixels.set_type(pyvips.GValue.blob_type, "icc-profile-data", icc_profile)
            pixels = pixels.icc_transform(
                "srgb", embedded=True, intent="perceptual", depth=8
            )
            icc_profile = None
        except pyvips.Error:
            pass  # colour.to_srgb has the last word on odd profiles
    data = pixels.write_to_memory()
    kept = pyvips.Image.new_from_memory(data, size[0], size[1], bands, "uchar")
    return Image.frombytes(heif.mode, size, data), kept, icc_profile


def _reduce_to(
    image: Image.Image, size: tuple[int, int]
) -> tuple[Image.Image, pyvips.Image | None]:
    """The preview's one resampling pass, a reduction of less than 2x (see above):
    the preview, and its pixels in libvips when libvips made it."""
    if image.mode not in _VIPS_MODES:
        return _resize(image, size, _PREVIEW_RESAMPLE), None
    return _vips_reduce(_as_vips(image), image.mode, size)


def _derive(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """A smaller size from the next larger one (2048 -> 800, 800 -> 400), with
    alpha (libvips reduces the others, ``_vips_reduce``)."""
    return image.resize(size, _DERIVED_RESAMPLE, reducing_gap=_DERIVED_REDUCING_GAP)


def _as_vips(image: Image.Image) -> pyvips.Image:
    return pyvips.Image.new_from_memory(
        image.tobytes(), image.width, image.height, _VIPS_MODES[image.mode], "uchar"
    )


def _vips_reduce(
    pixels: pyvips.Image, mode: str, size: tuple[int, int]
) -> tuple[Image.Image, pyvips.Image]:
    """libvips' lanczos3 (its integer part box-shrunk first, as Pillow's gap does):
    the reduced image for Pillow, and the same pixels for libvips to go on from."""
    reduced = pixels.resize(
        size[0] / pixels.width, vscale=size[1] / pixels.height, kernel="lanczos3"
    )
    data = reduced.write_to_memory()
    image = Image.frombytes(mode, (reduced.width, reduced.height), data)
    kept = pyvips.Image.new_from_memory(
        data, reduced.width, reduced.height, reduced.bands, "uchar"
    )
    return image, kept


def _resize(
    image: Image.Image,
    size: tuple[int, int],
    resample: Image.Resampling,
    reducing_gap: float | None = None,
) -> Image.Image:
    if image.size == size:
        return image
    return image.resize(size, resample, reducing_gap=reducing_gap)


# --------------------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------------------


def _encode(name: str, image: Image.Image, fmt: str) -> Rendition:
    if fmt not in _ENCODERS:
        raise ValueError(f"unknown rendition format {fmt!r}")
    if fmt == "jpeg":
        image = flatten(image)
    small, large = _ENCODERS[fmt]
    options = small if image.width * image.height <= _LARGE_PIXELS else large
    return Rendition(
        name=name,
        format=fmt,
        mime_type=MIME_TYPES[fmt],
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
    pixel = flatten(image).convert("RGB").resize((1, 1), Image.Resampling.BOX)
    red, green, blue = pixel.getpixel((0, 0))  # type: ignore[misc]
    return f"#{red:02x}{green:02x}{blue:02x}"
