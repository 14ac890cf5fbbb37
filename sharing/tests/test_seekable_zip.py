"""The ZIP layout on its own: any range from the members' facts alone, ZIP64 when the
sizes, offsets or counts need it, read back by Python's zipfile."""

import datetime
import io
import random
import zipfile
import zlib

import pytest

from sharing.seekable_zip import Layout, Member, MemberChanged

WHEN = datetime.datetime(2024, 5, 6, 7, 8, 10)
GIB = 1024**3


def _member(name: str, data: bytes) -> Member:
    return Member(name, len(data), zlib.crc32(data), WHEN, data)


def _read_bytes(member: Member, start: int, length: int):
    yield member.source[start : start + length]


class _Virtual(io.RawIOBase):
    """A seekable file over a layout, reading only the ranges asked for."""

    def __init__(self, layout: Layout, read):
        self.layout, self.read_member, self.position = layout, read, 0
        self.ranges: list[tuple[int, int]] = []

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=0):
        base = {0: 0, 1: self.position, 2: self.layout.size}[whence]
        self.position = base + offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        stop = min(self.position + len(buffer), self.layout.size)
        self.ranges.append((self.position, stop))
        data = b"".join(
            self.layout.chunks(self.read_member, self.position, stop, step=1 << 20)
        )
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


def test_members_unpack_to_their_bytes_names_and_times():
    data = {f"Set {n}/photo é{n}.jpg": random.randbytes(n * 97) for n in range(12)}
    layout = Layout([_member(name, value) for name, value in data.items()])

    whole = b"".join(layout.chunks(_read_bytes, step=50))

    assert len(whole) == layout.size
    with zipfile.ZipFile(io.BytesIO(whole)) as archive:
        assert archive.testzip() is None
        assert {i.filename: archive.read(i) for i in archive.infolist()} == data
        assert {i.date_time for i in archive.infolist()} == {(2024, 5, 6, 7, 8, 10)}
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}


def test_every_range_is_the_same_bytes_as_that_slice_of_the_whole():
    layout = Layout(
        [
            _member(f"{n}.jpg", random.randbytes(random.randint(0, 3000)))
            for n in range(8)
        ]
    )
    whole = b"".join(layout.chunks(_read_bytes, step=1 << 20))
    chosen = random.Random(7)

    for _ in range(500):
        start = chosen.randint(0, layout.size)
        stop = chosen.randint(start, layout.size)
        assert (
            b"".join(layout.chunks(_read_bytes, start, stop, step=64))
            == (whole[start:stop])
        )


def test_the_same_members_always_lay_out_the_same_and_others_do_not():
    members = [_member("a.jpg", b"one"), _member("b.jpg", b"two")]

    same = Layout(list(members))
    renamed = Layout([members[0], _member("c.jpg", b"two")])
    reordered = Layout(members[::-1])

    assert same.digest() == Layout(members).digest()
    assert len({same.digest(), renamed.digest(), reordered.digest()}) == 3


def test_an_archive_over_4_gib_uses_zip64_and_its_last_member_reads_back():
    zeros = bytes(1 << 20)

    def read(member, start, length):
        if member.name == "after.txt":
            yield member.source[start : start + length]
            return
        while length:
            yield zeros[: min(length, len(zeros))]
            length -= min(length, len(zeros))

    big = Member("big.raw", 4 * GIB + 12345, 0, WHEN)  # never read whole here
    after = _member("after.txt", b"the member past 4 GiB")
    layout = Layout([big, after])
    virtual = _Virtual(layout, read)

    with zipfile.ZipFile(io.BufferedReader(virtual)) as archive:
        big_info, after_info = archive.infolist()
        assert big_info.file_size == 4 * GIB + 12345
        assert after_info.header_offset > 4 * GIB
        assert archive.read("after.txt") == b"the member past 4 GiB"
    assert layout.size > 4 * GIB + 12345
    assert sum(stop - start for start, stop in virtual.ranges) < 1 << 20


def test_more_than_65535_members_use_the_zip64_end_record():
    members = [_member(f"{n}.txt", b"") for n in range(70_000)]
    layout = Layout(members)

    virtual = _Virtual(layout, _read_bytes)
    with zipfile.ZipFile(io.BufferedReader(virtual)) as archive:
        assert len(archive.infolist()) == 70_000
        assert archive.infolist()[-1].filename == "69999.txt"


def test_a_member_whose_bytes_are_not_its_crc_stops_before_the_directory():
    member = Member("a.jpg", 5, zlib.crc32(b"hello"), WHEN, b"jello")
    layout = Layout([member])
    received = []

    def read_all():
        for chunk in layout.chunks(_read_bytes, step=1 << 20):
            received.append(chunk)

    with pytest.raises(MemberChanged):
        read_all()

    assert len(b"".join(received)) < layout.size


def test_a_member_that_reads_short_stops_the_stream():
    member = Member("a.jpg", 10, 0, WHEN, b"short")

    with pytest.raises(MemberChanged):
        b"".join(Layout([member]).chunks(_read_bytes, step=1 << 20))


def test_times_outside_what_zip_can_hold_are_clamped():
    layout = Layout(
        [
            Member("old.jpg", 0, 0, datetime.datetime(1970, 1, 1)),
            Member("far.jpg", 0, 0, datetime.datetime(2200, 1, 1)),
        ]
    )

    whole = b"".join(layout.chunks(_read_bytes, step=1 << 20))
    with zipfile.ZipFile(io.BytesIO(whole)) as archive:
        assert [i.date_time for i in archive.infolist()] == [
            (1980, 1, 1, 0, 0, 0),
            (2107, 12, 31, 23, 59, 58),
        ]
