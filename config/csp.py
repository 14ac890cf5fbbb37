"""The Content-Security-Policy every page is sent with (django-csp).

Scripts run only from our own origin, or inline with the request's nonce: an injected
`<script>` or `onclick=` never runs. Style attributes are the one inline thing allowed
(`style-src-attr`): the photo pages paint each photo's aspect ratio, colour and blurred
placeholder (a per-photo `data:` URI) from attributes before any script runs, and an
attribute can carry neither a nonce nor a hash of a per-photo value. A `<style>`
element still needs the nonce.

With media on S3 the browser loads renditions from the bucket and sends uploads to it
(presigned POST and multipart PUT); the policy allows that bucket, and only it, as
botocore addresses it for the storage's own settings, so a production bucket (AWS, a
custom domain, any S3-compatible endpoint) needs no hand-edited policy. With a CDN
for renditions (the "cdn" storage, AWS_S3_CUSTOM_DOMAIN) its origin is added to
`img-src` alone: the browser only ever loads pictures from it.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.utils.module_loading import import_string

POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

#: The directives a bucket's sources are added to: pictures, and the uploads' requests.
MEDIA_DIRECTIVES = ("img-src", "connect-src")

_PROBE = "csp-probe"


def _bucket_sources(url: str) -> list[str]:
    """CSP sources matching `url`'s bucket: its origin, or its bucket path on a shared host."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    folder = parts.path[: -len(_PROBE)].rstrip("/")
    if not folder:
        return [origin]
    # Path style (https://s3.example.com/bucket/...): only this bucket on that host.
    # The presigned POST goes to the bucket's path itself, without a trailing slash.
    return [f"{origin}{folder}", f"{origin}{folder}/"]


@functools.lru_cache(maxsize=8)
def _s3_sources(
    bucket: str,
    endpoint_url: str | None,
    region_name: str | None,
    addressing_style: str | None,
    custom_domain: str | None,
    url_protocol: str,
) -> tuple[str, ...]:
    # An unsigned client only resolves addresses: no credentials, no network.
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region_name,
        config=Config(
            signature_version=UNSIGNED,
            s3={"addressing_style": addressing_style} if addressing_style else None,
        ),
    )
    upload = client.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": _PROBE}
    )
    sources = _bucket_sources(upload)
    if custom_domain:
        # Pictures are served from the custom domain (django-storages' URLs).
        sources.insert(0, f"{url_protocol}//{custom_domain.rstrip('/')}")
    return tuple(dict.fromkeys(sources))


@functools.lru_cache(maxsize=8)
def _is_s3(backend: str) -> bool:
    from storages.backends.s3 import S3Storage

    try:
        return issubclass(import_string(backend), S3Storage)
    except ImportError:
        return False


def media_sources(storage: dict | None = None) -> tuple[str, ...]:
    """The sources the browser fetches media from and uploads to, beyond 'self'.

    `storage` is a STORAGES entry (default: the "default" one). Local disk media is
    served by the site itself, so it needs none.
    """
    storage = storage if storage is not None else settings.STORAGES["default"]
    if not _is_s3(storage["BACKEND"]):
        return ()
    options = storage.get("OPTIONS", {})
    return _s3_sources(
        options.get("bucket_name") or settings.AWS_STORAGE_BUCKET_NAME,
        options.get("endpoint_url") or None,
        options.get("region_name") or None,
        options.get("addressing_style") or None,
        options.get("custom_domain") or None,
        options.get("url_protocol") or "https:",
    )


def picture_sources(storages: dict | None = None) -> tuple[str, ...]:
    """The CDN's origin the browser loads renditions from, if one serves them."""
    storages = storages if storages is not None else settings.STORAGES
    cdn = storages.get("cdn")
    if not cdn:
        return ()
    options = cdn.get("OPTIONS", {})
    protocol = options.get("url_protocol") or "https:"
    return (f"{protocol}//{options['custom_domain'].strip('/')}",)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the media bucket added to the policy."""

    def get_policy_parts(
        self, request, response, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        sources, pictures = media_sources(), picture_sources()
        if sources or pictures:
            update = dict(parts.update or {})
            for directive in MEDIA_DIRECTIVES:
                update[directive] = [*update.get(directive, ()), *sources]
            update["img-src"] = [*update.get("img-src", ()), *pictures]
            parts.update = update
        return parts
