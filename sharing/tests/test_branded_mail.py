"""A client's email carries the studio's brand: its logo, accent and name."""

import pytest

from galleries import brand
from galleries.tests import brand_files
from sharing import client_mail


@pytest.fixture
def message(owner):
    return client_mail.ClientMessage(
        owner=owner,
        to="anna@example.test",
        subject="Your photos",
        template="sharing/email/invitation",
        context={"personal_url": "https://proofsheet.test/s/abc/"},
    )


def test_a_client_email_shows_the_studios_logo_from_a_lasting_address(
    owner, message, settings
):
    brand.logo_set(owner=owner, upload=brand_files.png_logo())
    logo = brand.brand_for(owner).logo

    html = client_mail.render(message).html

    assert f'src="{settings.SITE_URL.rstrip("/")}{logo.url}"' in html
    assert 'alt="Olivia Studio"' in html


def test_a_client_emails_button_is_the_accent_with_readable_text(owner, message):
    brand.brand_update(owner=owner, accent="#ffd60a")

    html = client_mail.render(message).html

    assert "background:#ffd60a;color:#1b1a18" in html


def test_a_client_email_is_from_the_studio_by_name(owner, message):
    assert client_mail.render(message).from_email.startswith("Olivia Studio <")


def test_an_unbranded_email_names_the_studio_in_words(owner, message):
    html = client_mail.render(message).html

    assert "<img" not in html
    assert "Olivia Studio" in html
