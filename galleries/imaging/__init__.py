"""The imaging core of the photo pipeline: read an upload, make its renditions.

This package deliberately imports nothing from Django, so the rules it enforces can be
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

Where each part lives:

``checks``     what a file is: type from its bytes, pixel limits, RAW, completeness;
               ``inspect`` and :class:`PhotoInfo`
``exif``       what its EXIF says: orientation, capture time, camera, lens, exposure
``heif``       HEIC: pillow-heif's opener (registered on import) and the box walk
``colour``     decoded modes to 8-bit, ICC profiles to sRGB, alpha
``rendering``  ``render``, the rendition specs, encoder settings, placeholder
``errors``     :class:`ImageRejected` and what decoders raise on bad bytes

Callers import from here (``from galleries import imaging``), not from the modules.
"""

from galleries.imaging.checks import DEFAULT_MAX_PIXELS, PhotoInfo, inspect
from galleries.imaging.errors import ImageRejected
from galleries.imaging.rendering import (
    DEFAULT_SPECS,
    Rendition,
    Renditions,
    RenditionSpec,
    render,
)

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
