"""The photographer's Trash page: what they deleted, to restore or delete for good."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_GET, require_POST

from galleries import trash
from galleries.models import Gallery, Photo

PHOTOS_PER_PAGE = 100


@login_required
@require_GET
def trash_page(request: HttpRequest) -> HttpResponse:
    galleries = (
        Gallery.objects.in_trash_of(request.user).with_stats().order_by("-trashed_at")
    )
    photos = (
        Photo.objects.in_trash_of(request.user)
        .select_related("gallery")
        .only("id", "original_filename", "size", "trashed_at", "gallery__title")
        .order_by("-trashed_at", "pk")
    )
    page = Paginator(photos, PHOTOS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "galleries/trash.html",
        {
            "galleries": galleries,
            "photos": page,
            "summary": trash.summary(request.user),
            "trash_days": settings.TRASH_RETENTION_DAYS,
        },
    )


def _trashed_gallery(request: HttpRequest, pk) -> Gallery:
    return get_object_or_404(Gallery.objects.in_trash_of(request.user), pk=pk)


@login_required
@require_POST
def gallery_restore(request: HttpRequest, pk) -> HttpResponse:
    gallery = _trashed_gallery(request, pk)
    trash.gallery_restore(gallery=gallery)
    messages.success(
        request,
        _("“%(title)s” is back, with its photos and share links.")
        % {"title": gallery.title},
    )
    return redirect("galleries:detail", pk=gallery.pk)


@login_required
@require_POST
def gallery_purge(request: HttpRequest, pk) -> HttpResponse:
    gallery = _trashed_gallery(request, pk)
    trash.gallery_purge(gallery=gallery)
    messages.success(
        request, _("“%(title)s” was deleted for good.") % {"title": gallery.title}
    )
    return redirect("galleries:trash")


#: What the Trash page says after restoring or deleting the ticked photos, by count.
PHOTOS_RESTORED = ngettext_lazy(
    "%(count)d photo is back in its gallery.",
    "%(count)d photos are back in their galleries.",
    "count",
)
PHOTOS_PURGED = ngettext_lazy(
    "%(count)d photo was deleted for good.",
    "%(count)d photos were deleted for good.",
    "count",
)


def _on_ticked_photos(request: HttpRequest, service, said) -> HttpResponse:
    """Run a trash service on the photos ticked on the Trash page, say how many it
    took (`said`, a plural message keyed on "count") and go back to the Trash."""
    count = service(owner=request.user, photo_ids=request.POST.getlist("photo"))
    messages.success(request, said % {"count": count})
    return redirect("galleries:trash")


@login_required
@require_POST
def photos_restore(request: HttpRequest) -> HttpResponse:
    return _on_ticked_photos(request, trash.photos_restore, PHOTOS_RESTORED)


@login_required
@require_POST
def photos_purge(request: HttpRequest) -> HttpResponse:
    return _on_ticked_photos(request, trash.photos_purge, PHOTOS_PURGED)


@login_required
@require_POST
def trash_empty(request: HttpRequest) -> HttpResponse:
    trash.trash_empty(owner=request.user)
    messages.success(request, _("The trash is empty."))
    return redirect("galleries:trash")
