"""The photographer's Brand page, and the public address of a studio's logo."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from galleries import brand
from galleries.brand_forms import BrandForm, LogoForm


def _page(request: HttpRequest, form: BrandForm, logo_form=None, dark_form=None):
    return render(
        request,
        "galleries/brand.html",
        {
            "form": form,
            "logo_form": logo_form or LogoForm(prefix="light"),
            "dark_form": dark_form or LogoForm(prefix="dark", initial={"dark": True}),
            "brand": brand.brand_for(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _add_errors(form, error: ValidationError, *, into: str | None = None) -> None:
    for field, problems in error.message_dict.items():
        target = into or (field if field in form.fields else None)
        for problem in problems:
            form.add_error(target, problem)


def _is_dark(variant: str) -> bool:
    if variant not in ("light", "dark"):
        raise Http404
    return variant == "dark"


@login_required
@require_http_methods(["GET", "POST"])
def brand_page(request: HttpRequest) -> HttpResponse:
    current = brand.brand_of(request.user)
    form = BrandForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            brand.brand_update(owner=request.user, **form.settings())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your brand is saved."))
            return redirect("galleries:brand")
    return _page(request, form)


@login_required
@require_POST
def brand_logo_upload(request: HttpRequest, variant: str) -> HttpResponse:
    dark = _is_dark(variant)
    form = LogoForm(request.POST, request.FILES, prefix=variant)
    if form.is_valid():
        try:
            brand.logo_set(
                owner=request.user, upload=form.cleaned_data["logo"], dark=dark
            )
        except ValidationError as error:
            _add_errors(form, error, into="logo")
        else:
            messages.success(request, _("Your logo is saved."))
            return redirect("galleries:brand")
    settings_form = BrandForm(instance=brand.brand_of(request.user))
    if dark:
        return _page(request, settings_form, dark_form=form)
    return _page(request, settings_form, logo_form=form)


@login_required
@require_POST
def brand_logo_remove(request: HttpRequest, variant: str) -> HttpResponse:
    brand.logo_remove(owner=request.user, dark=_is_dark(variant))
    messages.success(request, _("The logo is removed."))
    return redirect("galleries:brand")


@require_safe
def brand_logo(request: HttpRequest, owner_id: int, filename: str) -> HttpResponse:
    """A studio's logo, for anyone: it is on the gate and in emails. Its name is its
    content's hash, so it is cached for good."""
    name = brand.logo_file(owner_id, filename)
    if name is None:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
