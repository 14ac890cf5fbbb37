"""The photographer's side of sharing: links, their numbers, and the lists clients sent."""

import csv
import io
import os

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import (
    content_disposition_header,
    url_has_allowed_host_and_scheme,
)
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from galleries.ownership import owned_gallery
from sharing import activity, analytics, services, xmp
from sharing.forms import LinkForm
from sharing.models import FavouriteList, LinkDay, ShareLink

# The counters the links page shows for each link.
LINK_COUNTERS = ("views", "visitors", "downloads", "zip_downloads")


def _link_for(request: HttpRequest, pk) -> ShareLink:
    """The logged-in photographer's share link, or 404 for anyone else."""
    return get_object_or_404(
        ShareLink.objects.owned_by(request.user).select_related("gallery"), pk=pk
    )


def _list_for(request: HttpRequest, pk) -> FavouriteList:
    """A favourites list on one of the photographer's links, or 404 for anyone else."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        FavouriteList.objects.owned_by(request.user).select_related("link__gallery"),
        pk=pk,
    )


def public_url(request: HttpRequest, link: ShareLink) -> str:
    return request.build_absolute_uri(reverse("sharing:gallery", args=[link.token]))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return next_url
    return fallback


# --- Links ------------------------------------------------------------------------------


@login_required
@require_GET
def link_list(request: HttpRequest, pk) -> HttpResponse:
    gallery = owned_gallery(request, pk)
    links = list(
        gallery.share_links.annotate(list_count=Count("favourite_lists"))
        .prefetch_related("sets")
        .order_by("created_at")
    )
    # One grouped query for every link's numbers, however many links there are.
    sums = {
        row["link"]: row
        for row in LinkDay.objects.filter(link__gallery=gallery)
        .values("link")
        .annotate(**{name: Sum(name) for name in LINK_COUNTERS})
    }
    for link in links:
        link.url = public_url(request, link)
        link.totals = sums.get(link.pk) or dict.fromkeys(LINK_COUNTERS, 0)
    return render(
        request, "sharing/owner/link_list.html", {"gallery": gallery, "links": links}
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_create(request: HttpRequest, pk) -> HttpResponse:
    gallery = owned_gallery(request, pk)
    form = LinkForm(request.POST or None, gallery=gallery)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.link_create(gallery=gallery, **form.service_arguments())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"Link “{link.label}” is ready. Copy it below and send it to your client.",
            )
            return redirect("sharing:link_detail", pk=link.pk)
    return render(
        request, "sharing/owner/link_form.html", {"gallery": gallery, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_edit(request: HttpRequest, pk) -> HttpResponse:
    link = _link_for(request, pk)
    form = LinkForm(request.POST or None, gallery=link.gallery, link=link)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_update(link=link, **form.service_arguments())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Link “{link.label}” saved.")
            return redirect("sharing:link_detail", pk=link.pk)
    return render(
        request,
        "sharing/owner/link_form.html",
        {"gallery": link.gallery, "link": link, "form": form},
    )


@login_required
@require_GET
def link_detail(request: HttpRequest, pk) -> HttpResponse:
    link = _link_for(request, pk)
    days = analytics.daily(link)
    lists = link.favourite_lists.annotate(photo_count=Count("items")).order_by(
        F("submitted_at").desc(nulls_last=True), "-created_at"
    )
    return render(
        request,
        "sharing/owner/link_detail.html",
        {
            "gallery": link.gallery,
            "link": link,
            "url": public_url(request, link),
            "chart": _chart(days),
            "days": days,
            "totals": analytics.totals([link]),
            "lists": lists,
            "recipients": activity.rows(link),
        },
    )


@login_required
@require_POST
def link_toggle(request: HttpRequest, pk) -> HttpResponse:
    link = _link_for(request, pk)
    services.link_update(link=link, is_active=not link.is_active)
    if link.is_active:
        messages.success(request, f"“{link.label}” is active again.")
    else:
        messages.success(
            request, f"“{link.label}” is disabled: visitors now see “not found”."
        )
    return redirect(
        _safe_next(request, reverse("sharing:links", args=[link.gallery_id]))
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_delete(request: HttpRequest, pk) -> HttpResponse:
    link = _link_for(request, pk)
    if request.method == "POST":
        services.link_delete(link=link)
        messages.success(request, f"Link “{link.label}” deleted.")
        return redirect("sharing:links", pk=link.gallery_id)
    return render(
        request,
        "sharing/owner/link_delete.html",
        {
            "gallery": link.gallery,
            "link": link,
            "list_count": link.favourite_lists.count(),
        },
    )


@login_required
@require_GET
def link_qr(request: HttpRequest, pk) -> HttpResponse:
    """The link as a QR code, an SVG for the page and for print (?download=1)."""
    link = _link_for(request, pk)
    qr = segno.make(public_url(request, link), error="m")
    svg = io.BytesIO()
    qr.save(
        svg,
        kind="svg",
        scale=10,
        border=4,
        # A white background: phones can't read a dark code on a dark page.
        dark="#000000",
        light="#ffffff",
        title=f"{link.gallery.title}: {link.label}",
    )
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    if request.GET.get("download"):
        name = slugify(f"{link.gallery.title} {link.label}") or "share-link"
        response["Content-Disposition"] = content_disposition_header(
            True, f"{name}-qr.svg"
        )
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _chart(days: list[dict]) -> dict:
    """Bar geometry for the last days' views and visitors, drawn as inline SVG."""
    width, height, gap = 600, 160, 4
    top = max((day["views"] for day in days), default=0)
    scale = max(top, 1)
    slot = width / max(len(days), 1)
    today = analytics.today()
    bars = []
    for index, day in enumerate(days):
        views_h = round(day["views"] / scale * height, 1)
        visitors_h = round(min(day["visitors"], scale) / scale * height, 1)
        bars.append(
            {
                **day,
                "is_today": day["day"] == today,
                "x": round(index * slot + gap / 2, 1),
                "width": round(slot - gap, 1),
                "views_y": round(height - views_h, 1),
                "views_h": views_h,
                "visitors_y": round(height - visitors_h, 1),
                "visitors_h": visitors_h,
            }
        )
    return {
        "width": width,
        "height": height,
        "max": top,
        "bars": bars,
        "views": sum(day["views"] for day in days),
        "visitors": sum(day["visitors"] for day in days),
        "first": days[0]["day"] if days else None,
        "last": days[-1]["day"] if days else None,
    }


