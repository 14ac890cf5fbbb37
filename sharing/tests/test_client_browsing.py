"""A client arranges the gallery: the photographer's order, date taken or file name;
only their own favourites; a denser or larger grid. On the page, its next page, a
photo's own page and the visitor API."""

import datetime
import re

import pytest
from django.urls import reverse

from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory
from sharing import services
from sharing.tests.factories import ShareLinkFactory
from sharing.tests.visitor_api import api_url, error_codes, start_list
from sharing.tests.visitor_pages import gallery_url, grid, page, photo_url
from sharing.views.visitor import FIRST_PAGE


def filenames(response) -> list[str]:
    """The photos of the grid, in the order it shows them."""
    return re.findall(r'alt="Photo \d+ of \d+: ([^"]+)"', grid(response))


def taken(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 6, day, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def shoot(owner):
    """Four photos in the photographer's order, shot on other days, named otherwise."""
    gallery = GalleryFactory(owner=owner, title="Shoot")
    for position, (name, day) in enumerate(
        [("c.jpg", 3), ("A.jpg", None), ("d.jpg", 1), ("b.jpg", 2)]
    ):
        ReadyPhotoFactory(
            gallery=gallery,
            original_filename=name,
            position=position,
            taken_at=taken(day) if day else None,
        )
    return ShareLinkFactory(gallery=gallery, label="Couple")


def start_my_list(client, link):
    client.post(reverse("sharing:favourites_start", args=[link.token]), {"name": "Ben"})
    return link.favourite_lists.get(name="Ben")


def test_the_grid_is_in_the_photographers_order_unless_the_client_sorts_it(
    client, shoot
):
    assert filenames(client.get(gallery_url(shoot))) == [
        "c.jpg",
        "A.jpg",
        "d.jpg",
        "b.jpg",
    ]
    assert filenames(client.get(gallery_url(shoot, "?sort=taken"))) == [
        "d.jpg",
        "b.jpg",
        "c.jpg",
        "A.jpg",  # no date: last
    ]
    assert filenames(client.get(gallery_url(shoot, "?sort=name"))) == [
        "A.jpg",
        "b.jpg",
        "c.jpg",
        "d.jpg",
    ]


@pytest.mark.parametrize("query", ["?sort=nonsense", "?sort=", "?grid=huge&mine=yes"])
def test_a_sort_or_grid_the_page_does_not_know_shows_the_photographers_order(
    client, shoot, query
):
    response = client.get(gallery_url(shoot, query))

    assert response.status_code == 200
    assert filenames(response) == ["c.jpg", "A.jpg", "d.jpg", "b.jpg"]
    assert 'data-density="regular"' in page(response)


def test_the_sort_form_shows_the_chosen_order(client, shoot):
    html = page(client.get(gallery_url(shoot, "?sort=name")))

    assert '<option value="name" selected>File name</option>' in html
    assert '<option value="gallery">Photographer&#x27;s order</option>' in html


def test_only_my_favourites_shows_this_browsers_list_and_no_one_elses(client, shoot):
    photos = list(shoot.visible_photos())
    mine = start_my_list(client, shoot)
    services.favourite_add(favourite_list=mine, photo=photos[2])
    theirs = shoot.favourite_lists.create(name="Anna")
    services.favourite_add(favourite_list=theirs, photo=photos[0])
    services.favourite_add(favourite_list=theirs, photo=photos[1])

    response = client.get(gallery_url(shoot, "?mine=1"))

    assert filenames(response) == ["d.jpg"]
    assert "Photo 1 of 1: d.jpg" in grid(response)


def test_only_my_favourites_without_a_list_shows_none_and_says_how_to_start(
    client, shoot
):
    shoot.favourite_lists.create(name="Anna").items.create(
        photo=shoot.visible_photos().first()
    )

    html = page(client.get(gallery_url(shoot, "?mine=1")))

    assert '<li class="tile"' not in html
    assert "No favourites here yet" in html


def test_the_next_page_and_its_fragment_keep_the_clients_sort(client, gallery, link):
    photo_set = gallery.sets.first()
    for number in range(FIRST_PAGE + 5):
        ReadyPhotoFactory(
            gallery=gallery,
            photo_set=photo_set,
            original_filename=f"z{FIRST_PAGE + 5 - number:03d}.jpg",
        )

    first = client.get(gallery_url(link, "?sort=name"))
    more = re.search(r'data-more="([^"]+)"', page(first)).group(1).replace("&amp;", "&")
    fragment = client.get(more)

    assert "sort=name" in more
    assert f"from={FIRST_PAGE}" in more
    shown = filenames(first) + re.findall(r': ([^"]+)" loading', page(fragment))
    named = [name for name in shown if name.startswith("z")]
    assert named == sorted(named)
    assert len(shown) == FIRST_PAGE + 5 + 5


def test_a_tile_kept_for_one_order_is_not_shown_in_another(client, owner):
    # One photo: the same photo at the same place under either order, so only the
    # order in the key keeps the grid's links to the photo's page apart.
    gallery = GalleryFactory(owner=owner)
    ReadyPhotoFactory(gallery=gallery)
    link = ShareLinkFactory(gallery=gallery)

    assert "sort=" not in grid(client.get(gallery_url(link)))
    assert "?sort=taken" in grid(client.get(gallery_url(link, "?sort=taken")))
    assert "sort=" not in grid(client.get(gallery_url(link)))


def test_a_photos_own_page_moves_through_the_gallery_in_the_clients_order(
    client, shoot
):
    by_name = {photo.original_filename: photo for photo in shoot.visible_photos()}

    html = page(client.get(photo_url(shoot, by_name["b.jpg"], "?sort=name")))

    assert photo_url(shoot, by_name["A.jpg"], "?sort=name") in html
    assert photo_url(shoot, by_name["c.jpg"], "?sort=name") in html
    assert "photo 2 of 4" in html
    assert f"?sort=name#p-{by_name['b.jpg'].pk}" in html


def test_a_larger_grid_asks_for_larger_pictures_and_a_denser_one_for_smaller(
    client, shoot
):
    def sizes(query):
        html = page(client.get(gallery_url(shoot, query)))
        return re.search(r'<img src="[^"]*" srcset="[^"]*" sizes="([^"]+)"', html)[1]

    regular, large, dense = sizes(""), sizes("?grid=large"), sizes("?grid=dense")

    def phone(value):
        return int(re.match(r"\(max-width: 599px\) (\d+)vw", value)[1])

    assert phone(dense) < phone(regular) < phone(large)
    assert 'data-density="large"' in page(client.get(gallery_url(shoot, "?grid=large")))


# --- The visitor API --------------------------------------------------------------


def api_names(app, link, query=""):
    response = app.get(api_url("share-photo-list", link.token) + query)
    assert response.status_code == 200, response.content
    return [photo["filename"] for photo in response.json()["results"]]


def test_an_app_sorts_the_photos_by_date_taken_or_file_name(app, shoot):
    assert api_names(app, shoot) == ["c.jpg", "A.jpg", "d.jpg", "b.jpg"]
    assert api_names(app, shoot, "?sort=taken") == ["d.jpg", "b.jpg", "c.jpg", "A.jpg"]
    assert api_names(app, shoot, "?sort=name") == ["A.jpg", "b.jpg", "c.jpg", "d.jpg"]


def test_an_app_asking_for_an_unknown_sort_is_told_which_field(app, shoot):
    response = app.get(api_url("share-photo-list", shoot.token) + "?sort=size")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "sort"


def test_an_app_lists_only_the_photos_of_its_own_favourites_list(app, shoot, owner):
    photos = list(shoot.visible_photos())
    started = start_list(app, shoot)
    mine = shoot.favourite_lists.get(token=started["token"])
    services.favourite_add(favourite_list=mine, photo=photos[3])
    other_link = ShareLinkFactory(gallery=GalleryFactory(owner=owner))
    elsewhere = other_link.favourite_lists.create(name="Someone")

    assert api_names(app, shoot, f"?favourites={mine.token}") == ["b.jpg"]
    refused = app.get(
        api_url("share-photo-list", shoot.token) + f"?favourites={elsewhere.token}"
    )
    assert refused.status_code == 400
    assert error_codes(refused) == ["not_found"]
