import hashlib
import mimetypes
import os
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.forms.models import model_to_dict
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import (
    content_disposition_header,
    url_has_allowed_host_and_scheme,
)
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from config import http_ranges
from galleries import attention, gallery_page, services, trash
from galleries.filenames import download_name
from galleries.filestore import read_range
from galleries.forms import (
    DASHBOARD_ORDER,
    DashboardFilterForm,
    GalleryForm,
    SetForm,
    SortForm,
)
from galleries.models import Gallery, GallerySet, Photo
from galleries.ownership import owned_gallery, owned_photo
from galleries.signed_urls import file_url, read_token, warm_urls


def gallery_url(gallery: Gallery) -> str:
    return reverse("galleries:detail", args=[gallery.pk])


def _set_for(gallery: Gallery, pk) -> GallerySet:
    return get_object_or_404(gallery.sets, pk=pk)


def _error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = DashboardFilterForm(request.GET or None)
    galleries = (
        Gallery.objects.owned_by(request.user)
        .with_stats()
        .select_related("cover")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=Photo.objects.ready().alive().order_by("position")[:1],
                to_attr="first_photos",
            )
        )
    )
    sort = "recent"
    if filters.is_valid():
        if query := filters.cleaned_data["q"]:
            galleries = galleries.filter(title__icontains=query)
        sort = filters.cleaned_data["sort"] or sort
    galleries = galleries.order_by(DASHBOARD_ORDER[sort][0], "-created_at")
    return render(
        request,
        "galleries/dashboard.html",
        {"galleries": galleries, "filters": filters, "sort": sort},
    )


@login_required
@require_http_methods(["GET", "POST"])
def gallery_create(request: HttpRequest) -> HttpResponse:
    form = GalleryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        gallery = services.gallery_create(owner=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("“%(title)s” is ready for photos.") % {"title": gallery.title},
        )
        return redirect("galleries:detail", pk=gallery.pk)
    return render(request, "galleries/gallery_form.html", {"form": form})


@login_required
@require_GET
def gallery_detail(request: HttpRequest, pk) -> HttpResponse:
    gallery = get_object_or_404(
        Gallery.objects.owned_by(request.user).with_attention_count(), pk=pk
    )
    sets = list(gallery.sets.all())
    current_set = _chosen_set(sets, request.GET.get("set"))
    page = gallery_page.build(
        gallery_page.GalleryPage(
            request, gallery, photos=gallery.photos.in_owner_grid(current_set)
        )
    )
    photos = list(page.photos)
    warm_urls(photos)
    return render(
        request,
        "galleries/gallery_detail.html",
        {
            "gallery": gallery,
            "sets": sets,
            "current_set": current_set,
            "photos": photos,
            **page.template_context(),
            **_grid_tools(),
        },
    )


def _grid_tools() -> dict:
    """The forms around the owner's grid: sorting, a new set, and the upload limit."""
    return {
        "sort_form": SortForm(),
        "set_form": SetForm(),
        "upload_limit": settings.PHOTO_MAX_UPLOAD_BYTES,
    }


def _chosen_set(sets: list[GallerySet], set_id: str | None) -> GallerySet | None:
    """The set ?set= names (404 for one not of this gallery), or None for all."""
    if not set_id:
        return None
    chosen = next((s for s in sets if str(s.pk) == set_id), None)
    if chosen is None:
        raise Http404
    return chosen


@login_required
@require_http_methods(["GET", "POST"])
def gallery_edit(request: HttpRequest, pk) -> HttpResponse:
    gallery = owned_gallery(request, pk)
    # Not bound to the instance: the service, not the form, changes the gallery.
    form = GalleryForm(
        request.POST or None,
        initial=model_to_dict(gallery, fields=GalleryForm.Meta.fields),
    )
    if request.method == "POST" and form.is_valid():
        services.gallery_update(gallery=gallery, **form.cleaned_data)
        messages.success(request, _("Gallery saved."))
        return redirect("galleries:detail", pk=gallery.pk)
    return render(
        request, "galleries/gallery_form.html", {"form": form, "gallery": gallery}
    )


@login_required
@require_http_methods(["GET", "POST"])
def gallery_delete(request: HttpRequest, pk) -> HttpResponse:
    gallery = owned_gallery(request, pk)
    if request.method == "POST":
        trash.gallery_trash(gallery=gallery)
        messages.success(
            request,
            _(
                "“%(title)s” was moved to the trash. You can restore it for %(days)d days."
            )
            % {"title": gallery.title, "days": settings.TRASH_RETENTION_DAYS},
        )
        return redirect("galleries:dashboard")
    count = gallery.photos.visible_to_owner().count()
    return render(
        request,
        "galleries/gallery_delete.html",
        {
            "gallery": gallery,
            "photo_count": count,
            "trash_days": settings.TRASH_RETENTION_DAYS,
        },
    )


