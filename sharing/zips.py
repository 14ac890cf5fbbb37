"""What a share link's ZIP holds, and the archive itself, built while it is sent.

- Entries are STORED, not deflated: photos are already compressed, so deflating would
  burn CPU to save nothing.
- Every entry's size comes from the database (an original's size is checked against
  the bucket when its upload completes; a rendition's is counted when it is written),
  so the archive's length is known before its first byte: the browser gets a
  Content-Length and shows progress and time left.
- Files are read a chunk at a time and only when their turn comes, so memory stays
  flat however large the gallery is, and nothing touches a temporary file.
- Names inside the archive are safe on Windows, macOS and Linux, and unique even
  where file systems ignore case.
"""

import logging
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from zipstream import ZIP_STORED, ZipStream

from galleries import filestore
from galleries.models import Photo

logger = logging.getLogger(__name__)

#: The rendition a "web size" download serves: 2048 px JPEG, which every device opens.
WEB_RENDITION = "preview.jpeg"
WEB_SUFFIX = ".jpg"

# Characters Windows refuses in a name (and the separators every system has).
_FORBIDDEN = str.maketrans(dict.fromkeys('/\\:*?"<>|', "_"))
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{n}" for n in range(1, 10)),
    *(f"LPT{n}" for n in range(1, 10)),
}
# Bytes of UTF-8 in one name: file systems allow 255; leave room for " (12)".
_MAX_NAME_BYTES = 150


class ArchiveBroken(Exception):
    """A stored file was missing or not the size recorded for it, mid-stream."""


@dataclass(frozen=True)
class Entry:
    path: str  # inside the archive, e.g. "Ceremony/IMG_0001.jpg"
    stored_name: str  # in storage
    size: int


def safe_filename(name: str, *, fallback: str) -> str:
    """One path component that unpacks safely anywhere: no separators, no control or
    invisible characters (a right-to-left override can disguise a name), no leading
    dot, none of Windows' forbidden characters or reserved names, not too long."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        " " if char.isspace() else char
        for char in name
        if char.isspace() or unicodedata.category(char)[0] != "C"
    )
    name = " ".join(name.translate(_FORBIDDEN).split()).strip(" .")
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    if len(name.encode()) > _MAX_NAME_BYTES:
        stem, suffix = _split(name)
        suffix = suffix[:16]
        room = _MAX_NAME_BYTES - len(suffix.encode())
        stem = stem.encode()[:room].decode("utf-8", "ignore").rstrip(" .")
        name = f"{stem}{suffix}"
    return name or fallback


def _split(name: str) -> tuple[str, str]:
    suffix = PurePosixPath(name).suffix
    return (name[: -len(suffix)], suffix) if suffix else (name, "")


def photo_filename(photo: Photo, *, original: bool) -> str:
    """What a downloaded photo is called: the name it was uploaded with; a web-size
    copy keeps that name's stem and ends in .jpg, so "IMG_0001" still finds it."""
    name = safe_filename(photo.original_filename, fallback="photo")
    if original:
        return name
    return f"{_split(name)[0] or 'photo'}{WEB_SUFFIX}"


def stored_file(photo: Photo, *, original: bool) -> tuple[str, int] | None:
    """The stored name and exact size of the file a download of this photo sends."""
    if original:
        return (photo.original.name, photo.size) if photo.original else None
    rendition = photo.renditions.get(WEB_RENDITION)
    return (rendition["name"], rendition["bytes"]) if rendition else None


def _unique(path: str, taken: set[str]) -> str:
    """The path, or "<stem> (2)<suffix>"... if taken, ignoring case as Windows and
    macOS do."""
    folder, slash, name = path.rpartition("/")
    stem, suffix = _split(name)
    candidate, number = path, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{folder}{slash}{stem} ({number}){suffix}"
    taken.add(candidate.casefold())
    return candidate


#: What `entries` reads of each photo: load only these for a gallery of thousands.
PHOTO_FIELDS = (
    "id",
    "original",
    "original_filename",
    "size",
    "renditions",
    "photo_set_id",
    "photo_set__name",
)


def entries(photos: Iterable[Photo], *, originals: bool) -> list[Entry]:
    """The archive's files, in the order given; one folder per set when the photos
    come from several sets (photos need `photo_set` loaded, see PHOTO_FIELDS)."""
    photos = list(photos)
    folders = len({photo.photo_set_id for photo in photos}) > 1
    folder_names: dict = {}
    taken_folders: set[str] = set()
    taken: set[str] = set()
    result = []
    for photo in photos:
        stored = stored_file(photo, original=originals)
        if stored is None:
            logger.warning("Photo %s has no file to put in a ZIP; left out", photo.pk)
            continue
        path = photo_filename(photo, original=originals)
        if folders:
            if photo.photo_set_id not in folder_names:
                folder_names[photo.photo_set_id] = _unique(
                    safe_filename(photo.photo_set.name, fallback="Set"), taken_folders
                )
            path = f"{folder_names[photo.photo_set_id]}/{path}"
        result.append(Entry(_unique(path, taken), *stored))
    return result


def archive_filename(title: str, *parts: str) -> str:
    """ "Anna & Ben.zip", "Anna & Ben - Ceremony.zip"..."""
    name = " - ".join(
        safe_filename(part, fallback="")
        for part in (title, *parts)
        if safe_filename(part, fallback="")
    )
    return f"{name or 'Photos'}.zip"


def archive(files: Iterable[Entry]) -> ZipStream:
    """The ZIP of these files, built as it is read; `len()` is its exact size."""
    stream = ZipStream(compress_type=ZIP_STORED, sized=True)
    for entry in files:
        stream.add(_contents(entry), entry.path, size=entry.size)
    return stream


def _contents(entry: Entry) -> Iterator[bytes]:
    """A stored file's bytes, refusing to send more or fewer than the archive promised.

    By now the response's status and length are sent, so a missing file cannot
    become an error page: the stream stops, the browser sees the download fail
    (short of its Content-Length) rather than a complete-looking, broken archive.
    """
    sent = 0
    try:
        for chunk in filestore.read_chunks(entry.stored_name):
            sent += len(chunk)
            if sent > entry.size:
                break
            yield chunk
    except FileNotFoundError:
        logger.error(
            "ZIP stopped: %s is missing from storage (%s)",
            entry.stored_name,
            entry.path,
        )
        raise ArchiveBroken(entry.path) from None
    if sent != entry.size:
        logger.error(
            "ZIP stopped: %s is not the %d bytes recorded (%s)",
            entry.stored_name,
            entry.size,
            entry.path,
        )
        raise ArchiveBroken(entry.path)
