"""A visitor of a branded gallery sees the studio: its name, logo, accent, typefaces
and contact, on every page of the link, and Proofsheet only where the studio allows."""

import datetime
import re
import uuid
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from galleries import brand
from galleries.tests import brand_files
from sharing import services
from sharing.tests.visitor_pages import gallery_url, page, photo_url, unlock_url


@pytest.fixture
def branded(owner):
    brand.brand_update(
        owner=owner,
        accent="#ffd60a",
        typeface="editorial",
        website="https://olivia.studio",
        email="hello@olivia.studio",
        phone="+44 20 7946 0000",
        instagram="olivia.studio",
        credit_proofsheet=False,
    )
    brand.logo_set(owner=owner, upload=brand_files.png_logo())
    return brand.brand_for(owner)


def _pages(client, link, gallery):
    """Every page of the link a visitor can open, by name."""
    photo = gallery.photos.first()
    return {
        "cover": client.get(gallery_url(link)),
        "lightbox": client.get(photo_url(link, photo)),
        "favourites start": client.get(
            reverse("sharing:favourites_start", args=[link.token])
        ),
        "favourites": client.get(reverse("sharing:favourites", args=[link.token])),
        "not found": client.get(photo_url(link, type("P", (), {"pk": uuid.uuid4()}))),
    }


PAGES = ["cover", "lightbox", "favourites start", "favourites", "not found"]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_of_a_branded_link_shows_the_studio_and_not_proofsheet(
    client, link, gallery, branded, name
):
    text = page(_pages(client, link, gallery)[name])

    assert "Olivia Studio" in text
    assert "hello@olivia.studio" in text
    assert "Proofsheet" not in text


def test_the_cover_shows_the_logo_named_for_the_studio(client, link, branded):
    text = page(client.get(gallery_url(link)))

    assert f'src="{branded.logo.url}"' in text
    assert 'alt="Olivia Studio"' in text


def test_the_footer_credits_proofsheet_when_the_studio_wants_it(
    client, link, owner, branded
):
    brand.brand_update(owner=owner, credit_proofsheet=True)

    text = page(client.get(gallery_url(link)))

    assert "Shared with Proofsheet" in text


def test_the_footer_links_the_studios_website_phone_and_instagram(
    client, link, branded
):
    text = page(client.get(gallery_url(link)))

    assert 'href="https://olivia.studio"' in text
    assert 'href="tel:+442079460000"' in text
    assert 'href="https://www.instagram.com/olivia.studio/"' in text


def test_the_password_page_shows_the_logo_and_no_proofsheet(
    client, locked_link, branded
):
    text = page(client.get(unlock_url(locked_link)))

    assert f'src="{branded.logo.url}"' in text
    assert "Proofsheet" not in text


def test_the_expired_page_shows_the_studio_and_how_to_reach_it(client, link, branded):
    services.link_update(
        link=link, expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    response = client.get(gallery_url(link))

    assert response.status_code == 410
    assert "hello@olivia.studio" in page(response)
    assert "Proofsheet" not in page(response)


def test_a_photo_not_in_the_link_is_the_studios_not_found_page(client, link, branded):
    response = client.get(photo_url(link, type("P", (), {"pk": uuid.uuid4()})))

    assert response.status_code == 404
    assert f'src="{branded.logo.url}"' in page(response)


def test_an_unbranded_gallery_looks_as_before(client, link):
    text = page(client.get(gallery_url(link)))

    assert "Shared with Proofsheet" in text
    assert "--brand-accent:" not in text
    assert "@font-face" not in text


# --- Accent and contrast, under the policy --------------------------------------------


def test_the_accent_and_its_readable_text_colours_are_set_on_the_page(
    client, link, branded
):
    text = page(client.get(gallery_url(link)))

    assert "--brand-accent:#ffd60a" in text
    assert "--brand-on-accent:#1b1a18" in text  # dark text on yellow
    assert f"--brand-ink:{branded.accent_text_light}" in text


def test_the_accents_style_block_carries_the_pages_csp_nonce(client, link, branded):
    response = client.get(gallery_url(link))

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    styles = re.findall(r"<style([^>]*)>", page(response))
    assert styles
    assert all(f'nonce="{nonce}"' in attributes for attributes in styles)
    assert (
        "'unsafe-inline'"
        not in response["Content-Security-Policy"].split("style-src ")[1].split(";")[0]
    )


# --- Fonts, from the site itself ------------------------------------------------------


def _pairing_css(pairing: str) -> str:
    return Path(finders.find(f"css/fonts/{pairing}.css")).read_text(encoding="utf-8")


def test_the_typefaces_come_from_the_site_itself_with_no_stylesheet_to_wait_for(
    client, link, branded
):
    text = page(client.get(gallery_url(link)))

    sources = re.findall(r'url\("([^"]+)"\)', text)
    assert "/static/fonts/playfair-display/playfair-display-latin-600-normal.woff2" in (
        sources
    )
    assert all(source.startswith("/static/fonts/") for source in sources)
    assert "fonts.googleapis" not in text


def test_under_a_cover_the_fonts_wait_for_it_and_are_linked_without_script(
    client, link, branded
):
    text = page(client.get(gallery_url(link)))

    assert re.search(r"<style [^>]*media=\"not all\" data-fonts-wait>@font-face", text)
    assert "style[data-fonts-wait]" in text  # the cover's script turns them on
    assert (
        '<noscript><link rel="stylesheet" href="/static/css/fonts/editorial.css">'
        in text
    )


def test_a_page_without_a_cover_uses_the_fonts_at_once(client, link, gallery, branded):
    text = page(client.get(photo_url(link, gallery.photos.first())))

    assert "@font-face" in text
    assert "data-fonts-wait" not in text


@pytest.mark.parametrize("pairing", ["editorial", "classic", "modern"])
def test_every_font_a_pairing_names_is_a_woff2_file_of_the_site(pairing):
    css = _pairing_css(pairing)

    sources = re.findall(r'url\("([^"]+)"\)', css)
    assert sources
    assert all(source.startswith("../../fonts/") for source in sources)
    assert all(source.endswith(".woff2") for source in sources)
    assert all(finders.find(source.removeprefix("../../")) for source in sources)
    assert css.count("font-display: swap;") == len(sources)


@pytest.mark.parametrize("pairing", ["editorial", "classic", "modern"])
def test_every_font_a_pairing_names_ships_with_its_licence(pairing):
    css = _pairing_css(pairing)

    folders = set(re.findall(r'url\("\.\./\.\./fonts/([^/]+)/', css))
    assert all(finders.find(f"fonts/{folder}/OFL.txt") for folder in folders)


def test_the_policy_lets_fonts_load_only_from_the_site(client, link, branded):
    response = client.get(gallery_url(link))

    policy = response["Content-Security-Policy"]
    assert "font-src 'self'" in policy


def test_the_logo_on_the_cover_asks_for_the_connection_after_the_cover_photo(
    client, link, branded
):
    text = page(client.get(gallery_url(link)))

    assert re.search(r'<img class="hero__img"[^>]*fetchpriority="high"', text)
    assert re.search(r'<img class="brand-mark__img"[^>]*fetchpriority="low"', text)
