"""The pages' door to the gate (`sharing.gate`): /s/<token>/ and everything below it.

`visitor_view` turns a token into the link, or answers for the link:
- missing or disabled: 404, the same page for both, so tokens can't be probed;
- expired: a friendly page with HTTP 410 that shows nothing of the photos;
- password not given in this browser session: off to the unlock page, and back after.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from sharing import branding, gate, language
from sharing.models import ShareLink


def visitor_view(
    view: Callable | None = None,
    *,
    with_gallery: bool = True,
    downloading: bool = False,
):
    """Call `view(request, link, ...)` only for a link this browser may look through.
    `@visitor_view(with_gallery=False)` for a view that shows nothing of the gallery
    itself (its title, studio): the link is read without them;
    `@visitor_view(downloading=True)` for a download, which a link may ask an email
    address for first."""

    def door(view):
        return _door(
            view, unlocked=True, with_gallery=with_gallery, downloading=downloading
        )

    return door if view is None else door(view)


def registration_page(view: Callable) -> Callable:
    """Call `view(request, link, ...)` for an unlocked link, registered or not: the
    page that asks for the visitor's email."""
    return _door(view, unlocked=True, registered=False)


def gate_page(view: Callable) -> Callable:
    """Call `view(request, link, ...)` for a link that is there and not expired, locked
    or not, and before any email it asks for (that page needs the password first):
    the page that asks for its password."""
    return _door(view, unlocked=False, registered=False)


def _door(
    view: Callable,
    *,
    unlocked: bool,
    with_gallery: bool = True,
    registered: bool = True,
    downloading: bool = False,
) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        # Every answer about a link is in its gallery's language (sharing/language.py).
        with language.visit():
            return language.labelled(answer(request, token, *args, **kwargs))

    def answer(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        try:
            link = gate.open_link(
                request,
                token,
                unlocked=unlocked,
                with_gallery=with_gallery,
                registered=registered,
                downloading=downloading,
            )
        except gate.LinkExpired as expired:
            language.speak(expired.link)
            unavailable = isinstance(expired, gate.LinkUnavailable)
            return expired_response(request, expired.link, unavailable=unavailable)
        except gate.Locked as locked:
            unlock_url = reverse("sharing:unlock", args=[locked.link.token])
            if request.method == "GET":
                unlock_url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(unlock_url)
        except gate.RegistrationRequired as required:
            return redirect(registration_url(request, required.link, downloading))
        language.speak(link)
        try:
            return view(request, link, *args, **kwargs)
        except Http404:
            # A page of the link asked for what is not in it: the studio's own
            # "not found". (A missing or disabled link stays the site's 404 above.)
            if request.method != "GET" or wants_json(request) or not with_gallery:
                raise
            return not_found_response(request, link)

    return wrapper


def expired_response(
    request: HttpRequest, link: ShareLink, *, unavailable: bool = False
) -> HttpResponse:
    """The studio's page for an expired link, or (`unavailable`) for a link to a
    gallery in the trash."""
    return render(
        request,
        "sharing/public/unavailable.html"
        if unavailable
        else "sharing/public/expired.html",
        {"gallery": link.gallery, **branding.client_context(link.gallery.owner)},
        status=410,
    )


def not_found_response(request: HttpRequest, link: ShareLink) -> HttpResponse:
    """What is not there under a link the visitor may open (a photo no longer in
    it, a set that went): the studio's page, not the site's."""
    return render(
        request,
        "sharing/public/not_found.html",
        {
            "link": link,
            "gallery": link.gallery,
            **branding.client_context(link.gallery.owner),
        },
        status=404,
    )


def registration_url(request: HttpRequest, link: ShareLink, downloading: bool) -> str:
    """The email form, then back: to the page asked for, or for a download, to the
    page it was asked from (the file is one click away again)."""
    back = request.get_full_path()
    if downloading or request.method != "GET":
        referer = urlsplit(request.headers.get("Referer", ""))
        back = referer.path + (f"?{referer.query}" if referer.query else "")
        if referer.netloc != request.get_host() or not back.startswith(link_url(link)):
            back = link_url(link)
    url = reverse("sharing:register", args=[link.token])
    return url + "?" + urlencode({"next": back})


def link_url(link: ShareLink) -> str:
    return reverse("sharing:gallery", args=[link.token])


def safe_next(request: HttpRequest, link: ShareLink, fallback: str = "") -> str:
    """Where to go back to: a page of this same link, never anywhere else."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    home = link_url(link)
    if target.startswith(home) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return fallback or home


def wants_json(request: HttpRequest) -> bool:
    """Our own script asks for JSON; a plain form post gets a page."""
    return "application/json" in request.headers.get("Accept", "")
