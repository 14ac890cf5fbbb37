"""Proofing: a visitor's favourites list, from a heart in the grid to the list sent.

A visitor's list lives in their browser session (one list per link and browser, so
the couple and the parents keep their own), and can be resumed anywhere through the
private link mailed when they start it. Every form works without JavaScript; the
script posts the same forms and asks for JSON.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from galleries import pictures
from sharing import branding, gate, services, watermarked
from sharing.models import FavouriteList, ShareLink
from sharing.views.gate import link_url, safe_next, visitor_view, wants_json

SESSION_KEY = "favourite_lists"


# --- The list this browser keeps --------------------------------------------------------


def current_list(request: HttpRequest, link: ShareLink) -> FavouriteList | None:
    token = request.session.get(SESSION_KEY, {}).get(str(link.id))
    return FavouriteList.objects.kept_on(link, token) if token else None


def remember_list(
    request: HttpRequest, link: ShareLink, favourite_list: FavouriteList
) -> None:
    lists = request.session.get(SESSION_KEY, {})
    lists[str(link.id)] = favourite_list.token
    request.session[SESSION_KEY] = lists


def favourites_state(request: HttpRequest, link: ShareLink) -> dict:
    """What the pages show of this browser's list: the bar, the hearts."""
    favourite_list = current_list(request, link) if link.favourites_enabled else None
    hearted = set()
    if favourite_list is not None:
        # Every heart counts, as it does against the limit, even one on a photo the
        # photographer has since hidden.
        hearted = set(favourite_list.items.values_list("photo_id", flat=True))
    limit = link.favourites_limit
    return {
        "enabled": link.favourites_enabled,
        "list": favourite_list,
        "hearted": hearted,
        "count": len(hearted),
        "limit": limit,
        "at_limit": limit is not None and len(hearted) >= limit,
        "submitted": bool(favourite_list and favourite_list.is_submitted),
        "require_email": link.favourites_require_email,
    }


def _enabled(view):
    """404 for a link whose favourites are off: nothing to start, heart or send."""

    @wraps(view)
    def wrapper(request, link, *args, **kwargs):
        if not link.favourites_enabled:
            raise Http404
        return view(request, link, *args, **kwargs)

    return wrapper


def _page(link: ShareLink) -> dict:
    """What every favourites page shows of the gallery it belongs to."""
    return {
        "link": link,
        "gallery": link.gallery,
        **branding.client_context(link.gallery.owner),
        **branding.design_context(link.gallery),
    }


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _bar_html(request: HttpRequest, link: ShareLink) -> str:
    return render_to_string(
        "sharing/public/_favourites_bar.html",
        {"link": link, "favourites": favourites_state(request, link)},
        request=request,
    )


def _json_state(request: HttpRequest, link: ShareLink, **extra) -> dict:
    state = favourites_state(request, link)
    return {
        "count": state["count"],
        "limit": state["limit"],
        "error": "",
        "bar": _bar_html(request, link),
        **extra,
    }


# --- Pages and forms --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@visitor_view
@_enabled
def start(request: HttpRequest, link: ShareLink) -> HttpResponse:
    """Start a list by saying who you are; "someone else" starts another one."""
    photo_id = request.POST.get("photo") or request.GET.get("photo") or ""
    if request.method != "POST":
        return _start_page(request, link, photo_id)
    values = {key: request.POST.get(key, "").strip() for key in ("name", "email")}
    try:
        favourite_list, heart_error = services.list_start_from_heart(
            link=link, photo_id=photo_id, **values
        )
    except ValidationError as error:
        errors = _form_errors(error)
        if wants_json(request):
            return _json_errors(errors)
        return _start_page(request, link, photo_id, values=values, errors=errors)
    remember_list(request, link, favourite_list)
    return _started(request, link, favourite_list, photo_id, heart_error)


def _start_page(
    request: HttpRequest,
    link: ShareLink,
    photo_id: str,
    values: dict | None = None,
    errors: dict | None = None,
) -> HttpResponse:
    return render(
        request,
        "sharing/public/favourites_start.html",
        {
            **_page(link),
            "favourites": favourites_state(request, link),
            "values": values or {"name": "", "email": ""},
            "errors": errors or {},
            "photo_id": photo_id,
            "next": safe_next(request, link),
        },
        status=400 if errors else 200,
    )


def _form_errors(error: ValidationError) -> dict[str, list[str]]:
    """The refusal by field ("name", "email"), and under "form" what is not one's."""
    errors = dict(error.message_dict) if hasattr(error, "error_dict") else {}
    if not errors or "__all__" in errors:
        errors["form"] = errors.pop("__all__", error.messages)
    return errors


def _json_errors(errors: dict[str, list[str]]) -> JsonResponse:
    text = " ".join(message for texts in errors.values() for message in texts)
    return JsonResponse({"error": text, "errors": errors}, status=400)


