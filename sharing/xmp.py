"""A client's picks as XMP sidecars, for the photographer's catalog.

Lightroom Classic (Metadata > Read Metadata from Files) and Capture One read a
sidecar `IMG_0001.xmp` beside `IMG_0001.CR3` (or the JPEG): what the photographer
chose to turn a pick into, and the client's note.

- a star rating: `xmp:Rating` 1-5;
- a colour label: `xmp:Label`, by the names Lightroom's default label set writes
  (Red, Yellow, Green, Blue, Purple; Capture One maps the same names to its colours);
- the pick flag: `xmpDM:good="True"`, XMP's "keeper" checkbox. Lightroom Classic
  keeps its Pick/Reject flags in the catalog only and never reads a flag from a
  sidecar, so this choice is for tools that read `xmpDM:good` (Bridge, Photo
  Mechanic); for Lightroom choose a rating or a label.

The note goes into `dc:description` (the caption Lightroom shows), as the XMP
language alternative "x-default". Sidecars are named after each original's file
name without its extension; two picks with the same stem (the same name in two sets)
get " (2)", " (3)"... in the order the list shows them.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree import ElementTree

NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmpDM": "http://ns.adobe.com/xmp/1.0/DynamicMedia/",
}
for _prefix, _uri in NAMESPACES.items():
    ElementTree.register_namespace(_prefix, _uri)

LABELS = ("Red", "Yellow", "Green", "Blue", "Purple")
# What a pick may become, by the name the page's menu and the API's `mapping` use.
MAPPINGS = {
    **{
        f"rating-{stars}": f"{stars} star{'s' if stars > 1 else ''}"
        for stars in range(1, 6)
    },
    **{f"label-{label.lower()}": f"{label} label" for label in LABELS},
    "pick": "Pick flag (xmpDM:good; not read by Lightroom)",
}
DEFAULT_MAPPING = "rating-5"


@dataclass(frozen=True)
class Pick:
    filename: str  # the original's, as uploaded
    note: str = ""


def _q(prefix: str, name: str) -> str:
    return f"{{{NAMESPACES[prefix]}}}{name}"


def sidecar(mapping: str, note: str = "") -> bytes:
    """One XMP packet: the pick as `mapping` (a key of MAPPINGS), and the note."""
    if mapping not in MAPPINGS:
        raise ValueError(f"unknown mapping {mapping!r}")
    meta = ElementTree.Element(_q("x", "xmpmeta"))
    rdf = ElementTree.SubElement(meta, _q("rdf", "RDF"))
    description = ElementTree.SubElement(
        rdf, _q("rdf", "Description"), {_q("rdf", "about"): ""}
    )
    kind, _, value = mapping.partition("-")
    if kind == "rating":
        description.set(_q("xmp", "Rating"), value)
    elif kind == "label":
        description.set(_q("xmp", "Label"), value.capitalize())
    else:
        description.set(_q("xmpDM", "good"), "True")
    if note.strip():
        caption = ElementTree.SubElement(description, _q("dc", "description"))
        alternatives = ElementTree.SubElement(caption, _q("rdf", "Alt"))
        item = ElementTree.SubElement(
            alternatives,
            _q("rdf", "li"),
            {"{http://www.w3.org/XML/1998/namespace}lang": "x-default"},
        )
        item.text = note.strip()
    body = ElementTree.tostring(meta, encoding="unicode")
    # The packet wrapper XMP readers look for (the id is the one the spec fixes).
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        f"{body}\n"
        '<?xpacket end="w"?>\n'
    ).encode()


def sidecar_names(filenames: Iterable[str]) -> list[str]:
    """`stem.xmp` for each file, numbered where two share a stem."""
    seen: dict[str, int] = {}
    names = []
    for filename in filenames:
        stem = os.path.splitext(os.path.basename(filename))[0] or "photo"
        count = seen.get(stem.casefold(), 0) + 1
        seen[stem.casefold()] = count
        names.append(f"{stem}.xmp" if count == 1 else f"{stem} ({count}).xmp")
    return names


def sidecars_zip(picks: Iterable[Pick], mapping: str) -> bytes:
    """A ZIP of one sidecar per pick, in the order given."""
    picks = list(picks)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, pick in zip(
            sidecar_names(p.filename for p in picks), picks, strict=True
        ):
            archive.writestr(name, sidecar(mapping, pick.note))
    return buffer.getvalue()
