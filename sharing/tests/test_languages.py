"""A gallery's clients read it in the gallery's language (else the studio's): its
pages, their dates, the lightbox's words, the visitor API's errors and their emails,
whatever their browser prefers; the photographer's pages stay in the site's."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from galleries import brand
from galleries import services as gallery_services
from sharing import client_mail, invitations, list_emails, services
from sharing.tests.factories import FavouriteListFactory
from sharing.tests.visitor_pages import gallery_url, page, unlock_url


@pytest.fixture(autouse=True, scope="module")
def compiled_catalogs():
    """The catalogs as bin/setup compiles them (only those that changed)."""
    call_command(
        "compilemessages",
        verbosity=0,
        ignore_patterns=[".venv", "var", "staticfiles", "node_modules"],
    )


@pytest.fixture
def german(gallery):
    gallery_services.gallery_update(
        gallery=gallery, language="de", event_date=datetime.date(2026, 12, 3)
    )
    return gallery


def _html_lang(text: str) -> str:
    return re.search(r'<html lang="([a-z-]+)"', text).group(1)


def test_a_german_gallerys_cover_is_in_german_with_a_german_date(client, link, german):
    text = page(client.get(gallery_url(link), HTTP_ACCEPT_LANGUAGE="fr"))

    assert _html_lang(text) == "de"
    assert "Direkt zu den Fotos" in text
    assert "5 Fotos" in text
    assert "3. Dezember 2026" in text
    assert "Skip to the photos" not in text


def test_the_cover_says_which_language_it_is_in(client, link, german):
    assert client.get(gallery_url(link))["Content-Language"] == "de"


def test_a_german_gallerys_lightbox_speaks_german(client, link, german):
    text = page(client.get(gallery_url(link)))

    assert 'aria-label="Fotoansicht"' in text
    assert 'aria-label="Nächstes Foto"' in text
    assert "<span>Herunterladen</span>" in text
    assert re.search(r'alt="Foto 1 von 5: [^"]+"', text)
    assert re.search(r'aria-label="[^"]+ als Favorit markieren"', text)


def test_the_lightboxs_script_strings_come_in_german_from_the_site_itself(
    client, link, german
):
    text = page(client.get(gallery_url(link)))
    catalog = re.search(r'<script src="(/s/i18n/de\.js\?v=[0-9a-f]+)" defer>', text)

    assert catalog, "the German catalogue is loaded from our own origin"
    script = client.get(catalog.group(1))
    assert script.status_code == 200
    assert "Zu Ihren Favoriten hinzugef" in script.content.decode()
    assert "immutable" in script["Cache-Control"]
    # Our own origin is all the policy allows and all the catalogue needs.
    assert (
        "script-src 'self'" in client.get(gallery_url(link))["Content-Security-Policy"]
    )


def test_a_german_gallerys_password_page_is_in_german(client, locked_link, german):
    text = page(client.get(unlock_url(locked_link)))

    assert "Diese Galerie ist privat." in text
    assert "Passwort" in text


def test_a_wrong_password_is_told_in_german(client, locked_link, german):
    response = client.post(unlock_url(locked_link), {"password": "guess"})

    assert "Das Passwort stimmt nicht." in page(response)


def test_a_german_gallerys_expired_page_is_in_german(client, link, german):
    services.link_update(
        link=link, expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    response = client.get(gallery_url(link))

    assert response.status_code == 410
    assert "Diese Galerie ist abgelaufen" in page(response)


def test_a_german_gallerys_api_errors_are_in_german(client, link, german):
    services.link_update(
        link=link, expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    response = client.get(f"/api/v1/share/{link.token}/")

    assert response.status_code == 410
    assert "Diese Galerie ist abgelaufen." in response.content.decode()


def test_a_gallery_without_a_language_of_its_own_speaks_the_studios(
    client, owner, link, gallery
):
    brand.brand_update(owner=owner, language="fr")
    gallery_services.gallery_update(
        gallery=gallery, event_date=datetime.date(2026, 12, 3)
    )

    text = page(client.get(gallery_url(link)))

    assert _html_lang(text) == "fr"
    assert "Aller aux photos" in text
    assert "3 décembre 2026" in text


@pytest.mark.parametrize(
    ("language", "date"),
    [
        ("en", "3 December 2026"),
        ("de", "3. Dezember 2026"),
        ("fr", "3 décembre 2026"),
        ("es", "3 de diciembre de 2026"),
    ],
)
def test_the_event_date_is_written_the_way_its_language_writes_dates(
    client, link, gallery, language, date
):
    gallery_services.gallery_update(
        gallery=gallery, language=language, event_date=datetime.date(2026, 12, 3)
    )

    assert date in page(client.get(gallery_url(link)))


def test_the_photographers_pages_stay_in_english_after_a_german_visit(
    client, owner_client, link, german
):
    client.get(gallery_url(link))

    text = page(owner_client.get(reverse("galleries:dashboard")))

    assert translation.get_language() == settings.LANGUAGE_CODE
    assert '<html lang="en">' in text


def test_a_german_gallerys_client_email_is_in_german(link, german):
    favourite_list = FavouriteListFactory(
        link=link, name="Anna", email="anna@example.test"
    )

    rendered = client_mail.render(
        list_emails.resume_link_message(list_id=str(favourite_list.pk))
    )

    assert rendered.subject == "Ihre Favoriten in Anna & Ben"
    assert "Hallo Anna," in rendered.text
    assert "Meine Favoriten öffnen" in rendered.html
    assert "Abmelden" in rendered.html
    assert '<html lang="de">' in rendered.html


def test_an_invitation_starts_in_the_gallerys_language(link, german):
    subject, message = invitations.prefilled(link)

    assert subject == "Ihre Fotos von Anna & Ben sind fertig"
    assert message.startswith("Guten Tag,")


def test_the_photographer_picks_a_gallerys_language_on_its_form(
    owner_client, client, link, gallery
):
    owner_client.post(
        reverse("galleries:edit", args=[gallery.pk]),
        {"title": gallery.title, "event_date": "", "description": "", "language": "es"},
    )

    text = page(client.get(gallery_url(link)))
    assert _html_lang(text) == "es"
    assert "Ir a las fotos" in text


def test_the_photographer_sets_the_studios_language_on_the_brand_page(
    owner_client, owner
):
    owner_client.post(
        reverse("galleries:brand"),
        {"typeface": "system", "no_accent": "on", "language": "de"},
    )

    assert brand.brand_for(owner).language == "de"


def test_the_api_sets_and_shows_a_gallerys_language(owner_api, gallery):
    response = owner_api.patch(
        f"/api/v1/galleries/{gallery.pk}/", {"language": "fr"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["language"] == "fr"
