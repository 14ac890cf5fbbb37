"""The photographer's gallery page: every client's favourites, share totals, and the
grid filtered by one list."""

import re

import pytest
from django.urls import reverse

from galleries.models import Photo
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory
from sharing import analytics, services
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory


def test_the_gallery_page_lists_every_clients_favourites(
    owner_client, gallery, link, locked_link, anna
):
    FavouriteListFactory(link=locked_link, name="Ben's parents")

    response = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))

    html = response.content.decode()
    assert "Client favourites" in html
    anna_row = html[html.index(">Anna</a>") :]
    anna_row = anna_row[: anna_row.index("</tr>")]
    for text in ["anna@x.test", "Couple", "Sent", '">2</td>']:
        assert text in anna_row
    parents_row = html[html.index("Ben&#x27;s parents</a>") :]
    assert "Choosing" in parents_row[: parents_row.index("</tr>")]


def test_the_gallery_page_shows_share_totals_over_its_links(
    owner_client, gallery, link, locked_link
):
    analytics.count(link, "views", 3)
    analytics.count(locked_link, "views", 4)
    analytics.count(locked_link, "lists_submitted", 1)

    response = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))

    assert response.context["share_totals"]["views"] == 7
    assert response.context["share_totals"]["lists_submitted"] == 1


def test_the_gallery_grid_can_show_only_one_lists_photos(owner_client, gallery, anna):
    response = owner_client.get(
        reverse("galleries:detail", args=[gallery.pk]), {"list": str(anna.pk)}
    )

    chosen = {item.photo_id for item in anna.items.all()}
    assert {photo.pk for photo in response.context["photos"]} == chosen
    html = response.content.decode()
    assert "Showing Anna's 2 favourites" in html
    assert "Show all" in html


@pytest.mark.parametrize(
    "value", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"]
)
def test_filtering_by_an_unknown_list_is_not_found(owner_client, gallery, value):
    response = owner_client.get(
        reverse("galleries:detail", args=[gallery.pk]), {"list": value}
    )

    assert response.status_code == 404


def test_a_list_of_another_gallery_cannot_filter_this_one(owner_client, owner, gallery):
    other = GalleryFactory(owner=owner)
    ReadyPhotoFactory(gallery=other)
    their_list = FavouriteListFactory(link=ShareLinkFactory(gallery=other))

    response = owner_client.get(
        reverse("galleries:detail", args=[gallery.pk]), {"list": str(their_list.pk)}
    )

    assert response.status_code == 404


def test_the_lists_section_adds_no_query_per_list(
    owner_client, gallery, link, django_assert_max_num_queries
):
    photos = list(link.visible_photos())
    for n in range(10):
        favourite_list = FavouriteListFactory(link=link, name=f"Guest {n}")
        services.favourite_add(favourite_list=favourite_list, photo=photos[n % 5])
        analytics.count(link, "views")

    # The same budget as the gallery page without any sharing.
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))

    assert len(response.context["favourite_lists"]) == 10


def test_a_filtered_grid_keeps_the_same_query_budget(
    owner_client, gallery, anna, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = owner_client.get(
            reverse("galleries:detail", args=[gallery.pk]), {"list": str(anna.pk)}
        )

    assert response.status_code == 200
    shown = re.findall(
        r'class="owner-tile [^"]*"[^>]* data-id="([^"]+)"', response.text
    )
    assert sorted(shown) == sorted(str(i.photo_id) for i in anna.items.all())
    assert "Showing Anna's 2 favourites" in response.text


def test_a_list_with_a_photo_no_longer_ready_still_opens(owner_client, anna):
    item = anna.items.first()
    Photo.objects.filter(pk=item.photo_id).update(status=Photo.Status.PROCESSING)

    response = owner_client.get(reverse("sharing:list_detail", args=[anna.pk]))

    assert response.status_code == 200
    assert b"Not available" in response.content
