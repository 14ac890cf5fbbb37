"""What the visitor's pages add to a photo's `<picture>` (galleries/pictures.py): the
lightbox's sizes, and how wide a grid tile is drawn."""

from galleries import pictures


def lightbox_srcset(photo) -> str:
    """The large sizes in one format every browser reads, for the script's lightbox."""
    by_format = [
        found
        for fmt in reversed(pictures.FORMATS)
        if (found := pictures.candidates(photo.renditions, pictures.LARGE, fmt))
    ]
    return (
        pictures.srcset(max(by_format, key=lambda found: found[-1][1]))
        if by_format
        else ""
    )


def tile_sizes(ratio: float, row_scale: float = 1.0) -> str:
    """How wide a grid tile of this shape is drawn; mirrors `--row` in public.css
    (times `row_scale` for a denser or larger grid, see sharing/browsing.py).

    A tile is `ratio` x the row height wide, then grows a little to fill its row
    (rarely beyond a fifth). Not `sizes="auto"`: tiles out of sight are not laid out
    (content-visibility), and browsers take such a picture to be 300 px wide.
    """
    ratio *= row_scale
    phone = min(round(ratio * 28 * 1.2), 100)
    return (
        f"(max-width: 599px) {phone}vw, "
        f"calc({ratio * 12 * 1.25:.1f}vw + {round(ratio * 90 * 1.25)}px)"
    )
