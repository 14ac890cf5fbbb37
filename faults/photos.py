"""Distinct small JPEGs made from the repository's sample photos.

Each file is a sample, scaled down, with a few pixels of its corner set from its
index, so that every file has its own content (the gallery stores one copy of a
photo; a duplicate would be skipped, not uploaded).
"""

from pathlib import Path

from PIL import Image, ImageOps

from faults.client import Sample
from faults.stack import ROOT

SOURCES = [
    "camera/DSCN0010.jpg",
    "camera/nikon-e950.jpg",
    "camera/jolla.jpg",
    "camera/canon_hdr_NO.jpg",
    "orientation/landscape_3.jpg",
    "orientation/portrait_6.jpg",
]


def make(folder: Path, prefix: str, count: int, run: str, long_edge: int = 1200):
    """`count` distinct photos named prefix-001.jpg..., unique to this run."""
    folder.mkdir(parents=True, exist_ok=True)
    bases = []
    for name in SOURCES:
        with Image.open(ROOT / "samples" / "photos" / name) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((long_edge, long_edge))
            bases.append(image.copy())
    seed = sum(run.encode())
    samples = []
    for index in range(count):
        image = bases[index % len(bases)].copy()
        # A 4x4 block in the corner whose colour says which file (and run) this is.
        colour = (index % 256, (index // 256 + seed) % 256, (seed * 7) % 256)
        for x in range(4):
            for y in range(4):
                image.putpixel((x, y), colour)
        path = folder / f"{prefix}-{index + 1:03d}.jpg"
        image.save(path, "JPEG", quality=88 - index % 5)
        samples.append(Sample.read(path))
    return samples
