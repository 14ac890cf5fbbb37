"""Downloads through a share link: one photo, or a ZIP of the gallery, a set, or the
visitor's favourites.

A single photo is a redirect to a short-lived signed URL: on S3 the bucket sends the
bytes itself, named by its Content-Disposition, and our workers never carry them.
A ZIP is streamed while it is built (see sharing/zips.py). Streaming holds a worker
thread for the whole download, so production runs gunicorn with threaded (gthread)
workers: the other threads keep serving while one waits on a slow client.

A ZIP is resumable: the same photos always make the same bytes, named by a strong
ETag, so a download that was cut goes on with `Range: bytes=<received>-` and
`If-Range: <etag>` (browsers and download managers do this by themselves), and only
the files from there on are read. If the gallery changed meanwhile, If-Range does
not match and the whole new archive comes instead: two archives are never spliced.
Several ranges in one request get the whole archive (config/http_ranges.py).
"""

import uuid
from collections.abc import Iterator

from django.db import connections
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config import http_ranges
from galleries.signed_urls import file_url
from sharing import analytics, gate, watermarked, zips
from sharing.models import ShareLink
from sharing.views.favourites import current_list
from sharing.views.gate import visitor_view

NO_DOWNLOADS = gettext_lazy("This gallery's link does not allow downloads.")
WEB_ONLY = gettext_lazy(
    "This gallery's link allows web-size downloads only, not originals."
)


def _text(message: str, response_class=HttpResponse) -> HttpResponse:
    return response_class(message, content_type="text/plain; charset=utf-8")


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


@require_safe
@never_cache
@visitor_view(downloading=True)
def photo_download(request: HttpRequest, link: ShareLink, photo) -> HttpResponse:
    photo = gate.visible_photo(link, photo)
    best = "original" if link.allows_original_downloads else "web"
    size = request.GET.get("size", best)
    if size not in {"web", "original"}:
        return _text(_('Ask for size "web" or "original".'), HttpResponseBadRequest)
    if not link.allows_web_downloads:
        return _text(NO_DOWNLOADS, HttpResponseForbidden)
    original = size == "original"
    if original and not link.allows_original_downloads:
        return _text(WEB_ONLY, HttpResponseForbidden)
    if not original and watermarked.is_preparing(link, photo):
        return _preparing()
    stored = zips.stored_file(
        photo, original=original, web=lambda shown: watermarked.web_file(link, shown)
    )
    if stored is None:
        raise Http404
    if request.method == "GET":
        analytics.count(link, "downloads")
    return redirect(
        file_url(stored[0], download_as=zips.photo_filename(photo, original=original))
    )


def _preparing(*, several: bool = False) -> HttpResponse:
    """409: a watermarked link's photo whose watermarked copy is not made yet."""
    if several:
        message = _(
            "Some of these photos are still being prepared with the studio's "
            "watermark. Try again in a few minutes."
        )
    else:
        message = _(
            "This photo is still being prepared with the studio's watermark. Try "
            "again in a minute."
        )
    response = _text(message)
    response.status_code = 409
    response["Retry-After"] = "60"
    return response


def _visitors_list(request: HttpRequest, link: ShareLink, list_id: str):
    """The favourites list this browser keeps on this link, or 404: never someone
    else's, even with its id."""
    favourite_list = current_list(request, link)
    if favourite_list is None or favourite_list.pk != _uuid(list_id):
        raise Http404
    return favourite_list


def _chosen_photos(request: HttpRequest, link: ShareLink) -> tuple[QuerySet, list]:
    """The photos ?set= and ?list= choose (every photo the link shows without them),
    and the names they add to the archive's filename."""
    photos = link.visible_photos().select_related("photo_set").only(*zips.PHOTO_FIELDS)
    named = []
    if "set" in request.GET:
        chosen = link.visible_sets().filter(pk=_uuid(request.GET["set"])).first()
        if chosen is None:
            raise Http404
        photos = photos.filter(photo_set=chosen)
        named.append(chosen.name)
    if "list" in request.GET:
        favourite_list = _visitors_list(request, link, request.GET["list"])
        photos = photos.filter(id__in=favourite_list.items.values("photo_id"))
        named.append("Favourites")
    return photos, named


@require_safe
@never_cache
@visitor_view(downloading=True)
def zip_download(request: HttpRequest, link: ShareLink) -> HttpResponse:
    """The whole gallery, ?set=<id> one set, or ?list=<id> the visitor's favourites."""
    if not link.allows_web_downloads:
        return _text(NO_DOWNLOADS, HttpResponseForbidden)
    photos, named = _chosen_photos(request, link)
    originals = link.allows_original_downloads
    photos = list(photos)
    if not originals and any(watermarked.is_preparing(link, p) for p in photos):
        # Never a ZIP short of photos, nor one with a photo without its watermark.
        return _preparing(several=True)
    files = zips.entries(
        photos, originals=originals, web=lambda shown: watermarked.web_file(link, shown)
    )
    if not files:
        return _text(
            _("There are no photos to download here yet."), HttpResponseNotFound
        )

    selection = [
        f"{key}={request.GET[key]}" for key in ("set", "list") if key in request.GET
    ]
    archive = zips.archive(
        files,
        identity="|".join(
            [str(link.pk), "original" if originals else "web", *selection]
        ),
    )
    filename = zips.archive_filename(link.gallery.title, *named)
    return _archive_response(request, link, archive, filename)


def _archive_response(
    request: HttpRequest, link: ShareLink, archive, filename: str
) -> HttpResponse:
    """The archive, whole or the range asked for (206), or only its headers: HEAD,
    304 for a tag the client has, 412 or 416 (config/http_ranges.py decides)."""
    answer = http_ranges.evaluate(request, etag=archive.etag, size=archive.size)
    if answer.status == 416:
        response = _text(_("That range is not inside this archive."))
        response.status_code = 416
    elif not answer.has_body or request.method == "HEAD":
        # Download managers ask first; answering must not read the whole gallery.
        response = HttpResponse(content_type="application/zip", status=answer.status)
        if answer.status == 304:  # the length a 200 would have (RFC 9110, 8.6)
            response["Content-Length"] = str(archive.size)
    else:
        if answer.start == 0:  # a resumed download is not another download
            analytics.count(link, "zip_downloads")
        response = StreamingHttpResponse(
            _without_database(archive.chunks(answer.start, answer.stop)),
            content_type="application/zip",
            status=answer.status,
        )
    for header, value in answer.headers.items():
        response[header] = value
    response["ETag"] = archive.etag
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # Ask a reverse proxy (nginx) to pass the stream on, not spool it to its disk.
    response["X-Accel-Buffering"] = "no"
    return response


def _without_database(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Stream without holding a database connection for the minutes a large ZIP takes:
    everything needed was read before the first byte."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
    yield from chunks
