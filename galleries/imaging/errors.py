"""How the imaging core says no: the reason a photographer reads, what decoders raise.

Every refusal is an :class:`ImageRejected`; the tuples below are what Pillow and its
codecs raise on bad bytes, caught wherever a file is opened, checked or decoded.
"""

from __future__ import annotations

import struct

# What Pillow, libjpeg, libtiff, libwebp and libheif raise when the bytes are wrong.
# Genuine I/O errors on *our* side (a missing path) are raised before these guards.
DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
    RuntimeError,
    ZeroDivisionError,
)
# EXIF is written by thousands of firmwares; any of these may come out of parsing it.
# Warning is there because Pillow warns about corrupt EXIF, which "-W error" raises.
EXIF_ERRORS = (*DECODE_ERRORS, AttributeError, OverflowError, UnicodeError, Warning)


class ImageRejected(Exception):
    """A file we will not accept, with a reason the photographer understands.

    ``message`` is plain language meant for the upload screen; ``code`` is a stable
    machine-readable reason (``empty``, ``unsupported``, ``raw``, ``too_large``,
    ``damaged``) for the API and for tests.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def not_a_photo() -> ImageRejected:
    return ImageRejected(
        "This file is not a photo we can read (JPEG, PNG, WebP, TIFF or HEIC).",
        code="unsupported",
    )


def damaged(detail: str) -> ImageRejected:
    return ImageRejected(
        f"This file is damaged or incomplete ({detail}). "
        "Try exporting or uploading it again.",
        code="damaged",
    )


def format_name(fmt: str) -> str:
    return {"heif": "HEIC", "webp": "WebP"}.get(fmt, fmt.upper())


def decode_error_detail(exc: BaseException, fmt: str) -> str:
    label = format_name(fmt)
    if "truncated" in str(exc).lower():
        return f"the {label} ends early"
    return f"the {label} data cannot be decoded"