def _started(
    request: HttpRequest,
    link: ShareLink,
    favourite_list: FavouriteList,
    photo_id: str,
    heart_error: str,
) -> HttpResponse:
    """The list has started: say hello, and go back where the visitor was."""
    if wants_json(request):
        hearted = bool(photo_id) and not heart_error
        return JsonResponse(
            _json_state(request, link, error=heart_error, hearted=hearted)
        )
    messages.success(
        request,
        _("Hello %(name)s! Tap the heart on the photos you love.")
        % {"name": favourite_list.name},
    )
    if heart_error:
        messages.error(request, heart_error)
    next_url = safe_next(request, link)
    if photo_id and "#" not in next_url and "/p/" not in next_url:
        next_url += f"#p-{photo_id}"
    return redirect(next_url)


@require_POST
@visitor_view
@_enabled
def toggle(request: HttpRequest, link: ShareLink, photo) -> HttpResponse:
    """Heart or un-heart a photo. `hearted=1`/`0` says which, so a double submit
    can't undo itself; without it, the heart flips."""
    photo = gate.visible_photo(link, photo)
    favourite_list = current_list(request, link)
    back = _back_to(request, link, photo.pk)
    if favourite_list is None:
        return _who_first(request, link, photo, back)
    hearted, error = services.favourite_toggle(
        favourite_list=favourite_list,
        photo=photo,
        hearted={"1": True, "0": False}.get(request.POST.get("hearted")),
    )
    if wants_json(request):
        return JsonResponse(
            _json_state(request, link, hearted=hearted, error=error),
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect(back)


def _who_first(request: HttpRequest, link: ShareLink, photo, back: str) -> HttpResponse:
    """A heart before the list has a name: off to start it, and back here after."""
    start_url = reverse("sharing:favourites_start", args=[link.token])
    start_url += "?" + urlencode({"photo": photo.pk, "next": back})
    if wants_json(request):
        return JsonResponse(
            {"error": _("Tell us who you are first."), "start": start_url}, status=409
        )
    return redirect(start_url)


def _back_to(request: HttpRequest, link: ShareLink, photo_id) -> str:
    """The page the form was on (its `next`, else the page it came from), at the
    photo's tile so the visitor is where they were."""
    explicit = request.POST.get("next")
    if explicit:
        return safe_next(request, link)
    referer = request.headers.get("Referer", "")
    origin = f"{request.scheme}://{request.get_host()}"
    path = referer.removeprefix(origin).split("#")[0]
    if referer.startswith(origin) and path.startswith(link_url(link)):
        return f"{path}#p-{photo_id}"
    return f"{link_url(link)}#p-{photo_id}"


@require_POST
@visitor_view
@_enabled
def note(request: HttpRequest, link: ShareLink, photo) -> HttpResponse:
    photo = gate.visible_photo(link, photo)
    favourite_list = current_list(request, link)
    if favourite_list is None:
        raise Http404
    text = request.POST.get("note", "")
    error = ""
    try:
        services.favourite_note(favourite_list=favourite_list, photo=photo, note=text)
    except ValidationError as refused:
        error = _message(refused)
    if wants_json(request):
        return JsonResponse(
            {"note": text.strip()[:500], "error": error}, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Note saved."))
    return redirect(_back_to(request, link, photo.pk))


@require_GET
@visitor_view
@_enabled
def my_list(request: HttpRequest, link: ShareLink) -> HttpResponse:
    """The visitor's chosen photos with their notes, and the button to send them."""
    state = favourites_state(request, link)
    favourite_list = state["list"]
    items = list(favourite_list.items.shown_by(link)) if favourite_list else []
    for item in items:
        item.picture = pictures.picture(
            watermarked.as_grid(link, item.photo), pictures.GRID
        )
        item.url = reverse("sharing:photo", args=[link.token, item.photo_id])
    zip_url = ""
    if items and link.allows_web_downloads:
        zip_url = (
            reverse("sharing:zip", args=[link.token]) + f"?list={favourite_list.pk}"
        )
    return render(
        request,
        "sharing/public/favourites.html",
        {**_page(link), "favourites": state, "items": items, "zip_url": zip_url},
    )


@require_POST
@visitor_view
@_enabled
def submit(request: HttpRequest, link: ShareLink) -> HttpResponse:
    favourite_list = current_list(request, link)
    my_list_url = reverse("sharing:favourites", args=[link.token])
    if favourite_list is None:
        return redirect(my_list_url)
    try:
        services.list_submit(favourite_list=favourite_list)
    except ValidationError as refused:
        messages.error(request, _message(refused))
    else:
        messages.success(
            request,
            f"Thank you, {favourite_list.name}! "
            f"{link.gallery.owner.public_name} has your favourites.",
        )
    return redirect(my_list_url)


@require_GET
@visitor_view
@_enabled
def resume(request: HttpRequest, link: ShareLink, list_token: str) -> HttpResponse:
    """The private link from the email: this browser carries on with that list."""
    favourite_list = FavouriteList.objects.kept_on(link, list_token)
    if favourite_list is None:
        raise Http404
    remember_list(request, link, favourite_list)
    messages.success(
        request, _("Welcome back, %(name)s.") % {"name": favourite_list.name}
    )
    return redirect(link_url(link))
