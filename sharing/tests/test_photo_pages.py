"""A link's photos read a window at a time, set by set: the same photos, in the same
order, as sorting the whole gallery would give, whatever the window and the sets."""

import pytest
from django.utils import timezone

from galleries.models import GallerySet, Photo
from galleries.tests.factories import ReadyPhotoFactory
from sharing import photo_pages
from sharing.tests.factories import ShareLinkFactory
from sharing.tests.visitor_api import api_url

FIELDS = ("id", "photo_set_id", "original_filename")

pytestmark = pytest.mark.django_db


@pytest.fixture
def wedding(gallery, ceremony, reception):
    """Three sets (the last one empty) of 23 photos shown, with photos no visitor sees
    in between: processing, failed and in the trash."""
    GallerySet.objects.create(gallery=gallery, name="Dancing", position=5)
    ReadyPhotoFactory.create_batch(7, gallery=gallery, photo_set=ceremony)
    ReadyPhotoFactory.create_batch(11, gallery=gallery, photo_set=reception)
    for status in (Photo.Status.PROCESSING, Photo.Status.FAILED):
        ReadyPhotoFactory(gallery=gallery, photo_set=reception, status=status)
    ReadyPhotoFactory(gallery=gallery, photo_set=ceremony, trashed_at=timezone.now())
    return gallery


def _loaded(link):
    # As a visitor's request reads the link (sharing/gate.py).
    link.load_visible_set_ids()
    return link


def _sorted(link) -> list[tuple]:
    return list(link.visible_photos().values_list(*FIELDS))


def _tie(reception, ceremony):
    reception.position = ceremony.position
    reception.save()


@pytest.mark.parametrize("tied", [False, True], ids=["own positions", "tied sets"])
@pytest.mark.parametrize("chosen", ["every set", "some sets"])
def test_every_window_holds_the_photos_sorting_the_whole_gallery_puts_there(
    wedding, ceremony, reception, tied, chosen
):
    link = ShareLinkFactory(gallery=wedding)
    if chosen == "some sets":
        link.sets.set([reception, wedding.sets.get(name="Dancing")])
    if tied:
        _tie(reception, ceremony)
    link = _loaded(link)
    expected = _sorted(link)
    sets = photo_pages.counted_sets(link)

    assert len(expected) == (23 if chosen == "every set" else 13)
    for start in range(len(expected) + 2):
        for size in (1, 4, 9, 40):
            found = photo_pages.window(link, sets, FIELDS, start, size)
            assert found == expected[start : start + size], (start, size)


def test_the_sets_are_counted_with_only_the_photos_a_visitor_sees(
    wedding, ceremony, reception
):
    link = _loaded(ShareLinkFactory(gallery=wedding))

    counted = photo_pages.counted_sets(link)

    assert [(s.name, s.photo_count) for s in counted] == [
        ("Ceremony", 10),
        ("Reception", 13),
        ("Dancing", 0),
    ]


def test_a_link_of_some_sets_counts_only_those(wedding, reception):
    link = ShareLinkFactory(gallery=wedding)
    link.sets.set([reception])

    counted = photo_pages.counted_sets(_loaded(link))

    assert [(s.name, s.photo_count) for s in counted] == [("Reception", 13)]


def test_the_cover_is_the_chosen_photo_when_the_link_shows_it_else_its_first(
    wedding, ceremony, reception
):
    chosen = reception.photos.ready().last()
    wedding.cover = chosen
    wedding.save()
    every_set = _loaded(ShareLinkFactory(gallery=wedding))
    ceremony_only = ShareLinkFactory(gallery=wedding)
    ceremony_only.sets.set([ceremony])
    ceremony_only = _loaded(ceremony_only)

    assert photo_pages.cover(every_set, FIELDS) == chosen
    assert photo_pages.cover(ceremony_only, FIELDS) == _first(ceremony_only)

    chosen.status = Photo.Status.FAILED
    chosen.save()
    assert photo_pages.cover(every_set, FIELDS) == _first(every_set)


def _first(link):
    return link.visible_photos().first()


def test_a_link_that_shows_no_photo_has_no_cover(gallery):
    empty = GallerySet.objects.create(gallery=gallery, name="Later", position=9)
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([empty])

    assert photo_pages.cover(_loaded(link), FIELDS) is None


@pytest.mark.parametrize("tied", [False, True], ids=["own positions", "tied sets"])
def test_page_after_page_the_api_lists_every_photo_once_in_gallery_order(
    app, wedding, ceremony, reception, tied
):
    if tied:
        _tie(reception, ceremony)
    link = _loaded(ShareLinkFactory(gallery=wedding))
    expected = [str(pk) for pk in link.visible_photos().values_list("pk", flat=True)]

    shown, url = [], api_url("share-photo-list", link.token) + "?page_size=6"
    while url:
        body = app.get(url).json()
        assert body["count"] == len(expected)
        shown += [photo["id"] for photo in body["results"]]
        url = body["next"]

    assert shown == expected
    past_the_end = app.get(api_url("share-photo-list", link.token), {"page": 99})
    assert past_the_end.status_code == 404


def test_one_set_of_the_api_is_that_set_in_its_order(app, wedding, reception):
    link = ShareLinkFactory(gallery=wedding)
    expected = [
        str(pk)
        for pk in _loaded(link)
        .visible_photos()
        .filter(photo_set=reception)
        .values_list("pk", flat=True)
    ]

    body = app.get(
        api_url("share-photo-list", link.token), {"set": reception.pk, "page_size": 5}
    ).json()

    assert body["count"] == 13
    assert [photo["id"] for photo in body["results"]] == expected[:5]
