"""Byte ranges and conditional requests (RFC 9110, sections 13 and 14) for a response
whose length and strong entity tag are known before its first byte.

`evaluate` tells a view what to answer; the view then sends that part of its bytes:

- If-Match that no current tag matches strongly: 412 Precondition Failed.
- If-None-Match that matches (weakly; "*" always): 304 Not Modified.
- Range (GET only, "bytes=" only), with If-Range, if any, matching the tag strongly:
  one range is 206 Partial Content with Content-Range; a range that starts beyond
  the end is 416 with "Content-Range: bytes */<length>".
- Everything else is the whole 200: a Range that does not parse, a Range of another
  unit, an If-Range that names another tag or a date (we give no Last-Modified, so a
  date never matches), and requests for several ranges at once, which RFC 9110
  allows a server to answer whole (section 14.2) rather than as multipart/byteranges.
"""

import re
from dataclasses import dataclass, field

from django.utils.http import parse_etags

_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


@dataclass(frozen=True)
class Answer:
    status: int  # 200, 206, 304, 412 or 416
    start: int = 0  # the bytes to send: [start, stop)
    stop: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def has_body(self) -> bool:
        return self.status in (200, 206)


def _opaque(tag: str) -> tuple[bool, str]:
    """(weak, opaque-tag) of one entity tag as sent."""
    return (True, tag[2:]) if tag.startswith("W/") else (False, tag)


def _strong_match(tags: list[str], etag: str) -> bool:
    return any(
        tag == "*" or (not _opaque(tag)[0] and _opaque(tag)[1] == etag) for tag in tags
    )


def _weak_match(tags: list[str], etag: str) -> bool:
    return any(tag == "*" or _opaque(tag)[1] == _opaque(etag)[1] for tag in tags)


def parse_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """One "bytes=" range of a representation of `size` bytes, as [start, stop):
    None when the header is to be ignored (not bytes, not one range, not valid),
    False when it cannot be satisfied."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    match = _RANGE.match(spec)
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # "-500": the last 500 bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            return False
        return max(size - suffix, 0), size
    start = int(first)
    if last != "" and int(last) < start:
        return None  # invalid, so ignored
    if start >= size:
        return False
    stop = size if last == "" else min(int(last) + 1, size)
    return start, stop


def evaluate(request, *, etag: str, size: int) -> Answer:
    """What to answer `request` (GET or HEAD) for a representation of `size` bytes
    whose strong entity tag is `etag` (quoted, as sent in the ETag header)."""
    headers = request.headers
    whole = Answer(200, 0, size, {"Content-Length": str(size)})
    if "If-Match" in headers and not _strong_match(
        parse_etags(headers["If-Match"]), etag
    ):
        return Answer(412)
    if "If-None-Match" in headers and _weak_match(
        parse_etags(headers["If-None-Match"]), etag
    ):
        return Answer(304)
    if request.method != "GET" or "Range" not in headers:
        return whole
    if "If-Range" in headers and headers["If-Range"].strip() != etag:
        return whole  # another tag (weak ones never match), or a date
    chosen = parse_range(headers["Range"], size)
    if chosen is None:
        return whole
    if chosen is False:
        return Answer(416, headers={"Content-Range": f"bytes */{size}"})
    start, stop = chosen
    return Answer(
        206,
        start,
        stop,
        {
            "Content-Length": str(stop - start),
            "Content-Range": f"bytes {start}-{stop - 1}/{size}",
        },
    )
