"""How the imaging tests find the sample photos and make and read images by hand.

The sample photos are part of the test suite: missing, they fail it, never skip it.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from galleries.imaging import (
    DEFAULT_MAX_PIXELS,
    Rendition,
)

PHOTOS = Path(__file__).resolve().parents[2] / "samples" / "photos"
LIMIT = DEFAULT_MAX_PIXELS


assert PHOTOS.is_dir(), f"the sample photos are not at {PHOTOS}"


def photo(relative: str) -> Path:
    return PHOTOS / relative


def decoded(rendition: Rendition) -> Image.Image:
    image = Image.open(io.BytesIO(rendition.data))
    image.load()
    return image


def encoded(image: Image.Image, fmt: str, **options: object) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    buffer.seek(0)
    return buffer


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_file(width: int, height: int, bit_depth: int, colour_type: int, raw: bytes):
    """A hand-made PNG: lets tests claim any size and use 16-bit colour."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(raw, 9))
        + png_chunk(b"IEND", b"")
    )


def difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference of two greyscale images, 0..255."""
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


def jpeg_segments(data: bytes) -> list[int]:
    """The marker bytes of every segment before the image data."""
    markers, offset = [], 2
    while offset < len(data):
        marker = data[offset + 1]
        if marker == 0xDA:  # start of scan: headers are over
            break
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        markers.append(marker)
        offset += 2 + length
    return markers


def webp_chunks(data: bytes) -> set[bytes]:
    """The RIFF chunk kinds in a WebP: VP8*/ALPH are pixels, EXIF/XMP/ICCP metadata."""
    kinds, offset = set(), 12
    while offset + 8 <= len(data):
        kinds.add(data[offset : offset + 4])
        (length,) = struct.unpack_from("<I", data, offset + 4)
        offset += 8 + length + (length & 1)
    return kinds