# --- Favourites lists -------------------------------------------------------------------


def _items(favourite_list: FavouriteList):
    """A list's photos in the gallery's order, the way the photographer browses it."""
    return favourite_list.items.in_gallery_order()


def _export_name(favourite_list: FavouriteList, suffix: str) -> str:
    gallery = favourite_list.link.gallery
    stem = slugify(f"{gallery.title} {favourite_list.name}", allow_unicode=True)
    return f"{stem or 'favourites'}-{suffix}"


def _without_extension(filename: str) -> str:
    return os.path.splitext(filename)[0]


@login_required
@require_GET
def list_detail(request: HttpRequest, pk) -> HttpResponse:
    favourite_list = _list_for(request, pk)
    items = list(_items(favourite_list))
    filenames = [item.photo.original_filename for item in items]
    return render(
        request,
        "sharing/owner/list_detail.html",
        {
            "gallery": favourite_list.link.gallery,
            "link": favourite_list.link,
            "list": favourite_list,
            "items": items,
            "lightroom": services.lightroom_filter(filenames),
            # Matches the RAW files in the catalogue as well as the JPEGs.
            "xmp_mappings": xmp.MAPPINGS,
            "xmp_default": xmp.DEFAULT_MAPPING,
            "lightroom_stems": services.lightroom_filter(
                _without_extension(name) for name in filenames
            ),
        },
    )


@login_required
@require_POST
def list_reopen(request: HttpRequest, pk) -> HttpResponse:
    favourite_list = _list_for(request, pk)
    services.list_reopen(favourite_list=favourite_list)
    messages.success(
        request,
        f"{favourite_list.name}'s list is open again: they can change it and send it anew.",
    )
    return redirect("sharing:list_detail", pk=favourite_list.pk)


@login_required
@require_http_methods(["GET", "POST"])
def list_delete(request: HttpRequest, pk) -> HttpResponse:
    favourite_list = _list_for(request, pk)
    gallery = favourite_list.link.gallery
    if request.method == "POST":
        services.list_delete(favourite_list=favourite_list)
        messages.success(request, f"{favourite_list.name}'s list was deleted.")
        return redirect("galleries:detail", pk=gallery.pk)
    return render(
        request,
        "sharing/owner/list_delete.html",
        {
            "gallery": gallery,
            "list": favourite_list,
            "photo_count": favourite_list.items.count(),
        },
    )


def _cell(value: str) -> str:
    # Notes are typed by visitors: never let a spreadsheet run them as formulas.
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


@login_required
@require_GET
def list_csv(request: HttpRequest, pk) -> HttpResponse:
    favourite_list = _list_for(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, _export_name(favourite_list, "favourites.csv")
    )
    # The byte-order mark tells Excel the file is UTF-8 (accents in names and notes).
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["filename", "set", "note", "hearted at", "photo id"])
    for item in _items(favourite_list):
        writer.writerow(
            [
                _cell(item.photo.original_filename),
                _cell(item.photo.photo_set.name),
                _cell(item.note),
                timezone.localtime(item.created_at).isoformat(timespec="seconds"),
                str(item.photo_id),
            ]
        )
    return response


@login_required
@require_GET
def list_lightroom(request: HttpRequest, pk) -> HttpResponse:
    favourite_list = _list_for(request, pk)
    text = services.lightroom_filter(
        item.photo.original_filename for item in _items(favourite_list)
    )
    response = HttpResponse(text + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, _export_name(favourite_list, "lightroom.txt")
    )
    return response


@login_required
@require_GET
def list_xmp(request: HttpRequest, pk) -> HttpResponse:
    """The list as XMP sidecars (a ZIP), each pick as the photographer chose."""
    favourite_list = _list_for(request, pk)
    mapping = request.GET.get("mapping", xmp.DEFAULT_MAPPING)
    if mapping not in xmp.MAPPINGS:
        return HttpResponseBadRequest(
            "Choose what a pick becomes: " + ", ".join(xmp.MAPPINGS) + ".",
            content_type="text/plain; charset=utf-8",
        )
    picks = [
        xmp.Pick(item.photo.original_filename, item.note)
        for item in _items(favourite_list)
    ]
    response = HttpResponse(
        xmp.sidecars_zip(picks, mapping), content_type="application/zip"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, _export_name(favourite_list, "xmp.zip")
    )
    return response
