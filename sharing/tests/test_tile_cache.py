"""The tiles a web process keeps: bounded, least recently used first out, and a page
that mixes kept and new tiles at the bound is drawn whole."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sharing.tile_cache import TileCache
from sharing.views import visitor


def test_a_full_cache_lets_only_the_least_recently_used_tile_go():
    cache = TileCache(3)
    cache.put_many({"a": "A", "b": "B", "c": "C"})
    cache.get_many(["a"])  # "b" is now the one used longest ago

    cache.put_many({"d": "D"})

    assert len(cache) == 3
    assert "b" not in cache
    assert cache.get_many(["a", "b", "c", "d"]) == {"a": "A", "c": "C", "d": "D"}


def test_a_cache_never_holds_more_than_its_bound_even_when_given_more_at_once():
    cache = TileCache(2)
    cache.put_many({n: str(n) for n in range(5)})

    assert len(cache) == 2
    assert cache.get_many(range(5)) == {3: "3", 4: "4"}


def test_what_get_many_found_stays_the_callers_even_when_the_cache_evicts_it():
    cache = TileCache(2)
    cache.put_many({"a": "A", "b": "B"})
    found = cache.get_many(["a", "b"])

    cache.put_many({"c": "C", "d": "D"})

    assert found == {"a": "A", "b": "B"}
    assert len(cache) == 2


def test_putting_a_kept_key_again_refreshes_it_without_growing():
    cache = TileCache(2)
    cache.put_many({"a": "A", "b": "B"})
    cache.put_many({"a": "A2"})
    cache.put_many({"c": "C"})

    assert cache.get_many(["a", "b", "c"]) == {"a": "A2", "c": "C"}


def test_a_cache_must_hold_at_least_one_tile():
    with pytest.raises(ValueError, match="at least one tile"):
        TileCache(0)


@pytest.fixture
def full_tile_cache(monkeypatch):
    """A process whose tile cache holds exactly one page of the five-photo gallery."""
    cache = TileCache(5)
    monkeypatch.setattr(visitor, "rendered_tiles", cache)
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
