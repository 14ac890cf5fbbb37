"""A gallery's links page: each link's address, status, settings and numbers."""

import datetime

from django.urls import reverse
from django.utils import timezone

from sharing import analytics, services
from sharing.models import ShareLink
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory


def test_the_gallery_page_has_a_share_button(owner_client, gallery):
    response = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))

    assert reverse("sharing:links", args=[gallery.pk]).encode() in response.content
    assert b">Share</a>" in response.content


def test_a_gallery_without_links_invites_the_first_one(owner_client, gallery):
    response = owner_client.get(reverse("sharing:links", args=[gallery.pk]))

    assert b"No share links yet" in response.content
    assert (
        reverse("sharing:link_create", args=[gallery.pk]).encode() in response.content
    )


def test_each_link_shows_its_full_address_ready_to_copy(owner_client, gallery, link):
    response = owner_client.get(reverse("sharing:links", args=[gallery.pk]))

    url = f"http://testserver/s/{link.token}/"
    html = response.content.decode()
    assert f'value="{url}" readonly' in html
    assert "data-copy-button" in html
    assert "Copy link" in html


def test_the_links_page_shows_each_links_status_at_a_glance(owner_client, gallery):
    ShareLinkFactory(gallery=gallery, label="Couple")
    ShareLinkFactory(gallery=gallery, label="Guests", secret="pw")
    ShareLinkFactory(gallery=gallery, label="Old", expires_at=timezone.now())
    ShareLinkFactory(gallery=gallery, label="Paused", is_active=False)

    html = owner_client.get(
        reverse("sharing:links", args=[gallery.pk])
    ).content.decode()

    def card(label):
        start = html.index(f">{label}</a>")
        return html[start : html.index("</li>", start)]

    assert "Active" in card("Couple")
    assert "Password" not in card("Couple")
    assert "Password" in card("Guests")
    assert "Expired" in card("Old")
    assert "Disabled" in card("Paused")


def test_the_links_page_shows_each_links_settings_and_numbers(
    owner_client, gallery, ceremony
):
    link = services.link_create(
        gallery=gallery,
        label="Family",
        sets=[ceremony],
        downloads=ShareLink.Downloads.ORIGINAL,
        favourites_limit=40,
        expires_at=services.expiry_from_date(datetime.date(2031, 5, 1)),
    )
    analytics.count(link, "views", 12)
    analytics.count(link, "visitors", 5)
    analytics.count(link, "downloads", 3)
    analytics.count(link, "zip_downloads", 2)
    FavouriteListFactory(link=link)

    response = owner_client.get(reverse("sharing:links", args=[gallery.pk]))

    shown = response.context["links"][0]
    assert shown.totals["views"] == 12
    assert shown.totals["visitors"] == 5
    assert shown.list_count == 1
    html = response.content.decode()
    for text in [
        "Until 1 May 2031",
        "Originals",
        "On, up to 40",
        "Ceremony",
        "+ 2 ZIP",
    ]:
        assert text in html


def test_the_links_page_uses_a_fixed_number_of_queries(
    owner_client, gallery, ceremony, django_assert_max_num_queries
):
    for n in range(10):
        link = services.link_create(gallery=gallery, label=f"Link {n}", sets=[ceremony])
        analytics.count(link, "views")
        FavouriteListFactory(link=link)

    with django_assert_max_num_queries(6):
        response = owner_client.get(reverse("sharing:links", args=[gallery.pk]))

    assert len(response.context["links"]) == 10
