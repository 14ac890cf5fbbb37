"""Where photo files live, and the storage I/O on them: read, read a range, delete,
list, and S3's own API (presigned uploads, multipart, head).

This module is the only one that talks to the S3 client. The URLs a browser fetches
a photo's files with are signed in `galleries.signed_urls`.
"""

import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath

import urllib3
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from storages.backends import s3 as s3_storages

from config import metrics


class S3Storage(s3_storages.S3Storage):
    """django-storages' S3 storage, counting the bucket's failures for /metrics: a
    request with no answer (connection, timeout) or a 5xx answer, by operation."""

    def _create_session(self):
        session = super()._create_session()
        session.events.register("after-call.s3", _count_s3_answer)
        session.events.register("after-call-error.s3", _count_s3_failure)
        return session


def _count_s3_answer(http_response, model, **kwargs):
    if http_response.status_code >= 500:
        metrics.STORAGE_ERRORS.labels(operation=model.name).inc()


def _count_s3_failure(event_name, **kwargs):
    # "after-call-error.s3.PutObject": the operation is the event's last part.
    metrics.STORAGE_ERRORS.labels(operation=event_name.rpartition(".")[2]).inc()


def photo_dir(photo) -> str:
    return f"photos/{photo.gallery_id}/{photo.id}"


ORIGINAL = "original"


def original_name(photo, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"{photo_dir(photo)}/{ORIGINAL}{suffix}"


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
    try:
        response = _s3_reader.request(
            "GET", url, headers=headers, preload_content=False
        )
    except urllib3.exceptions.HTTPError:
        metrics.STORAGE_ERRORS.labels(operation="GetObject").inc()
        raise
    if response.status >= 500:
        metrics.STORAGE_ERRORS.labels(operation="GetObject").inc()
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
