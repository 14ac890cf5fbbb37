"""Links that show nothing: no downloads, expired, disabled, unknown or locked."""

import datetime

from django.urls import reverse
from django.utils import timezone

from sharing import services
from sharing.models import ShareLink
from sharing.tests.conftest import LINK_PASSWORD
from sharing.tests.downloading import (
    counted,
    download_url,
    unlock_in_session,
    zip_url,
)
from sharing.tests.factories import ShareLinkFactory


def _every_download(link) -> list[str]:
    photo = link.gallery.photos.first()
    return [
        download_url(link, photo, "original"),
        download_url(link, photo, "web"),
        zip_url(link),
    ]


def test_a_link_without_downloads_refuses_single_photos_and_zips(
    client, gallery, files
):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.NONE)

    for url in _every_download(link):
        response = client.get(url)
        assert response.status_code == 403
        assert b"does not allow downloads" in response.content
    assert counted(link, "downloads") + counted(link, "zip_downloads") == 0


def test_an_expired_link_downloads_nothing_and_says_it_has_expired(
    client, originals_link, files
):
    originals_link.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    originals_link.save(update_fields=["expires_at"])

    for url in _every_download(originals_link):
        response = client.get(url)
        assert response.status_code == 410
        assert b"expired" in response.content
        assert not response.streaming
        assert not any(original in response.content for original, _ in files.values())
    assert counted(originals_link, "downloads") == 0


def test_a_disabled_or_unknown_link_downloads_nothing(client, originals_link, files):
    originals_link.is_active = False
    originals_link.save(update_fields=["is_active"])
    photo = originals_link.gallery.photos.first()

    for url in _every_download(originals_link):
        assert client.get(url).status_code == 404
    assert client.get(reverse("sharing:zip", args=["no-such-link"])).status_code == 404
    assert (
        client.get(
            reverse("sharing:photo_download", args=["no-such-link", photo.pk])
        ).status_code
        == 404
    )


def test_a_locked_link_asks_for_its_password_before_any_download(
    client, locked_link, files
):
    locked_link.downloads = ShareLink.Downloads.ORIGINAL
    locked_link.save(update_fields=["downloads"])
    unlock = reverse("sharing:unlock", args=[locked_link.token])

    for url in _every_download(locked_link):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(unlock)
    assert counted(locked_link, "downloads") == 0

    unlock_in_session(client, locked_link)
    assert client.get(zip_url(locked_link)).status_code == 200


def test_a_changed_password_locks_downloads_again(client, locked_link, files):
    unlock_in_session(client, locked_link)
    services.link_update(link=locked_link, password=LINK_PASSWORD + "!")

    assert client.get(zip_url(locked_link)).status_code == 302
