"""A ZIP archive laid out from its members' names, sizes and CRC-32s alone, so that any
byte range of it can be produced without producing what lies before.

The layout (format facts from PKWARE's APPNOTE.TXT, version 6.3):

- Every member is STORED (method 0), and its local header already carries its CRC-32
  and sizes: no data descriptors, nothing that is only known once the bytes went by.
- Timestamps are the members' own (given by the caller), never the time of sending.
- ZIP64 wherever a size or an offset reaches 4 GiB, and for the end records when the
  archive holds 65,535 members or more or its central directory starts beyond 4 GiB.
- Names are UTF-8 (general purpose flag bit 11).

So the same members give the same bytes, every time, in every process: a download
stopped at any byte can be resumed from there and the result is one archive.

Reading is left to the caller: `Layout.chunks` asks `read(member, start, length)` for
exactly the bytes of a member that the range covers.
"""

import bisect
import datetime
import hashlib
import struct
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

#: Changes whenever the bytes for the same members would change: it is part of the
#: archive's identity (`Layout.digest`).
LAYOUT_VERSION = b"proofsheet-zip-1"

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"
_ZIP64_END = b"PK\x06\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"

_LIMIT_32 = 0xFFFFFFFF
_LIMIT_16 = 0xFFFF
_UTF8 = 0x0800
_VERSION_STORED = 10  # 1.0: stored files
_VERSION_ZIP64 = 45  # 4.5: ZIP64 extensions
_MADE_BY = (3 << 8) | 63  # Unix, APPNOTE 6.3: the external attributes are a mode
_FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--
_ZIP64_EXTRA = 0x0001


class MemberChanged(Exception):
    """A member's bytes were not the CRC-32 the archive's headers promise."""


@dataclass(frozen=True)
class Member:
    name: str  # path inside the archive, "/" between folders
    size: int
    crc32: int
    modified: datetime.datetime  # wall-clock time, as unpacking tools show it
    source: Any = None  # whatever the reader needs to find the bytes


Reader = Callable[[Member, int, int], Iterator[bytes]]


def _dos_time(moment: datetime.datetime) -> tuple[int, int]:
    """MS-DOS date and time: 1980 to 2107, two-second steps, no zone."""
    if moment.year < 1980:
        moment = datetime.datetime(1980, 1, 1)
    elif moment.year > 2107:
        moment = datetime.datetime(2107, 12, 31, 23, 59, 58)
    date = (moment.year - 1980) << 9 | moment.month << 5 | moment.day
    time = moment.hour << 11 | moment.minute << 5 | moment.second // 2
    return date, time


def _local_header(member: Member, name: bytes) -> bytes:
    date, time = _dos_time(member.modified)
    extra = b""
    size32 = member.size
    version = _VERSION_STORED
    if member.size >= _LIMIT_32:
        # Both sizes move to the extra field when either does not fit.
        extra = struct.pack("<HHQQ", _ZIP64_EXTRA, 16, member.size, member.size)
        size32, version = _LIMIT_32, _VERSION_ZIP64
    return (
        struct.pack(
            "<4sHHHHHIIIHH",
            _LOCAL,
            version,
            _UTF8,
            0,  # stored
            time,
            date,
            member.crc32,
            size32,  # compressed
            size32,  # uncompressed
            len(name),
            len(extra),
        )
        + name
        + extra
    )


def _central_header(member: Member, name: bytes, offset: int) -> bytes:
    date, time = _dos_time(member.modified)
    fields = []  # ZIP64 values, in APPNOTE's order, only those that do not fit
    size32 = offset32 = None
    if member.size >= _LIMIT_32:
        fields += [member.size, member.size]  # uncompressed, then compressed
        size32 = _LIMIT_32
    if offset >= _LIMIT_32:
        fields.append(offset)
        offset32 = _LIMIT_32
    extra = b""
    version = _VERSION_STORED
    if fields:
        extra = struct.pack(
            f"<HH{len(fields)}Q", _ZIP64_EXTRA, 8 * len(fields), *fields
        )
        version = _VERSION_ZIP64
    size32 = member.size if size32 is None else size32
    return (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            _CENTRAL,
            _MADE_BY,
            version,
            _UTF8,
            0,  # stored
            time,
            date,
            member.crc32,
            size32,
            size32,
            len(name),
            len(extra),
            0,  # comment length
            0,  # disk number start
            0,  # internal attributes
            _FILE_MODE,
            offset if offset32 is None else offset32,
        )
        + name
        + extra
    )


