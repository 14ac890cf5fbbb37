"""What a share link's ZIP holds, and the archive itself, any byte range of it.

- Entries are STORED, not deflated: photos are already compressed, so deflating would
  burn CPU to save nothing.
- The archive is laid out from the database alone (sharing/seekable_zip.py): every
  entry's size (an original's size is checked against the bucket when its upload
  completes; a rendition's is counted when it is written), its CRC-32 (counted when
  the photo is processed, or by `manage.py count_checksums`) and its time (when the
  photo was shot, else uploaded). So the archive's length is known before its first
  byte (the browser shows progress and time left), the same photos always make the
  same bytes, and any range of them can be sent on its own: a download that was cut
  resumes where it stopped (HTTP Range, sharing/views/downloads.py).
- Files are read a chunk at a time and only when their turn comes, and only the part
  a range covers (a seek on the disk, a ranged GET on S3), so memory stays flat
  however large the gallery is, and nothing touches a temporary file.
- Names inside the archive are safe on Windows, macOS and Linux, and unique even
  where file systems ignore case.
"""

import datetime
import hashlib
import logging
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from config.metrics import ZIP_BYTES
from galleries import filestore
from galleries import services as gallery_services
from galleries.models import Photo
from sharing import seekable_zip

logger = logging.getLogger(__name__)

#: The rendition a "web size" download serves: 2048 px JPEG, which every device opens.
WEB_RENDITION = Photo.WEB_RENDITION
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
    """A stored file was missing or not the file recorded for it, mid-stream."""


@dataclass(frozen=True)
class Entry:
    path: str  # inside the archive, e.g. "Ceremony/IMG_0001.jpg"
    stored_name: str  # in storage
    size: int
    crc32: int
    modified: datetime.datetime  # the time unpacking shows, a wall clock


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


def plain_web(photo: Photo) -> dict | None:
    """The photo's own web-size rendition (a watermarked link has its own:
    sharing/watermarked.py)."""
    return photo.renditions.get(WEB_RENDITION)


def stored_file(
    photo: Photo, *, original: bool, web: Callable = plain_web
) -> tuple[str, int] | None:
    """The stored name and exact size of the file a download of this photo sends;
    `web` picks its web-size rendition."""
    if original:
        return (photo.original.name, photo.size) if photo.original else None
    rendition = web(photo)
    return (rendition["name"], rendition["bytes"]) if rendition else None


def stored_checksum(
    photo: Photo, *, original: bool, web: Callable = plain_web
) -> int | None:
    """The CRC-32 of that file, if it has been counted."""
    if original:
        return photo.crc32
    return (web(photo) or {}).get("crc32")


def entry_time(photo: Photo) -> datetime.datetime:
    """When the photo was shot, as the camera's clock read (what a ZIP's times are:
    wall clocks), else when it was uploaded, in UTC; to the second."""
    moment = photo.taken_wall_clock or photo.uploaded_at.astimezone(datetime.UTC)
    return moment.replace(tzinfo=None, microsecond=0)


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
    "watermarked",
    "watermark_version",
    "photo_set_id",
    "photo_set__name",
    "crc32",
    "taken_at",
    "taken_offset",
    "uploaded_at",
)


def entries(
    photos: Iterable[Photo], *, originals: bool, web: Callable = plain_web
) -> list[Entry]:
    """The archive's files, in the order given; one folder per set when the photos
    come from several sets (photos need `photo_set` loaded, see PHOTO_FIELDS).

    A photo processed before checksums were counted has its file's CRC-32 counted
    now, and kept (reading the file through once; `manage.py count_checksums` does
    it ahead for every photo); one whose file cannot be read is left out.
    """
    photos = list(photos)
    lacking = [
        photo
        for photo in photos
        if stored_file(photo, original=originals, web=web)
        and stored_checksum(photo, original=originals, web=web) is None
    ]
    if lacking:
        gallery_services.photos_count_checksums(photos=lacking)
    folders = len({photo.photo_set_id for photo in photos}) > 1
    folder_names: dict = {}
    taken_folders: set[str] = set()
    taken: set[str] = set()
    result = []
    for photo in photos:
        stored = stored_file(photo, original=originals, web=web)
        crc32 = stored_checksum(photo, original=originals, web=web)
        if stored is None or crc32 is None:
            logger.warning("Photo %s has no file to put in a ZIP; left out", photo.pk)
            continue
        path = photo_filename(photo, original=originals)
        if folders:
            if photo.photo_set_id not in folder_names:
                folder_names[photo.photo_set_id] = _unique(
                    safe_filename(photo.photo_set.name, fallback="Set"), taken_folders
                )
            path = f"{folder_names[photo.photo_set_id]}/{path}"
        result.append(Entry(_unique(path, taken), *stored, crc32, entry_time(photo)))
    return result


def archive_filename(title: str, *parts: str) -> str:
    """ "Anna & Ben.zip", "Anna & Ben - Ceremony.zip"..."""
    name = " - ".join(
        safe_filename(part, fallback="")
        for part in (title, *parts)
        if safe_filename(part, fallback="")
    )
    return f"{name or 'Photos'}.zip"


class Archive:
    """The ZIP of some entries: `size` bytes, named by `etag`, sent by `chunks`."""

    def __init__(self, files: Iterable[Entry], *, identity: str):
        files = list(files)
        self.layout = seekable_zip.Layout(
            [
                seekable_zip.Member(
                    entry.path, entry.size, entry.crc32, entry.modified, entry
                )
                for entry in files
            ]
        )
        self.size = self.layout.size
        # Strong: the same tag is always the same bytes. What the bytes are made of
        # (every name, size, CRC-32, time and offset, in order), the files read, and
        # whose archive it is (the link and what of it was asked for).
        material = "\n".join(
            [identity, self.layout.digest(), *(entry.stored_name for entry in files)]
        )
        self.etag = f'"{hashlib.sha256(material.encode()).hexdigest()[:40]}"'

    def __len__(self) -> int:
        return self.size

    def chunks(self, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """Bytes [start, stop) of the archive, reading only the files they cover."""
        try:
            for chunk in self.layout.chunks(
                _read, start, stop, step=filestore.CHUNK_SIZE
            ):
                ZIP_BYTES.inc(len(chunk))
                yield chunk
        except seekable_zip.MemberChanged as changed:
            logger.error("ZIP stopped: %s", changed)
            raise ArchiveBroken(str(changed)) from None

    def __iter__(self) -> Iterator[bytes]:
        return self.chunks()


def archive(files: Iterable[Entry], *, identity: str = "") -> Archive:
    """The ZIP of these files; `identity` says whose (it goes into the ETag)."""
    return Archive(files, identity=identity)


def _read(member: seekable_zip.Member, start: int, length: int) -> Iterator[bytes]:
    """Part of a stored file, refusing to send bytes that do not fit the archive.

    By now the response's status and length are sent, so a missing file cannot
    become an error page: the stream stops, the browser sees the download fail
    (short of its Content-Length) rather than a complete-looking, broken archive.
    """
    entry = member.source
    try:
        yield from filestore.read_range(
            entry.stored_name, start, length, size=entry.size
        )
    except FileNotFoundError:
        logger.error(
            "ZIP stopped: %s is missing from storage (%s)",
            entry.stored_name,
            entry.path,
        )
        raise ArchiveBroken(entry.path) from None
    except OSError as error:
        logger.error("ZIP stopped: %s (%s)", error, entry.path)
        raise ArchiveBroken(entry.path) from None
