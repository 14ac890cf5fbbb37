"""HEIC: teaching Pillow to read it (pillow-heif), and recognising one from its bytes.

Importing this module registers the opener with Pillow, once per process; the modules
of the package that open files import it, so ``Image.open`` knows HEIC before any use.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

import pillow_heif

from galleries.imaging.errors import damaged

# HEIC is what iPhones save by default. Embedded thumbnails are switched off so that
# Pillow's draft() can never hand us a low-quality preview instead of the photo, and
# depth/auxiliary images are not catalogued because we never use them. These options
# are process-wide in pillow-heif: registering again elsewhere overrides them.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
# One decoding thread: a worker process makes one photo's renditions at a time (the
# pool is the parallelism), and libde265's threads each keep a malloc arena: with
# the default of 4 a worker's memory grew by ~17 MB with every HEIC it decoded.
pillow_heif.options.DECODE_THREADS = 1

#: ISO-BMFF ``ftyp`` brands of HEVC-coded HEIF, i.e. HEIC (``image/heic``).
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}


def walk_isobmff(fp: BinaryIO, size: int) -> None:
    """HEIC is a chain of ISO-BMFF boxes; a cut file has a box running past the end."""
    offset = 0
    while offset < size:
        fp.seek(offset)
        header = fp.read(8)
        if len(header) < 8:
            raise damaged("the HEIC ends early")
        box_size, _kind = struct.unpack(">I4s", header)
        if box_size == 1:
            (box_size,) = struct.unpack(">Q", fp.read(8))
        elif box_size == 0:  # last box, extends to the end of the file
            return
        if box_size < 8 or offset + box_size > size:
            raise damaged("the HEIC ends early")
        offset += box_size


def heif_mime(fp: BinaryIO) -> str:
    fp.seek(8)
    return "image/heic" if fp.read(4) in HEIC_BRANDS else "image/heif"
