"""The visitor's pages of email: the registration gate a link may ask for, and the
one-click unsubscribe every client email links to (sharing/client_mail.py)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sharing import client_mail, recipients
from sharing.models import ShareLink
from sharing.views.gate import link_url, registration_page, safe_next


def _personal(next_url: str, link: ShareLink, token: str) -> str:
    """`next_url`, a page of the link, on the personal address `token`."""
    return "/".join(["", "s", token, ""]) + next_url.removeprefix(link_url(link))


@require_http_methods(["GET", "POST"])
@registration_page
def register(request: HttpRequest, link: ShareLink) -> HttpResponse:
    next_url = safe_next(request, link)
    if not recipients.needs_registration(request, link, downloading=True):
        return redirect(next_url)
    error, status, email = "", 200, ""
    if request.method == "POST":
        email = request.POST.get("email", "")
        try:
            recipient = recipients.register(link=link, email=email)
        except ValidationError as refused:
            error, status = refused.message_dict["email"][0], 400
        else:
            return redirect(_personal(next_url, link, recipient.token))
    return render(
        request,
        "sharing/public/register.html",
        {
            "link": link,
            "gallery": link.gallery,
            "studio": link.gallery.owner.public_name,
            "downloading": link.registration == ShareLink.Registration.DOWNLOAD,
            "next": next_url,
            "email": email,
            "error": error,
        },
        status=status,
    )


# A mail client's one-click POST (RFC 8058) carries no CSRF token, and needs none:
# the signed URL itself is the proof, and unsubscribing is all it can do.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    signed = client_mail.read_unsubscribe_token(token)
    owner = signed and get_user_model().objects.filter(pk=signed[0]).first()
    if not owner:
        raise Http404
    email = signed[1]
    done = request.method == "POST"
    if done:
        client_mail.unsubscribe(owner=owner, email=email)
    response = render(
        request,
        "sharing/public/unsubscribe.html",
        {
            "studio": client_mail.brand_name(owner),
            "email": email,
            "done": done,
            "title": _("Unsubscribed") if done else _("Unsubscribe"),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response
