"""The imaging core of the photo pipeline: read an upload, make its renditions.

Callers import from here (``from galleries import imaging``); the modules of the
package are where each part lives.
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
