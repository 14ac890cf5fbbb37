"""The tiles a web process keeps: a page that mixes kept and new tiles at the cache's
bound is drawn whole (the store's own bound and order: config/tests/test_lru.py)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from config.lru import LRU
from sharing import tile_cache


@pytest.fixture
def full_tile_cache(monkeypatch):
    """A process whose tile cache holds exactly one page of the five-photo gallery."""
    cache = LRU(5)
    monkeypatch.setattr(tile_cache, "rendered_tiles", cache)
    return cache


def test_a_page_of_kept_and_new_tiles_at_the_caches_bound_is_drawn_whole(
    link, gallery, full_tile_cache
):
    anna = Client()
    gallery_url = reverse("sharing:gallery", args=[link.token])
    assert anna.get(gallery_url).status_code == 200
    assert len(full_tile_cache) == 5  # the cache is full of this page's tiles

    # A heart changes one tile: the page is four kept tiles and one new one.
    anna.post(reverse("sharing:favourites_start", args=[link.token]), {"name": "Anna"})
    photo = gallery.photos.first()
    anna.post(
        reverse("sharing:favourite_toggle", args=[link.token, photo.pk]),
        {"hearted": "1"},
    )
    response = anna.get(gallery_url)

    assert response.status_code == 200
    tiles = re.findall(r'<li class="tile".*?</li>', response.content.decode(), re.S)
    assert len(tiles) == 5
    assert sum('aria-pressed="true"' in tile for tile in tiles) == 1
    assert len(full_tile_cache) == 5


def test_visitors_taking_turns_past_the_caches_bound_each_get_their_own_grid(
    link, gallery, full_tile_cache
):
    gallery_url = reverse("sharing:gallery", args=[link.token])
    anna, ben = Client(), Client()
    anna.post(reverse("sharing:favourites_start", args=[link.token]), {"name": "Anna"})
    for photo in gallery.photos.all()[:2]:
        anna.post(
            reverse("sharing:favourite_toggle", args=[link.token, photo.pk]),
            {"hearted": "1"},
        )

    for _ in range(3):
        annas = anna.get(gallery_url).content.decode()
        bens = ben.get(gallery_url).content.decode()
        assert annas.count('aria-pressed="true"') == 2
        assert bens.count('aria-pressed="true"') == 0
        assert bens.count('<li class="tile"') == 5
        assert len(full_tile_cache) <= 5
