"""The API's door to the gate (`sharing.gate`, the pages' own): its answers as HTTP.

A missing or disabled link is 404, an expired one 410, a password link 401 until it is
unlocked. A browser's session unlock counts, so the browsable API works; an app sends
the signed token `POST .../unlock/` gave it as `X-Share-Access: <token>`. That token
only means something next to its link, so it is checked by `visitor_link` against the
link in the URL, not here in authentication.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

from sharing import gate, language
from sharing.models import ShareLink


class LinkExpired(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "expired"
    default_detail = _(
        "This gallery has expired. Please contact your photographer if you still "
        "need it."
    )


class LinkUnavailable(LinkExpired):
    default_code = "not_available"
    default_detail = _(
        "This gallery is not available. Please contact your photographer if you "
        "still need it."
    )


class PasswordRequired(exceptions.NotAuthenticated):
    """401, with nothing of the gallery: not even its title."""

    default_code = "password_required"
    default_detail = format_lazy(
        _(
            "This gallery is protected by a password. Unlock it with POST "
            ".../unlock/ and send the token it gives as the {header} header."
        ),
        header=gate.ACCESS_HEADER,
    )


class RegistrationRequired(exceptions.PermissionDenied):
    default_code = "registration_required"
    default_detail = _(
        "This gallery asks for your email address first. Give it with POST "
        ".../register/ and use the personal token it answers with."
    )


class TooManyPasswords(exceptions.Throttled):
    def __init__(self, error: gate.TooManyAttempts):
        # Throttled would append its own "Expected available in..." to our sentence.
        super().__init__(detail=str(error))
        self.wait = error.retry_after


class ShareAccessAuthentication(BaseAuthentication):
    """Names the X-Share-Access header for the schema and the 401 challenge.

    It never logs anyone in: visitors have no account, and what the token unlocks is
    one link, which `visitor_link` checks.
    """

    def authenticate(self, request: Request):
        return None

    def authenticate_header(self, request: Request) -> str:
        return 'ShareAccess realm="gallery"'


class ShareAccessScheme(OpenApiAuthenticationExtension):
    target_class = ShareAccessAuthentication
    name = "shareAccess"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": gate.ACCESS_HEADER,
            "description": (
                "Only for password-protected share links: the `access_token` from "
                "`POST /api/v1/share/{token}/unlock/`. It opens that one link for 30 "
                "days, and stops working as soon as the photographer changes or "
                "removes the password. Links without a password need nothing; a "
                "browser session that unlocked the link also works."
            ),
        }


class ShareRateThrottle(ScopedRateThrottle):
    """Per visitor address, counted the way the rest of sharing sees addresses."""

    def get_ident(self, request: Request) -> str:
        return gate.client_address(request)


def visitor_link(
    request: Request,
    token: str,
    *,
    unlocked: bool = True,
    with_gallery: bool = True,
    registered: bool = True,
) -> ShareLink:
    """The link a visitor may use (`sharing.gate.open_link`), or the API's 404 / 410 /
    401 / 403."""
    try:
        link = gate.open_link(
            request,
            token,
            unlocked=unlocked,
            with_gallery=with_gallery,
            registered=registered,
        )
    except gate.LinkUnavailable as unavailable:
        raise LinkUnavailable() from unavailable
    except gate.LinkExpired as expired:
        language.speak(expired.link)
        raise LinkExpired() from expired
    except (gate.Locked, gate.RegistrationRequired) as closed:
        language.speak(closed.link)
        if isinstance(closed, gate.Locked):
            raise PasswordRequired() from closed
        raise RegistrationRequired() from closed
    language.speak(link)
    return link
