"""The owner's Design page of a gallery, and its live preview (an iframe on the page).

The preview is a page of its own, for the gallery's owner only: the gallery's cover
and first photos drawn with the client page's stylesheets and markup classes, in the
design given by its query (the form's values, as the page's script changes them;
anything invalid falls back to what is saved). It never saves anything."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_safe

from galleries import brand, design, pictures
from galleries.design_forms import DesignForm
from galleries.ownership import owned_gallery

#: Photos the preview's grid shows: enough for a few rows on a wide screen.
PREVIEW_PHOTOS = 24


@login_required
@require_http_methods(["GET", "POST"])
def design_page(request: HttpRequest, pk) -> HttpResponse:
    gallery = owned_gallery(request, pk)
    form = DesignForm(request.POST or None, instance=gallery)
    if request.method == "POST" and form.is_valid():
        try:
            design.design_update(gallery=gallery, **form.settings())
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("The design is saved."))
            return redirect("galleries:design", pk=gallery.pk)
    cover = gallery.display_cover
    return render(
        request,
        "galleries/design.html",
        {
            "gallery": gallery,
            "form": form,
            "cover": cover,
            "cover_picture": pictures.picture(cover, pictures.LARGE) if cover else None,
            "preview_url": reverse("galleries:design_preview", args=[gallery.pk]),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def design_preview(request: HttpRequest, pk) -> HttpResponse:
    gallery = owned_gallery(request, pk)
    shown = design.previewed(design.design_of(gallery), request.GET)
    cover = gallery.display_cover if shown.has_cover else None
    photos = list(gallery.photos.ready().in_gallery_order()[:PREVIEW_PHOTOS])
    tiles = [
        {
            "photo": photo,
            "ratio": f"{photo.aspect_ratio:.4f}",
            "picture": pictures.picture(photo, pictures.GRID),
        }
        for photo in photos
    ]
    owner_brand = brand.brand_for(request.user)
    return render(
        request,
        "galleries/design_preview.html",
        {
            "gallery": gallery,
            "design": shown,
            "brand": owner_brand,
            "studio": owner_brand.studio_name,
            "cover": cover,
            "cover_picture": pictures.picture(cover, pictures.HERO) if cover else None,
            "tiles": tiles,
        },
    )
