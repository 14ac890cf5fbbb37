"""Photos opened in the lightbox through a personal address count as seen, once each,
in the photographer's activity table; no one else is counted, nothing else is told."""

import pytest
from django.test import Client
from django.urls import reverse

from galleries.tests.factories import ReadyPhotoFactory
from sharing import recipients
from sharing.models import Recipient


@pytest.fixture
def anna(link):
    return recipients.register(link=link, email="anna@example.com")


def seen_url(token, photo):
    return reverse("sharing:photo_seen", args=[token, photo.pk])


def test_each_photo_opened_in_the_lightbox_counts_once_for_the_recipient(
    client, anna, files, gallery
):
    first, second = gallery.photos.order_by("position")[:2]

    for photo in (first, first, second):
        assert client.post(seen_url(anna.token, photo)).status_code == 204

    anna.refresh_from_db()
    assert anna.photos_viewed == 2
    assert anna.last_visit_at is not None


def test_the_gallery_asks_for_it_only_through_a_personal_address(
    client, anna, link, files
):
    personal = client.get(reverse("sharing:gallery", args=[anna.token]))
    public = client.get(reverse("sharing:gallery", args=[link.token]))

    assert "data-seen" in personal.content.decode()
    assert "data-seen" not in public.content.decode()


def test_the_public_link_and_the_photographer_count_nothing(
    client, owner_client, anna, link, files, gallery
):
    photo = gallery.photos.first()

    assert client.post(seen_url(link.token, photo)).status_code == 204
    assert owner_client.post(seen_url(anna.token, photo)).status_code == 204

    assert Recipient.objects.get().photos_viewed == 0


def test_a_photo_of_another_gallery_is_not_found_and_not_counted(
    client, anna, other_gallery
):
    stranger_photo = ReadyPhotoFactory(gallery=other_gallery)

    assert client.post(seen_url(anna.token, stranger_photo)).status_code == 404
    assert Recipient.objects.get().photos_viewed == 0


def test_it_takes_a_post_from_the_page_itself(anna, files, gallery):
    photo = gallery.photos.first()
    strict = Client(enforce_csrf_checks=True)

    assert strict.get(seen_url(anna.token, photo)).status_code == 405
    assert strict.post(seen_url(anna.token, photo)).status_code == 403
    assert Recipient.objects.get().photos_viewed == 0
