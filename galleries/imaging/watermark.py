"""The studio watermark, in pixels: checking its image, and drawing it on a photo.

A watermark is a line of text or an image with transparency (PNG or WebP, held to the
logo's checks and stored redrawn, `galleries.imaging.logo`). It is drawn on the stored
preview (the largest rendition, already upright and in sRGB), `size` % of the photo's
width, at a corner, the centre, or tiled across it, at `opacity` %; the smaller sizes
are then derived from that drawn preview as a photo's own are (`rendering`), so the
watermark looks the same at every size.

Text is set in Pillow's own scalable font (`ImageFont.load_default`, Aileron, SIL
OFL): no font file to find on the machine, the same letters on every worker. It is
white with a dark outline, so it reads on light and dark photos alike.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from galleries.imaging import logo, rendering
from galleries.imaging.checks import inspect
from galleries.imaging.errors import ImageRejected

FORMATS = ("png", "webp")
#: Space between a corner's watermark and the photo's edges: of the shorter side.
MARGIN = 0.03
#: A watermark is never taller than this share of the photo.
MAX_HEIGHT = 0.9
#: Text is drawn this many pixels high, then scaled to its width on the photo.
TEXT_PIXELS = 160


@dataclass(frozen=True)
class Spec:
    """What to draw: `text`, or `image` (PNG bytes with alpha), where and how."""

    text: str = ""
    image: bytes = b""
    position: str = "bottom-right"
    size: int = 25  # % of the photo's width
    opacity: int = 50  # %


def prepare(fp: BinaryIO, *, name: str = "") -> logo.Logo:
    """The watermark image to store (a clean PNG), or ImageRejected with why."""
    fp.seek(0)
    head = fp.read(1024)
    fp.seek(0)
    if not logo.looks_like_svg(head) and not name.lower().endswith((".svg", ".svgz")):
        if inspect(fp, max_pixels=logo.MAX_PIXELS).format not in FORMATS:
            raise ImageRejected(
                _(
                    "A watermark image must be a PNG or WebP, ideally with a "
                    "transparent background."
                ),
                code="unsupported",
            )
        fp.seek(0)
    return logo.prepare(fp, name=name)


def _text_mark(text: str) -> Image.Image:
    font = ImageFont.load_default(size=TEXT_PIXELS)
    stroke = max(TEXT_PIXELS // 16, 2)
    left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
    size, origin = (right - left, bottom - top), (-left, -top)
    # Two masks: the letters, and the letters with their outline.
    letters, outlined = Image.new("L", size), Image.new("L", size)
    ImageDraw.Draw(letters).text(origin, text, font=font, fill=255)
    ImageDraw.Draw(outlined).text(
        origin, text, font=font, fill=255, stroke_width=stroke, stroke_fill=255
    )
    mark = Image.new("RGBA", size, (0, 0, 0, 0))
    mark.paste((0, 0, 0, 150), (0, 0), outlined)
    mark.paste((255, 255, 255, 255), (0, 0), letters)
    return mark


def _mark(spec: Spec) -> Image.Image:
    if spec.image:
        with Image.open(io.BytesIO(spec.image)) as image:
            return image.convert("RGBA")
    return _text_mark(spec.text)


def _fitted(mark: Image.Image, photo: tuple[int, int], spec: Spec) -> Image.Image:
    width = max(round(photo[0] * spec.size / 100), 1)
    height = max(round(mark.height * width / mark.width), 1)
    if height > photo[1] * MAX_HEIGHT:
        height = max(round(photo[1] * MAX_HEIGHT), 1)
        width = max(round(mark.width * height / mark.height), 1)
    mark = mark.resize((width, height), Image.Resampling.LANCZOS)
    alpha = mark.getchannel("A").point(lambda value: value * spec.opacity // 100)
    mark.putalpha(alpha)
    return mark


def _places(mark: Image.Image, photo: tuple[int, int], position: str):
    (width, height), (mw, mh) = photo, mark.size
    margin = round(min(width, height) * MARGIN)
    if position == "tiled":
        step_x, step_y = max(round(mw * 1.5), 1), max(round(mh * 2.5), 1)
        for row, y in enumerate(range(-mh // 2, height, step_y)):
            shift = (step_x // 2) * (row % 2)
            for x in range(-mw // 2 - shift, width, step_x):
                yield x, y
        return
    x = {
        "left": margin,
        "right": width - mw - margin,
    }.get(position.rpartition("-")[2], (width - mw) // 2)
    y = {
        "top": margin,
        "bottom": height - mh - margin,
    }.get(position.partition("-")[0], (height - mh) // 2)
    yield x, y


def stamp(drawn: Image.Image, spec: Spec) -> Image.Image:
    """Draw the watermark on the photo (in place: render's own decoded copy)."""
    mark = _fitted(_mark(spec), drawn.size, spec)
    if drawn.mode == "RGB":
        # Pasting through the mark's alpha blends it over the photo ("over" on an
        # opaque photo), touching only the pixels it covers: no RGBA copy of the
        # whole preview, no full-frame composite.
        colour, alpha = mark.convert("RGB"), mark.getchannel("A")
        for place in _places(mark, drawn.size, spec.position):
            drawn.paste(colour, place, alpha)
        return drawn
    for x, y in _places(mark, drawn.size, spec.position):
        # Over a transparent photo: composited, cut where it runs off the photo.
        left, top = max(-x, 0), max(-y, 0)
        right = min(mark.width, drawn.width - x)
        bottom = min(mark.height, drawn.height - y)
        if right > left and bottom > top:
            drawn.alpha_composite(
                mark, dest=(x + left, y + top), source=(left, top, right, bottom)
            )
    return drawn


def render(preview: BinaryIO, spec: Spec) -> tuple[rendering.Rendition, ...]:
    """The watermarked renditions (every size and format a photo has) of a photo,
    from its stored preview."""
    with Image.open(preview) as image:
        image.load()
        picture = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        # (a stored preview is a JPEG: RGB, already upright and in sRGB)
    return rendering.renditions_of(stamp(picture, spec))