@login_required
@require_POST
def set_create(request: HttpRequest, pk) -> HttpResponse:
    gallery = owned_gallery(request, pk)
    form = SetForm(request.POST)
    if form.is_valid():
        photo_set = services.set_create(gallery=gallery, name=form.cleaned_data["name"])
        messages.success(request, f"Set “{photo_set.name}” added.")
    else:
        messages.error(request, "A set needs a name.")
    return redirect("galleries:detail", pk=gallery.pk)


@login_required
@require_POST
def set_rename(request: HttpRequest, pk, set_pk) -> HttpResponse:
    gallery = owned_gallery(request, pk)
    form = SetForm(request.POST)
    if form.is_valid():
        services.set_rename(
            photo_set=_set_for(gallery, set_pk), name=form.cleaned_data["name"]
        )
    return redirect(f"{gallery_url(gallery)}?set={set_pk}")


@login_required
@require_POST
def set_move(request: HttpRequest, pk, set_pk) -> HttpResponse:
    """Move a set one place earlier or later."""
    gallery = owned_gallery(request, pk)
    ids = [str(s) for s in gallery.sets.values_list("pk", flat=True)]
    index = ids.index(str(_set_for(gallery, set_pk).pk))
    target = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
        services.sets_reorder(gallery=gallery, set_ids=ids)
    return redirect("galleries:detail", pk=gallery.pk)


@login_required
@require_POST
def set_delete(request: HttpRequest, pk, set_pk) -> HttpResponse:
    gallery = owned_gallery(request, pk)
    photo_set = _set_for(gallery, set_pk)
    try:
        services.set_delete(photo_set=photo_set)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(
            request, f"Set “{photo_set.name}” and its photos were deleted."
        )
    return redirect("galleries:detail", pk=gallery.pk)


@login_required
@require_POST
def photos_action(request: HttpRequest, pk) -> HttpResponse:
    """The grid's bulk actions on the selected photos: delete, move, make cover."""
    gallery = owned_gallery(request, pk)
    ids = request.POST.getlist("photo")
    action = _PHOTO_ACTIONS.get(request.POST.get("action"))
    try:
        if not ids:
            raise ValidationError("Select some photos first.")
        if action is None:
            raise ValidationError("Unknown action.")
        messages.success(request, action(gallery, ids, request.POST))
    except ValidationError as error:
        messages.error(request, _error_message(error))
    return redirect(_next_url(request, gallery_url(gallery)))


def _photos(count: int) -> str:
    return f"{count} photo{'s' * (count != 1)}"


def _delete_photos(gallery: Gallery, ids: list[str], form) -> str:
    count = trash.photos_trash(gallery=gallery, photo_ids=ids)
    return _("Moved %(photos)s to the trash.") % {"photos": _photos(count)}


def _move_photos(gallery: Gallery, ids: list[str], form) -> str:
    to_set = _set_for(gallery, form.get("set"))
    count = services.photos_move(gallery=gallery, photo_ids=ids, to_set=to_set)
    return f"Moved {_photos(count)} to {to_set}."


def _make_cover(gallery: Gallery, ids: list[str], form) -> str:
    """The first photo selected becomes the cover."""
    services.gallery_set_cover(
        gallery=gallery, photo=get_object_or_404(gallery.photos.alive(), pk=ids[0])
    )
    return "Cover photo set."


_PHOTO_ACTIONS = {"delete": _delete_photos, "move": _move_photos, "cover": _make_cover}


@login_required
@require_POST
def photos_sort(request: HttpRequest, pk) -> HttpResponse:
    gallery = owned_gallery(request, pk)
    form = SortForm(request.POST)
    if form.is_valid():
        services.photos_sort(gallery=gallery, key=form.cleaned_data["key"])
        messages.success(request, "Photos sorted.")
    return redirect("galleries:detail", pk=gallery.pk)