def _end_records(count: int, directory_start: int, directory_size: int) -> bytes:
    records = b""
    if (
        count >= _LIMIT_16
        or directory_start >= _LIMIT_32
        or directory_size >= _LIMIT_32
    ):
        zip64_end_at = directory_start + directory_size
        records += struct.pack(
            "<4sQHHIIQQQQ",
            _ZIP64_END,
            44,  # what follows this field
            _MADE_BY,
            _VERSION_ZIP64,
            0,  # this disk
            0,  # disk where the central directory starts
            count,
            count,
            directory_size,
            directory_start,
        )
        records += struct.pack("<4sIQI", _ZIP64_LOCATOR, 0, zip64_end_at, 1)
    records += struct.pack(
        "<4sHHHHIIH",
        _END,
        0,
        0,
        min(count, _LIMIT_16),
        min(count, _LIMIT_16),
        min(directory_size, _LIMIT_32),
        min(directory_start, _LIMIT_32),
        0,  # comment length
    )
    return records


class Layout:
    """Where every byte of the archive of these members is: `size` is its length."""

    def __init__(self, members: Sequence[Member]):
        self.members = tuple(members)
        # Each part is bytes of ours (headers, the directory) or a member's data.
        self._parts: list[bytes | Member] = []
        self._starts: list[int] = []
        offset = 0
        central = []
        for member in self.members:
            name = member.name.encode()
            header = _local_header(member, name)
            central.append(_central_header(member, name, offset))
            offset = self._add(header, offset)
            offset = self._add(member, offset)
        directory = b"".join(central)
        directory_start = offset
        offset = self._add(directory, offset)
        ending = _end_records(len(self.members), directory_start, len(directory))
        offset = self._add(ending, offset)
        self.size = offset
        self._identity = hashlib.sha256(LAYOUT_VERSION + directory + ending)

    def _add(self, part: bytes | Member, offset: int) -> int:
        length = part.size if isinstance(part, Member) else len(part)
        if length:
            self._starts.append(offset)
            self._parts.append(part)
        return offset + length

    def digest(self) -> str:
        """What identifies these bytes: the central directory (every name, size,
        CRC-32, time and offset) and the layout's version."""
        return self._identity.hexdigest()

    def chunks(
        self, read: Reader, start: int = 0, stop: int | None = None, *, step: int
    ) -> Iterator[bytes]:
        """The archive's bytes from `start` up to (not including) `stop`, at most
        `step` bytes of our own at a time (members' chunks are the reader's)."""
        stop = self.size if stop is None else stop
        if not 0 <= start <= stop <= self.size:
            raise ValueError(f"{start}-{stop} is not inside 0-{self.size}")
        index = max(bisect.bisect_right(self._starts, start) - 1, 0)
        position = start
        while position < stop and index < len(self._parts):
            part, part_start = self._parts[index], self._starts[index]
            begin = position - part_start
            if isinstance(part, Member):
                length = min(part.size, stop - part_start) - begin
                yield from _checked(part, read(part, begin, length), begin, length)
            else:
                length = min(len(part), stop - part_start) - begin
                for at in range(begin, begin + length, step):
                    yield part[at : min(at + step, begin + length)]
            position += length
            index += 1


def _checked(
    member: Member, chunks: Iterator[bytes], begin: int, length: int
) -> Iterator[bytes]:
    """A member's bytes as read, exactly `length` of them; when the whole member is
    read, its CRC-32 must be the one its headers carry (else the stream stops before
    the central directory, so no tool takes the archive for complete)."""
    whole = begin == 0 and length == member.size
    crc = sent = 0
    for chunk in chunks:
        sent += len(chunk)
        if sent > length:
            raise MemberChanged(f"{member.name}: more bytes than {member.size}")
        if whole:
            crc = zlib.crc32(chunk, crc)
        yield chunk
    if sent != length:
        raise MemberChanged(f"{member.name}: fewer bytes than {member.size}")
    if whole and crc != member.crc32:
        raise MemberChanged(f"{member.name}: not the CRC-32 recorded")
