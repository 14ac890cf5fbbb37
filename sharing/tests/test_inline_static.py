"""Small stylesheets written into the client pages: one round trip fewer each."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError

from sharing.tests.visitor_pages import gallery_url, page


def render(path: str) -> str:
    return Template("{% load inline_static %}{% inline_static path %}").render(
        Context({"path": path})
    )


def test_a_gallery_page_asks_for_no_stylesheet_but_the_two_every_client_page_shares(
    client, link
):
    text = page(client.get(gallery_url(link)))

    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    assert stylesheets == ["/static/css/tokens.css", "/static/css/public.css"]
    assert ".hero" in text  # the design's rules, in the page


def test_a_stylesheets_relative_urls_point_at_the_sites_files():
    css = render("css/fonts/classic.css")

    assert "@font-face" in css
    assert 'url("/static/fonts/work-sans/work-sans-latin-400-normal.woff2")' in css
    assert "../" not in css
    assert "/*" not in css


def test_a_missing_file_is_an_error_in_the_template():
    with pytest.raises(TemplateSyntaxError):
        render("css/no-such-file.css")
