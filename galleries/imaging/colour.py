"""Colour: any decoded mode to 8-bit, embedded ICC profiles to sRGB, and alpha.

Renditions carry no profile, which browsers read as sRGB, so the pixels must be sRGB:
a photo shot in Adobe RGB or Display P3 is converted here (LittleCMS, perceptual).
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageCms

#: Transparent areas become white in formats without alpha (JPEG) and in the average
#: colour of a photo.
_BACKGROUND = (255, 255, 255)


def normalise_mode(image: Image.Image) -> Image.Image:
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


_SRGB = ImageCms.createProfile("sRGB")


def to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
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


def needs_conversion(icc_profile: bytes, mode: str) -> bool:
    """A readable profile of these pixels' space that is not sRGB already."""
    return _transform_for(icc_profile, mode) is not None


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


def drop_opaque_alpha(image: Image.Image) -> Image.Image:
    """An alpha channel that is 255 everywhere only costs bytes."""
    if image.mode in ("LA", "RGBA") and image.getchannel("A").getextrema()[0] == 255:
        return image.convert(image.mode[:-1])
    return image


def flatten(image: Image.Image) -> Image.Image:
    if image.mode not in ("LA", "RGBA"):
        return image
    background = Image.new("RGB", image.size, _BACKGROUND)
    background.paste(image.convert("RGBA"), mask=image.getchannel("A"))
    return background.convert("L") if image.mode == "LA" else background
