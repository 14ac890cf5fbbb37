"""The client pages' script strings (locale/<lang>/LC_MESSAGES/djangojs.po) as
Django's JavaScript catalogue: `gettext`, `ngettext`, `interpolate` for
static/js/public.js, in the language of the page that loads it.

Its address names the language and the catalogue's version (`catalog_url`), so a
browser keeps it for a year and a new catalogue is a new address. A script from our
own origin: the pages' Content-Security-Policy (config/csp.py) needs nothing more.
"""

import functools
import hashlib

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

from galleries.languages import CODES

catalog_view = JavaScriptCatalog.as_view(domain="djangojs", packages=["sharing"])


@functools.cache
def catalog_version(language: str) -> str:
    """A short digest of the compiled catalogue (empty before it is compiled)."""
    digest = hashlib.sha256()
    for folder in settings.LOCALE_PATHS:
        path = folder / language / "LC_MESSAGES" / "djangojs.mo"
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def catalog_url(language: str) -> str:
    path = reverse("sharing:js_catalog", args=[language])
    return f"{path}?v={catalog_version(language)}"


@require_GET
@cache_control(public=True, max_age=365 * 24 * 3600, immutable=True)
def js_catalog(request: HttpRequest, language: str) -> HttpResponse:
    if language not in CODES:
        raise Http404
    with translation.override(language):
        response = catalog_view(request)
    response.headers["Content-Language"] = language
    return response
