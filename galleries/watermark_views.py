"""The photographer's Watermark page: the studio watermark's settings and image."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from galleries import watermarks
from galleries.models import Photo
from galleries.signed_urls import file_url
from galleries.watermark_forms import WatermarkForm, WatermarkImageForm


def _page(request: HttpRequest, form: WatermarkForm, image_form=None) -> HttpResponse:
    row = watermarks.watermark_of(request.user)
    return render(
        request,
        "galleries/watermark.html",
        {
            "form": form,
            "image_form": image_form or WatermarkImageForm(),
            "watermark": row,
            "image_url": file_url(row.image) if row.image else "",
            "progress": Photo.objects.owned_by(request.user)
            .wanting_watermark()
            .watermark_progress(row.version if row.pk and row.is_set else ""),
        },
        status=400 if request.method == "POST" else 200,
    )


def _add_errors(form, error: ValidationError, *, into: str | None = None) -> None:
    for field, problems in error.message_dict.items():
        target = into or (field if field in form.fields else None)
        for problem in problems:
            form.add_error(target, problem)


@login_required
@require_http_methods(["GET", "POST"])
def watermark_page(request: HttpRequest) -> HttpResponse:
    form = WatermarkForm(
        request.POST or None, instance=watermarks.watermark_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            watermarks.watermark_update(owner=request.user, **form.settings())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your watermark is saved. The photos of your watermarked links "
                    "are being made again."
                ),
            )
            return redirect("galleries:watermark")
    return _page(request, form)


@login_required
@require_POST
def watermark_image_upload(request: HttpRequest) -> HttpResponse:
    form = WatermarkImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            watermarks.watermark_image_set(
                owner=request.user, upload=form.cleaned_data["image"]
            )
        except ValidationError as error:
            _add_errors(form, error, into="image")
        else:
            messages.success(request, _("Your watermark image is saved."))
            return redirect("galleries:watermark")
    settings_form = WatermarkForm(instance=watermarks.watermark_of(request.user))
    return _page(request, settings_form, image_form=form)


@login_required
@require_POST
def watermark_image_remove(request: HttpRequest) -> HttpResponse:
    watermarks.watermark_image_remove(owner=request.user)
    messages.success(request, _("The watermark image is removed."))
    return redirect("galleries:watermark")
