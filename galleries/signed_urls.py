"""Where S3 URLs are signed, and local ones: how a browser is allowed to fetch a file.

Photos are private. A browser never gets a permanent address for a file: it gets a
signed URL that expires. On S3 that is the bucket's own presigned URL, so the bytes
come straight from the bucket; on the local disk it is a URL of ours carrying a
signature (`read_token` checks it), served by `galleries.views.serve_file`.

Signing is what a page of the grid would spend its time on, so both kinds are kept:
a local token per photo folder and hour (`_folder_token`), a presigned S3 URL per
rendition and window, in this process (`_s3_urls`, a bounded LRU) and in the shared
cache. Storage I/O itself (reading, deleting, uploads) is `galleries.filestore`'s.

With a CDN in front of the bucket (`settings.STORAGES["cdn"]`, see `_cdn_url`) the
renditions' URLs are CloudFront signed URLs instead, in the same windows and caches.
"""

import hashlib
import math
import time
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files.storage import default_storage, storages
from django.urls import reverse
from django.utils.encoding import filepath_to_uri
from django.utils.http import content_disposition_header

from config.lru import LRU
from galleries.filestore import ORIGINAL, photo_dir

#: What a photo's grid thumbnails are called ("grid.webp", "grid_2x.jpg"...).
THUMBNAILS = "grid"

SALT = "proofsheet.file"
# Local URLs are signed for whole hours, so the same file keeps the same URL for an
# hour and browsers can cache it.
LOCAL_URL_PERIOD = 3600


def file_url(name: str, *, download_as: str | None = None, single: bool = False) -> str:
    """A short-lived URL for one stored file; `download_as` makes it a download.
    `single`: a local URL that opens its photo's grid thumbnails alone (this file
    alone if it is not one), not its other renditions: a watermarked link's plain
    thumbnails (sharing/watermarked.py) must never open the plain web-size file."""
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
    return _local_url(name, download_as, _local_expiry(), single)


def _local_expiry() -> int:
    return (math.floor(time.time() / LOCAL_URL_PERIOD) + 2) * LOCAL_URL_PERIOD


def _local_url(
    name: str, download_as: str | None, expires: int, single: bool = False
) -> str:
    folder, _, filename = name.rpartition("/")
    # A rendition's token opens every rendition of its photo, never the original:
    # an original (or a download) gets a token for that one file. A `single` grid
    # thumbnail's token opens its photo's thumbnails alone: one token per tile, not
    # four (random, so gzip cannot shrink them: a page of 40 tiles was 41 KB, not 20).
    prefix = None
    if single and not download_as and filename.startswith(THUMBNAILS):
        only, prefix = None, THUMBNAILS
    elif filename.startswith(ORIGINAL) or download_as or single:
        only = filename
    else:
        only = None
    token = _folder_token(folder, expires, only, download_as, prefix)
    return f"{_local_prefix()}{token}/{filename}"


# A page of 1,000 photos asks for 4,000 URLs: a token covers a photo's renditions, so
# it is signed once per photo (and hour), and the URL prefix is reversed once.
@lru_cache(maxsize=8192)
def _folder_token(
    folder: str,
    expires: int,
    only: str | None,
    download_as: str | None,
    prefix: str | None = None,
) -> str:
    payload = {"f": folder, "e": expires}
    if only:
        payload["o"] = only
    if prefix:
        payload["p"] = prefix
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
_S3_URLS_KEPT = 20_000
_s3_urls: LRU[tuple[str, str], tuple[int, str]] = LRU(_S3_URLS_KEPT)


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
    # Where the URLs point (the bucket, or the CDN): a URL is kept for that one.
    bucket = (
        _cdn().custom_domain
        if _cdn_serves_renditions()
        else default_storage.bucket_name
    )
    now = time.time()
    names = list(names)
    kept = _s3_urls.get_many((bucket, name) for name in names)
    urls, missing = {}, {}
    for name in names:
        window_end = _s3_window_end(name.rpartition("/")[0], now, period)
        entry = kept.get((bucket, name))
        if entry and entry[0] == window_end:
            urls[name] = entry[1]
        else:
            digest = hashlib.blake2b(f"{bucket}/{name}".encode(), digest_size=16)
            missing[f"s3url:{window_end}:{digest.hexdigest()}"] = (name, window_end)
    if not missing:
        return urls
    shared = cache.get_many(list(missing))
    signed, fresh = {}, {}
    for key, (name, window_end) in missing.items():
        url = shared.get(key)
        if url is None:
            if _cdn_serves(name):
                url = _cdn_url(name, window_end + period)
            else:
                url = default_storage.url(name, expire=int(window_end + period - now))
            signed[key] = url
        urls[name] = url
        fresh[(bucket, name)] = (window_end, url)
    if signed:
        # A key names its window, so it is only read while its URL has a window left.
        cache.set_many(signed, timeout=2 * period)
    _s3_urls.put_many(fresh)
    return urls


# --- Renditions from a CDN: CloudFront signed URLs -----------------------------------
#
# With AWS_S3_CUSTOM_DOMAIN (and CloudFront's key pair) set, a rendition's URL points
# at the CDN in front of the bucket, so a popular gallery's pictures are answered by
# the CDN's edges: not by the web workers, not by the bucket, and without presigning.
# The URL is CloudFront's signed URL with a canned policy: the exact URL, valid until
# the end of the window after the rendition's own. RSA signatures (PKCS#1 v1.5) are
# deterministic, so every process signs a rendition to the same URL for a window and
# browsers cache it; the caches above only save the ~0.3 ms of RSA signing each.
#
# Originals and downloads never go through the CDN. A download names its file with
# the bucket's response-content-disposition, which a presigned S3 URL signs along;
# a CloudFront URL cannot add that header (the origin would have to). And an original
# is the photographer's file itself: it is only ever handed out for one download, by
# the bucket, never kept at a CDN's edges.


def _cdn():
    """The storage whose URLs are the CDN's (custom domain, CloudFront signer)."""
    return storages["cdn"]


def _cdn_serves_renditions() -> bool:
    return settings.USE_S3 and "cdn" in settings.STORAGES


def _cdn_serves(name: str) -> bool:
    return _cdn_serves_renditions() and not name.rpartition("/")[2].startswith(ORIGINAL)


def _cdn_url(name: str, expires: int) -> str:
    """The CloudFront signed URL of a stored file, valid until `expires` (epoch)."""
    cdn = _cdn()
    url = f"{cdn.url_protocol}//{cdn.custom_domain}/{filepath_to_uri(name)}"
    return cdn.cloudfront_signer.generate_presigned_url(
        url, date_less_than=datetime.fromtimestamp(expires, UTC)
    )


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
    if not filename.startswith(payload.get("p", "")):
        return None
    if "o" not in payload and filename.startswith(ORIGINAL):
        return None
    return f"{payload['f']}/{filename}", payload.get("d")


def rendition_urls(photo) -> dict[str, str]:
    """URLs of a ready photo's renditions, keyed "grid.webp", "preview.jpeg"...,
    signed together (a list of 100 photos asks for 500)."""
    names = {key: rendition["name"] for key, rendition in photo.renditions.items()}
    if settings.USE_S3:
        urls = warm_s3_urls(names.values())
        return {key: urls[name] for key, name in names.items()}
    expires = _local_expiry()
    return {
        key: _local_url(name, None, expires, photo.renditions[key].get("single", False))
        for key, name in names.items()
    }
