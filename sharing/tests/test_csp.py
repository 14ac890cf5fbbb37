"""Every page is sent with a strict Content-Security-Policy, and runs under it.

Scripts run only from the site's own files or inline with the request's nonce, so a
script someone manages to inject into a page never runs. The pages a person can open
are checked here as rendered: the header, and that every inline script or style they
hold carries the nonce the header names (a script without it would simply not run).
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory
from sharing.tests.factories import ShareLinkFactory

#: Script types a browser runs; any other `type` (JSON data, templates) is inert.
_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


class _Inline(HTMLParser):
    """Collects a page's inline scripts and styles, and its `on...=` attributes."""

    def __init__(self):
        super().__init__()
        self.inline = []  # (tag, nonce or None)
        self.handlers = []  # (tag, attribute)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [(tag, name) for name in attrs if name.startswith("on")]
        if tag == "style" or (
            tag == "script"
            and "src" not in attrs
            and (attrs.get("type") or "").lower() in _SCRIPT_TYPES
        ):
            self.inline.append((tag, attrs.get("nonce")))


def _parse(response) -> _Inline:
    page = _Inline()
    page.feed(response.content.decode())
    return page


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (
            part.split() for part in header.split(";") if part.strip()
        )
    }


def _nonce(response) -> str | None:
    """The header's nonce; django-csp names one only when the page used it."""
    nonces = set(re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"]))
    assert len(nonces) <= 1
    return nonces.pop() if nonces else None


@pytest.fixture
def shared_gallery(owner):
    gallery = GalleryFactory(owner=owner, title="Anna & Ben")
    for _ in range(3):
        ReadyPhotoFactory(gallery=gallery)
    return gallery


@pytest.fixture
def pages(client, owner, shared_gallery):
    """Open a page as its visitor would: (name) -> response."""

    def _open(name):
        if name in ("gallery page", "API docs", "browsable API"):
            client.force_login(owner)
        url = {
            "home": reverse("home"),
            "login": reverse("accounts:login"),
            "gallery page": reverse("galleries:detail", args=[shared_gallery.pk]),
            "visitor's share page": reverse(
                "sharing:gallery",
                args=[ShareLinkFactory(gallery=shared_gallery).token],
            ),
            "admin login": reverse("admin:login"),
            "API docs": reverse("api:docs"),
            "browsable API": reverse("api:me"),
        }[name]
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, (name, response.status_code)
        return response

    return _open


PAGES = [
    "home",
    "login",
    "gallery page",
    "visitor's share page",
    "admin login",
    "API docs",
    "browsable API",
]


@pytest.mark.parametrize("name", PAGES)
def test_the_page_is_sent_with_a_strict_policy(pages, name):
    policy = _directives(pages(name))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert all(source.startswith("'nonce-") for source in policy["script-src"][1:])
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.parametrize("name", PAGES)
def test_every_inline_script_and_style_on_the_page_carries_the_nonce(pages, name):
    response = pages(name)
    page = _parse(response)

    nonce = _nonce(response)

    assert [tag for tag, given in page.inline if not nonce or given != nonce] == []


@pytest.mark.parametrize("name", PAGES)
def test_the_page_has_no_inline_event_handlers(pages, name):
    assert _parse(pages(name)).handlers == []


def test_the_visitors_cover_script_runs_under_the_policy(pages):
    # The share page's one inline script (the grid waits for the cover) has the nonce.
    response = pages("visitor's share page")

    assert ("script", _nonce(response)) in _parse(response).inline


def test_the_api_docs_start_from_a_script_of_the_site_itself(client, pages):
    docs = pages("API docs")
    (script,) = re.findall(r'<script src="([^"]*script=[^"]*)"', docs.content.decode())

    start = client.get(script.replace("&amp;", "&"))

    assert start.status_code == 200
    assert start["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in start.content


def test_each_request_gets_a_new_nonce(pages):
    first, second = pages("visitor's share page"), pages("visitor's share page")

    assert None is not _nonce(first) != _nonce(second)
