"""A client's pages, API answers and emails in their gallery's language.

The language is the gallery's (`galleries.languages`), never the browser's: each door
of a link (sharing/views/gate.py, sharing/api/gate.py) renders its answer inside
`translation.override`, so the page, its error messages and its dates are in it, and
the photographer's pages around it stay in the site's language.
"""

from contextlib import contextmanager

from django.http import HttpResponse
from django.utils import translation

from galleries.languages import CODES, gallery_language


def link_language(link) -> str:
    """The language of a link's client pages (read with it by `ShareLink.objects.active_by_token`)."""
    language = getattr(link, "client_language", None)
    if language in CODES:
        return language
    return gallery_language(link.gallery)


@contextmanager
def speaking(link):
    """Everything inside is in `link`'s client language."""
    with translation.override(link_language(link)):
        yield


@contextmanager
def visit():
    """A request whose language `speak` sets once its link is known; the language
    before it is back afterwards, so a worker thread never carries it on."""
    with translation.override(translation.get_language()):
        yield


def speak(link) -> None:
    """The rest of this `visit` is in `link`'s client language."""
    translation.activate(link_language(link))


def labelled(response: HttpResponse) -> HttpResponse:
    """The response says which language it is in (it depends on the link alone)."""
    response.headers.setdefault("Content-Language", translation.get_language())
    return response
