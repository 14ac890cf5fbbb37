"""The visitor's way in at /s/<token>/: disabled, expired and locked links, the
password page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing import gate, services
from sharing.tests.conftest import LINK_PASSWORD
from sharing.tests.visitor_pages import (
    FILE_URL,
    gallery_url,
    page,
    photo_url,
    unlock_url,
)


def test_a_disabled_link_and_a_missing_one_show_the_same_404(client, link):
    services.link_update(link=link, is_active=False)

    disabled = client.get(gallery_url(link))
    missing = client.get(reverse("sharing:gallery", args=["no-such-token"]))

    assert disabled.status_code == missing.status_code == 404
    assert disabled.content == missing.content
    assert "Anna" not in page(disabled)


@pytest.mark.parametrize(
    "name", ["gallery", "gallery_photos", "unlock", "favourites", "favourites_start"]
)
def test_every_page_of_a_disabled_link_is_404(client, link, name):
    services.link_update(link=link, is_active=False)
    assert client.get(reverse(f"sharing:{name}", args=[link.token])).status_code == 404


def test_an_expired_link_says_so_kindly_with_410_and_shows_no_photo(
    client, link, gallery
):
    services.link_update(
        link=link, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    first = gallery.photos.first()

    for url in (gallery_url(link), photo_url(link, first), unlock_url(link)):
        response = client.get(url)
        assert response.status_code == 410
        text = page(response)
        assert "This gallery has expired" in text
        assert "Olivia Studio" in text
        assert FILE_URL not in text
        assert first.original_filename not in text


def test_a_locked_link_sends_the_visitor_to_the_password_page(
    client, locked_link, gallery
):
    photo = gallery.photos.first()
    for url in (
        gallery_url(locked_link),
        photo_url(locked_link, photo),
        reverse("sharing:gallery_photos", args=[locked_link.token]) + "?from=40",
        reverse("sharing:favourites", args=[locked_link.token]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(unlock_url(locked_link) + "?next=")


def test_the_password_page_shows_the_gallery_name_but_nothing_of_its_photos(
    client, locked_link, gallery
):
    response = client.get(gallery_url(locked_link), follow=True)

    text = page(response)
    assert response.status_code == 200
    assert "Anna &amp; Ben" in text
    assert "Olivia Studio" in text
    assert 'type="password"' in text
    assert FILE_URL not in text
    for photo in gallery.photos.all():
        assert photo.original_filename not in text
        assert str(photo.pk) not in text


def test_a_wrong_password_says_so_and_keeps_the_gallery_locked(client, locked_link):
    response = client.post(unlock_url(locked_link), {"password": "guess"})

    assert response.status_code == 400
    assert "That password is not right" in page(response)
    assert client.get(gallery_url(locked_link)).status_code == 302


def test_too_many_wrong_passwords_get_a_clear_429(client, locked_link):
    for _ in range(gate.PASSWORD_ATTEMPTS):
        client.post(unlock_url(locked_link), {"password": "guess"})

    response = client.post(unlock_url(locked_link), {"password": LINK_PASSWORD})

    assert response.status_code == 429
    assert response["Retry-After"]
    assert "Too many wrong passwords" in page(response)
    assert client.get(gallery_url(locked_link)).status_code == 302


def test_the_right_password_opens_the_gallery_for_the_browser_session(
    client, locked_link, gallery
):
    photo = gallery.photos.first()
    target = photo_url(locked_link, photo)

    response = client.post(
        unlock_url(locked_link), {"password": LINK_PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response.url == target
    assert client.get(target).status_code == 200
    assert client.get(gallery_url(locked_link)).status_code == 200


def test_after_unlocking_the_password_page_goes_straight_to_the_gallery(
    client, locked_link
):
    client.post(unlock_url(locked_link), {"password": LINK_PASSWORD})
    response = client.get(unlock_url(locked_link))
    assert response.status_code == 302
    assert response.url == gallery_url(locked_link)


def test_unlocking_never_sends_the_visitor_off_the_link(client, locked_link, link):
    for elsewhere in ("https://evil.example/", "//evil.example/", gallery_url(link)):
        response = client.post(
            unlock_url(locked_link), {"password": LINK_PASSWORD, "next": elsewhere}
        )
        assert response.url == gallery_url(locked_link)


def test_a_new_password_locks_out_everyone_who_used_the_old_one(client, locked_link):
    client.post(unlock_url(locked_link), {"password": LINK_PASSWORD})
    assert client.get(gallery_url(locked_link)).status_code == 200

    services.link_update(link=locked_link, password="a new one")

    assert client.get(gallery_url(locked_link)).status_code == 302


def test_a_link_without_password_has_no_password_page(client, link):
    response = client.get(unlock_url(link))
    assert response.status_code == 302
    assert response.url == gallery_url(link)
