"""Where photo files live, and how a browser is allowed to fetch one.

Photos are private. A browser never gets a permanent address for a file: it gets a
signed URL that expires. On S3 that is the bucket's own presigned URL, so the bytes
come straight from the bucket; on the local disk it is a URL of ours carrying a
signature, served by `serve_file`.
"""

import hashlib
import math
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import PurePosixPath

import urllib3
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.http import content_disposition_header

SALT = "proofsheet.file"
# Local URLs are signed for whole hours, so the same file keeps the same URL for an
# hour and browsers can cache it.
LOCAL_URL_PERIOD = 3600


def photo_dir(photo) -> str:
    return f"photos/{photo.gallery_id}/{photo.id}"


ORIGINAL = "original"


def original_name(photo, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"{photo_dir(photo)}/{ORIGINAL}{suffix}"


def file_url(name: str, *, download_as: str | None = None) -> str:
    """A short-lived URL for one stored file; `download_as` makes it a download."""
    if settings.USE_S3:
        if download_as:
            return default_storage.url(
                name,
                parameters={
                    "ResponseContentDisposition": content_disposition_header(
                        True, download_as
                    )
                },
            )
        return warm_s3_urls([name])[name]
    folder, _, filename = name.rpartition("/")
    expires = (math.floor(time.time() / LOCAL_URL_PERIOD) + 2) * LOCAL_URL_PERIOD
    # A rendition's token opens every rendition of its photo, never the original:
    # an original (or a download) gets a token for that one file.
    only = filename if filename.startswith(ORIGINAL) or download_as else None
    token = _folder_token(folder, expires, only, download_as)
    return f"{_local_prefix()}{token}/{filename}"


# A page of 1,000 photos asks for 4,000 URLs: a token covers a photo's renditions, so
# it is signed once per photo (and hour), and the URL prefix is reversed once.
@lru_cache(maxsize=8192)
def _folder_token(
    folder: str, expires: int, only: str | None, download_as: str | None
) -> str:
    payload = {"f": folder, "e": expires}
    if only:
        payload["o"] = only
    if download_as:
        payload["d"] = download_as
    return signing.dumps(payload, salt=SALT, compress=True)


@lru_cache(maxsize=1)
def _local_prefix() -> str:
    return reverse("galleries:file", args=["TOKEN", "NAME"]).removesuffix("TOKEN/NAME")


# Presigning with botocore costs ~350 µs a URL, and a page of the public grid hands
# out hundreds: signed renditions are kept for a window of AWS_QUERYSTRING_EXPIRE
# seconds, in this process and in the shared cache, so every web process gives a photo
# the same URL for the window (browsers cache the picture) and a page costs lookups,
# not signatures. A URL is signed to live one window past its own, so each one handed
# out stays valid for at least a window. Each photo's windows start at an offset of
# their own, so the cache never empties all at once.
_s3_urls: dict[tuple[str, str], tuple[int, str]] = {}
_S3_URLS_KEPT = 20_000


def _s3_window_end(folder: str, now: float, period: int) -> int:
    offset = zlib.crc32(folder.encode()) % period
    return (math.floor((now + offset) / period) + 1) * period - offset


def url_window(photo) -> int:
    """Which window of URLs a photo's renditions are in: their URLs change with it."""
    now = time.time()
    if settings.USE_S3:
        return _s3_window_end(photo_dir(photo), now, default_storage.querystring_expire)
    return math.floor(now / LOCAL_URL_PERIOD)


def warm_s3_urls(names: Iterable[str]) -> dict[str, str]:
    """Presigned URLs for stored renditions, signing only what no process has yet."""
    period = default_storage.querystring_expire
    bucket = default_storage.bucket_name
    now = time.time()
    urls, missing = {}, {}
    for name in names:
        window_end = _s3_window_end(name.rpartition("/")[0], now, period)
        kept = _s3_urls.get((bucket, name))
        if kept and kept[0] == window_end:
            urls[name] = kept[1]
        else:
            digest = hashlib.blake2b(f"{bucket}/{name}".encode(), digest_size=16)
            missing[f"s3url:{window_end}:{digest.hexdigest()}"] = (name, window_end)
    if not missing:
        return urls
    shared = cache.get_many(list(missing))
    signed = {}
    for key, (name, window_end) in missing.items():
        url = shared.get(key)
        if url is None:
            url = default_storage.url(name, expire=int(window_end + period - now))
            signed[key] = url
        urls[name] = url
        _s3_urls[(bucket, name)] = (window_end, url)
    if signed:
        # A key names its window, so it is only read while its URL has a window left.
        cache.set_many(signed, timeout=2 * period)
    if len(_s3_urls) > _S3_URLS_KEPT:
        _s3_urls.clear()
    return urls


def warm_urls(photos: Iterable) -> None:
    """Sign every rendition of these photos at once (on S3; a no-op on the disk)."""
    if settings.USE_S3:
        warm_s3_urls(
            r["name"] for photo in photos for r in (photo.renditions or {}).values()
        )


def read_token(token: str, filename: str) -> tuple[str, str | None] | None:
    """The file and download name a local URL grants, or None if it grants nothing."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if payload.get("e", 0) < time.time() or "/" in filename or filename in {".", ".."}:
        return None
    if payload.get("o", filename) != filename:
        return None
    if "o" not in payload and filename.startswith(ORIGINAL):
        return None
    return f"{payload['f']}/{filename}", payload.get("d")


def delete_files(names: Iterable[str]) -> None:
    """Delete stored files; a file that is already gone is not an error."""
    for name in names:
        if name:
            default_storage.delete(name)


#: How much of a stored file is held in memory at once while it is read through.
CHUNK_SIZE = 1024 * 1024


def read_chunks(name: str, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """A stored file's bytes, a chunk at a time, on the local disk or S3 alike.

    Nothing is opened until the first chunk is asked for, so a list of these costs
    nothing until it is read. A missing file raises FileNotFoundError then.
    (django-storages' own S3 file would fetch the whole object into memory first.)
    """
    if settings.USE_S3:
        yield from _read_s3_chunks(name, chunk_size)
        return
    with default_storage.open(name, "rb") as handle:
        while chunk := handle.read(chunk_size):
            yield chunk


# A GetObject through botocore costs ~2.5 ms of CPU before its first byte (a request
# built, signed and parsed through a dozen event hooks), and a ZIP of 1,000 photos
# makes 1,000 of them. A presigned GET through one pool of connections costs a
# signature (~0.35 ms) and reads the body as fast: a third of the CPU per photo.
_s3_reader = urllib3.PoolManager(
    maxsize=8,
    retries=urllib3.Retry(total=2, redirect=0, raise_on_status=False),
    timeout=urllib3.Timeout(connect=5, read=60),
)


@contextmanager
def _s3_get(name: str, headers: dict | None = None):
    """A streamed GET of one object through a presigned URL (Range is not among its
    signed headers, so one URL serves any range). A missing object is
    FileNotFoundError. Read to the end, the connection goes back to the pool;
    otherwise it is closed, so what is left unread is never taken for the next answer."""
    url = _s3().generate_presigned_url(
        "get_object",
        Params={"Bucket": default_storage.bucket_name, "Key": name},
        ExpiresIn=600,
    )
    response = _s3_reader.request("GET", url, headers=headers, preload_content=False)
    try:
        if response.status == 404:
            raise FileNotFoundError(name)
        yield response
    except BaseException:
        response.close()
        raise
    response.release_conn()


def _read_s3_chunks(name: str, chunk_size: int) -> Iterator[bytes]:
    with _s3_get(name) as response:
        if response.status != 200:
            raise OSError(f"The bucket answered {response.status} for {name}")
        yield from response.stream(chunk_size)


def read_range(
    name: str, start: int, length: int, *, size: int, chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """`length` bytes of a stored file from byte `start`, a chunk at a time, reading
    only those bytes (a seek on the disk, a ranged GET on S3).

    `size` is the file's size as recorded: a file that is not that size any more is
    not the file the caller laid out, so it raises OSError rather than yield bytes
    that would not fit. A missing file raises FileNotFoundError. Nothing is opened
    until the first chunk is asked for.
    """
    if length <= 0:
        return
    if start < 0 or start + length > size:
        raise ValueError(f"bytes {start}+{length} are not inside {size}")
    if settings.USE_S3:
        yield from _read_s3_range(name, start, length, size, chunk_size)
        return
    with default_storage.open(name, "rb") as handle:
        actual = handle.seek(0, 2)
        if actual != size:
            raise OSError(f"{name} is {actual} bytes, not the {size} recorded")
        handle.seek(start)
        left = length
        while left:
            chunk = handle.read(min(chunk_size, left))
            if not chunk:
                raise OSError(f"{name} ended early")
            left -= len(chunk)
            yield chunk


def _read_s3_range(
    name: str, start: int, length: int, size: int, chunk_size: int
) -> Iterator[bytes]:
    with _s3_get(name, {"Range": f"bytes={start}-{start + length - 1}"}) as response:
        if response.status == 416:
            raise OSError(f"{name} is shorter than the {size} bytes recorded")
        if response.status != 206:
            raise OSError(f"The bucket answered {response.status} for {name}")
        # "bytes 0-99/12345": the object's whole size is after the slash.
        total = response.headers.get("Content-Range", "").rpartition("/")[2]
        if total != str(size):
            raise OSError(f"{name} is {total} bytes, not the {size} recorded")
        left = length
        for chunk in response.stream(chunk_size):
            left -= len(chunk)
            if left < 0:
                raise OSError(f"The bucket sent more than asked for {name}")
            yield chunk
        if left:
            raise OSError(f"{name} ended early")


def checksum(name: str) -> int:
    """The CRC-32 of a stored file (what a ZIP's headers carry), read through once."""
    value = 0
    for chunk in read_chunks(name):
        value = zlib.crc32(chunk, value)
    return value


def rendition_urls(photo) -> dict[str, str]:
    """URLs of a ready photo's renditions, keyed "grid.webp", "preview.jpeg"..."""
    return {key: file_url(r["name"]) for key, r in photo.renditions.items()}


def walk(prefix: str):
    """Every stored file name under a folder, on the local disk or S3 alike."""
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{prefix}/{name}"
    for folder in folders:
        yield from walk(f"{prefix}/{folder}")


# --- S3's own API: uploads straight to the bucket, and what they leave behind ---------
#
# This module is the only one that talks to the S3 client: presigned uploads,
# multipart uploads, and asking the bucket what it holds.


class StorageRefused(Exception):
    """The bucket refused what was asked (its message says why)."""


def _s3():
    return default_storage.connection.meta.client


def presigned_post(key: str, size: int, expires: int) -> dict:
    """A form a browser POSTs the file with. Unlike a PUT, the bucket itself refuses
    a body of any other size than announced (and reserved quota for)."""
    return _s3().generate_presigned_post(
        Bucket=default_storage.bucket_name,
        Key=key,
        Conditions=[["content-length-range", size, size]],
        ExpiresIn=expires,
    )


def multipart_start(key: str) -> str:
    """Begin a multipart upload; the id S3 gave it."""
    started = _s3().create_multipart_upload(Bucket=default_storage.bucket_name, Key=key)
    return started["UploadId"]


def multipart_part_urls(
    key: str, upload_id: str, parts: int, expires: int
) -> list[str]:
    client = _s3()
    return [
        client.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": default_storage.bucket_name,
                "Key": key,
                "UploadId": upload_id,
                "PartNumber": number,
            },
            ExpiresIn=expires,
        )
        for number in range(1, parts + 1)
    ]


def multipart_complete(key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
    """Assemble the uploaded parts, (number, ETag) each, into the object."""
    try:
        _s3().complete_multipart_upload(
            Bucket=default_storage.bucket_name,
            Key=key,
            UploadId=upload_id,
            MultipartUpload={
                "Parts": [
                    {"PartNumber": number, "ETag": etag}
                    for number, etag in sorted(parts)
                ]
            },
        )
    except ClientError as error:
        raise StorageRefused(str(error)) from error


def multipart_abort(key: str, upload_id: str) -> None:
    """Drop an unfinished multipart upload and its parts; gone already is fine."""
    try:
        _s3().abort_multipart_upload(
            Bucket=default_storage.bucket_name, Key=key, UploadId=upload_id
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in {"NoSuchUpload", "404"}:
            raise


def stored_size(key: str) -> int | None:
    """How many bytes the bucket holds under a key; None when it holds no object."""
    if not settings.USE_S3:
        return default_storage.size(key) if default_storage.exists(key) else None
    try:
        return _s3().head_object(Bucket=default_storage.bucket_name, Key=key)[
            "ContentLength"
        ]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {
            "404",
            "NoSuchKey",
            "NotFound",
        }:
            return None
        raise


def multipart_uploads(prefix: str = "photos/") -> list[tuple[str, str, object]]:
    """The bucket's unfinished multipart uploads under a prefix: (key, upload id,
    when it began). None on the local disk."""
    if not settings.USE_S3:
        return []
    found = []
    paginator = _s3().get_paginator("list_multipart_uploads")
    for page in paginator.paginate(Bucket=default_storage.bucket_name, Prefix=prefix):
        for upload in page.get("Uploads", []):
            found.append((upload["Key"], upload["UploadId"], upload["Initiated"]))
    return found


# --- Deleting what a photo leaves behind --------------------------------------------

#: A storage hiccup, worth another try later (not a bug, not a bad file).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


def files_delete(names: Iterable[str], multipart: Iterable = ()) -> None:
    """Delete stored files and drop unfinished multipart uploads (key, upload id)."""
    delete_files(names)
    for key, upload_id in multipart:
        multipart_abort(key, upload_id)
