"""Which renditions a share link hands out: the plain ones, or the studio watermark's.

A link with `watermark` on shows its visitors the watermarked renditions that
`galleries.watermarks` made in the background: the lightbox, the photo's page, the
cover and every web-size download (one photo or a ZIP) use them, and the grid's
thumbnails too when `watermark_thumbnails` is on (else the grid shows the plain
400 and 800 px thumbnails, which are not web-size files). The plain web-size file
(`preview.jpeg`) is never handed out by such a link: a photo whose watermarked
renditions are not made yet (or not of the current watermark) has no large picture
and no web-size download: it is "being prepared".

Originals are the photographer's own files: a link that allows original downloads
gives them as uploaded, without a watermark (a watermark is for proofs; a link that
delivers originals delivers the work itself). Decided here, and said on the link's
page: the web-size download of such a link still carries the watermark.

Every door calls these functions with the link and the photo (a model instance or a
row with the same attributes); nothing here reads the database.
"""

from __future__ import annotations

from galleries import pictures
from galleries.models import Photo
from galleries.queueing import current_version

GRID_NAMES = pictures.GRID  # ("grid", "grid_2x")


def version(link) -> str | None:
    """The watermark version this link shows, or None for a link without one. "" is
    a watermarked link whose studio has no watermark (yet): nothing is ready."""
    if not link.watermark:
        return None
    if not hasattr(link, "_watermark_version"):
        link._watermark_version = current_version(link.gallery.owner)
    return link._watermark_version


def mode(link) -> tuple:
    """What tells a link's tiles apart (their cache key): off, or the version and
    whether thumbnails carry it."""
    current = version(link)
    return () if current is None else (current, link.watermark_thumbnails)


def _marked(photo, current: str) -> dict:
    if not current or getattr(photo, "watermark_version", "") != current:
        return {}
    return getattr(photo, "watermarked", None) or {}


def _only(renditions: dict, names: tuple[str, ...]) -> dict:
    return {
        key: value
        for key, value in renditions.items()
        if key.partition(".")[0] in names
    }


def grid(link, photo) -> dict:
    """The renditions a grid tile (or a favourites list) shows."""
    current = version(link)
    if current is None:
        return photo.renditions
    if link.watermark_thumbnails:
        return _only(_marked(photo, current), GRID_NAMES)
    # Plain thumbnails, each signed for itself alone: a local URL signed for the
    # photo's folder would open its plain web-size file too, by guessing its name.
    return {
        key: {**value, "single": True}
        for key, value in _only(photo.renditions, GRID_NAMES).items()
    }


def large(link, photo) -> dict:
    """The renditions the lightbox, the photo's page and the cover show."""
    current = version(link)
    if current is None:
        return photo.renditions
    return _marked(photo, current)


def everything(link, photo) -> dict:
    """What the visitor API lists for a photo: the grid's, and the large ones."""
    current = version(link)
    if current is None:
        return photo.renditions
    return {**grid(link, photo), **_only(large(link, photo), ("preview",))}


def is_preparing(link, photo) -> bool:
    """A watermarked link's photo whose watermarked renditions are not made yet."""
    current = version(link)
    return current is not None and not _marked(photo, current)


def web_file(link, photo) -> dict | None:
    """The web-size rendition a download of this photo through the link sends."""
    return large(link, photo).get(Photo.WEB_RENDITION)


class Seen:
    """A photo as one link shows it: `renditions` replaced by what the link may show,
    for the `<picture>` builders (galleries/pictures.py); the rest is the photo's."""

    def __init__(self, photo, renditions: dict):
        self._photo = photo
        self.renditions = renditions

    def __getattr__(self, name):
        return getattr(self._photo, name)


def as_grid(link, photo):
    return photo if version(link) is None else Seen(photo, grid(link, photo))


def as_large(link, photo):
    return photo if version(link) is None else Seen(photo, large(link, photo))
