"""The imaging core of the photo pipeline: read an upload, make its renditions.

Callers import from here (``from galleries import imaging``); the modules of the
package are where each part lives.
"""

from galleries.imaging.errors import ImageRejected
from galleries.imaging.rendering import (
    DEFAULT_MAX_PIXELS,
    DEFAULT_SPECS,
    PhotoInfo,
    Rendition,
    Renditions,
    RenditionSpec,
    inspect,
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
