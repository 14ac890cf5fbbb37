"""Where photo files live, and how a browser is allowed to fetch one.

Photos are private. A browser never gets a permanent address for a file: it gets a
signed URL that expires. On S3 that is the bucket's own presigned URL, so the bytes
come straight from the bucket; on the local disk it is a URL of ours carrying a
signature, served by `serve_file`.
"""

import math
import time
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.http import content_disposition_header

SALT = "proofsheet.file"
# Local URLs are signed for whole hours, so the same file keeps the same URL for an
# hour and browsers can cache it.
LOCAL_URL_PERIOD = 3600


def photo_dir(photo) -> str:
    return f"photos/{photo.gallery_id}/{photo.id}"


def original_name(photo, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"{photo_dir(photo)}/original{suffix}"


def file_url(name: str, *, download_as: str | None = None) -> str:
    """A short-lived URL for one stored file; `download_as` makes it a download."""
    if settings.USE_S3:
        parameters = {}
        if download_as:
            parameters["ResponseContentDisposition"] = content_disposition_header(
                True, download_as
            )
        return default_storage.url(name, parameters=parameters)
    expires = (math.floor(time.time() / LOCAL_URL_PERIOD) + 2) * LOCAL_URL_PERIOD
    token = signing.dumps(
        {"n": name, "e": expires, "d": download_as}, salt=SALT, compress=True
    )
    return reverse("galleries:file", args=[token])


def read_token(token: str) -> tuple[str, str | None] | None:
    """The file name and download name a local URL grants, or None if it does not."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if payload.get("e", 0) < time.time():
        return None
    return payload["n"], payload.get("d")


def delete_files(names: Iterable[str]) -> None:
    """Delete stored files; a file that is already gone is not an error."""
    for name in names:
        if name:
            default_storage.delete(name)


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