def _next_url(request: HttpRequest, default: str) -> str:
    """Where a form asked to go back to, if it is on this site."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return default


ATTENTION_PAGE_SIZE = 100


@login_required
@require_GET
def attention_list(request: HttpRequest, pk) -> HttpResponse:
    """The uploads that did not become photos, each with its reason and what helps."""
    gallery = owned_gallery(request, pk)
    problems = gallery.photos.needing_attention().order_by("-uploaded_at", "pk")
    page = Paginator(problems, ATTENTION_PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = {
        row["status"]: row["n"]
        for row in gallery.photos.needing_attention()
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return render(
        request,
        "galleries/attention.html",
        {
            "gallery": gallery,
            "page": page,
            "failed_count": statuses.get(Photo.Status.FAILED, 0),
            "rejected_count": statuses.get(Photo.Status.REJECTED, 0),
        },
    )


@login_required
@require_POST
def attention_action(request: HttpRequest, pk) -> HttpResponse:
    """Retry every failed photo, or dismiss every refused file, of a gallery."""
    gallery = owned_gallery(request, pk)
    action = request.POST.get("action")
    if action == "retry_failed":
        count = attention.retry_failed(gallery=gallery)
        messages.info(request, f"Processing {count} photo{'s' * (count != 1)} again.")
    elif action == "dismiss_rejected":
        count = attention.dismiss_rejected(gallery=gallery)
        messages.success(
            request, f"Dismissed {count} refused file{'s' * (count != 1)}."
        )
    else:
        messages.error(request, "Unknown action.")
    return redirect("galleries:attention", pk=gallery.pk)


@login_required
@require_POST
def photo_retry(request: HttpRequest, pk) -> HttpResponse:
    photo = owned_photo(request, pk)
    try:
        attention.retry(photo=photo)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.info(request, f"Processing {photo.original_filename} again.")
    return redirect(_next_url(request, gallery_url(photo.gallery)))


@login_required
@require_POST
def photo_dismiss(request: HttpRequest, pk) -> HttpResponse:
    photo = owned_photo(request, pk)
    try:
        attention.dismiss(photo=photo)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(request, f"Dismissed {photo.original_filename}.")
    return redirect(
        _next_url(request, reverse("galleries:attention", args=[photo.gallery_id]))
    )


@login_required
@require_GET
def photo_original(request: HttpRequest, pk) -> HttpResponse:
    photo = get_object_or_404(
        Photo.objects.owned_by(request.user).exclude(original=""), pk=pk
    )
    return redirect(
        file_url(
            photo.original.name, download_as=download_name(photo.original_filename)
        )
    )


@require_safe
def serve_file(request: HttpRequest, token: str, filename: str) -> HttpResponse:
    """Local storage only: a file whose signed URL someone was given.

    A download that was cut resumes with Range (206), as it would from S3.
    """
    granted = read_token(token, filename)
    if granted is None or settings.USE_S3:
        raise Http404
    name, download_as = granted
    if _in_trash(name):
        # A URL signed before its photo (or gallery) went to the trash opens nothing.
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    stat = os.fstat(handle.fileno())
    etag = _etag(name, stat)
    answer = http_ranges.evaluate(request, etag=etag, size=stat.st_size)
    response = _file_response(request, handle, answer, name, stat.st_size, download_as)
    for header, value in answer.headers.items():
        response[header] = value
    response["ETag"] = etag
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _in_trash(name: str) -> bool:
    """True for a file of a photo that is in the trash, or no longer there."""
    parts = name.split("/")
    # photos/<gallery>/<photo>/<file>, or .../wm-<version>/<file> (watermarked).
    if len(parts) < 4 or parts[0] != "photos":
        return False
    try:
        gallery_id, photo_id = uuid.UUID(parts[1]), uuid.UUID(parts[2])
    except ValueError:
        return False  # not a photo's folder: its signature alone decides
    return not Photo.objects.alive().filter(pk=photo_id, gallery_id=gallery_id).exists()


def _etag(name: str, stat: os.stat_result) -> str:
    """A strong tag that changes whenever the file is written again."""
    tag = hashlib.blake2b(
        f"{name}|{stat.st_size}|{stat.st_mtime_ns}".encode(), digest_size=16
    )
    return f'"{tag.hexdigest()}"'


def _file_response(
    request: HttpRequest,
    handle,
    answer: http_ranges.Answer,
    name: str,
    size: int,
    download_as: str,
) -> HttpResponse:
    """The whole file (200), the range asked for (206), or only the status that
    config/http_ranges.py decided (HEAD, 304, 412, 416)."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if answer.status == 200:
        return FileResponse(
            handle,
            as_attachment=bool(download_as),
            filename=download_as or "",
            content_type=content_type,
        )
    handle.close()
    response = HttpResponse(status=answer.status, content_type=content_type)
    if answer.status == 206 and request.method == "GET":
        response = StreamingHttpResponse(
            read_range(name, answer.start, answer.stop - answer.start, size=size),
            status=206,
            content_type=content_type,
        )
    if download_as:
        response["Content-Disposition"] = content_disposition_header(True, download_as)
    return response
