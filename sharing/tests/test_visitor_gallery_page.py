"""The visitor's gallery page at /s/<token>/: the cover, the sets and the grid."""

import datetime
import re

import pytest
from django.urls import reverse

from galleries.models import Photo
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory
from sharing import services
from sharing.models import LinkDay
from sharing.tests.factories import ShareLinkFactory
from sharing.tests.visitor_pages import (
    gallery_url,
    grid,
    page,
    photo_url,
)
from sharing.views.visitor import FIRST_PAGE, PAGE_SIZE


def test_the_gallery_opens_on_its_cover_with_title_date_and_studio(
    client, gallery, link
):
    gallery.event_date = datetime.date(2025, 6, 14)
    gallery.save()
    cover = gallery.photos.order_by("position").last()
    gallery.cover = cover
    gallery.save()

    text = page(client.get(gallery_url(link)))

    hero = text.split('<header class="hero', 1)[1].split("</header>", 1)[0]
    assert cover.original_filename in hero  # its renditions' names
    assert 'fetchpriority="high"' in hero
    assert "<h1" in hero
    assert "Anna &amp; Ben" in hero
    assert "14 June 2025" in hero
    assert "Olivia Studio" in hero


def test_the_cover_is_never_a_photo_the_link_does_not_show(
    client, gallery, ceremony, reception
):
    hidden = reception.photos.first()
    gallery.cover = hidden
    gallery.save()
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])

    text = page(client.get(gallery_url(link)))

    assert hidden.original_filename not in text
    assert ceremony.photos.first().original_filename in text


def test_the_welcome_message_comes_first_then_the_galleries_description(
    client, gallery, link
):
    gallery.description = "Thank you for having us."
    gallery.save()
    assert "Thank you for having us." in page(client.get(gallery_url(link)))

    services.link_update(link=link, welcome_message="Hello, Anna & Ben!")
    text = page(client.get(gallery_url(link)))
    assert "Hello, Anna &amp; Ben!" in text
    assert "Thank you for having us." not in text


def test_sets_are_offered_only_when_the_link_shows_more_than_one(
    client, gallery, ceremony, link
):
    text = page(client.get(gallery_url(link)))
    assert 'aria-label="Sets"' in text
    assert f"?set={ceremony.pk}" in text

    single = ShareLinkFactory(gallery=gallery)
    single.sets.set([ceremony])
    assert 'aria-label="Sets"' not in page(client.get(gallery_url(single)))


def test_each_set_has_its_own_page_with_only_its_photos(
    client, link, ceremony, reception
):
    response = client.get(gallery_url(link, f"?set={reception.pk}"))

    for photo in reception.photos.all():
        assert photo.original_filename in grid(response)
    for photo in ceremony.photos.all():
        assert photo.original_filename not in grid(response)
    assert f'href="?set={reception.pk}" aria-current="page"' in page(response)


def test_a_set_the_link_does_not_show_is_not_found(
    client, gallery, ceremony, reception, other_gallery
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])
    for wanted in (reception.pk, other_gallery.sets.first().pk, "junk"):
        assert client.get(gallery_url(link, f"?set={wanted}")).status_code == 404


def test_photos_of_a_hidden_set_never_appear(client, gallery, ceremony, reception):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])

    text = page(client.get(gallery_url(link)))

    for photo in reception.photos.all():
        assert photo.original_filename not in text
        assert str(photo.pk) not in text
    assert 'data-total="3"' in text


@pytest.mark.parametrize(
    "status",
    [Photo.Status.UPLOADING, Photo.Status.PROCESSING, Photo.Status.FAILED],
)
def test_a_photo_that_is_not_ready_never_appears(client, gallery, link, status):
    unready = ReadyPhotoFactory(gallery=gallery, status=status)

    text = page(client.get(gallery_url(link)))

    assert unready.original_filename not in text
    assert client.get(photo_url(link, unready)).status_code == 404


def test_tiles_keep_their_shape_and_load_lazily_at_the_right_size(client, link):
    text = page(client.get(gallery_url(link)))

    tiles = re.findall(r'<li class="tile".*?</li>', text, re.S)
    assert len(tiles) == 5
    for tile in tiles:
        assert "--r:1.5000" in tile
        assert 'width="3000" height="2000"' in tile
        assert 'loading="lazy"' in tile
        assert 'decoding="async"' in tile
        assert "grid.webp 400w" in tile
        assert "grid_2x.webp 800w" in tile
        assert 'sizes="(max-width: 599px)' in tile
        assert 'type="image/webp"' in tile
        # The placeholder is the tile's own background, painted at once, even while
        # its picture waits for the cover.
        assert re.search(
            r'<li class="tile" style="[^"]*url\(\'data:image/webp;base64', tile
        )
        assert "background-color:#808080" in tile


def test_the_grid_waits_for_the_cover_only_where_script_runs(client, link):
    text = page(client.get(gallery_url(link)))

    hold = text.index('classList.add("grid-waits")')
    assert text.index('class="hero__img"') < hold < text.index('<ul class="grid"')
    # Without script the class never appears, so nothing hides the pictures.
    assert "grid-waits" not in re.search(r"<html[^>]*>", text).group()


def test_a_photos_filename_cannot_break_out_of_its_tile(client, link, gallery):
    ReadyPhotoFactory(
        gallery=gallery,
        photo_set=gallery.sets.first(),
        original_filename='"><img src=x onerror=alert(1)>.jpg',
    )
    services.link_update(link=link, favourites_enabled=True)

    tiles = grid(client.get(gallery_url(link)))

    assert "<img src=x" not in tiles
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.jpg" in tiles
    assert tiles.count('<li class="tile"') == tiles.count("</li>") == 6


def test_one_visitors_hearts_never_show_in_another_visitors_grid(client, link, gallery):
    from django.test import Client

    photo = gallery.photos.first()
    services.favourite_add(
        favourite_list=services.list_start(link=link, name="Anna"), photo=photo
    )
    anna = Client()
    anna.post(reverse("sharing:favourites_start", args=[link.token]), {"name": "Anna"})
    anna.post(
        reverse("sharing:favourite_toggle", args=[link.token, photo.pk]),
        {"hearted": "1"},
    )

    annas = grid(anna.get(gallery_url(link)))
    someone_elses = grid(client.get(gallery_url(link)))

    assert annas.count('aria-pressed="true"') == 1
    assert someone_elses.count('aria-pressed="true"') == 0
    assert someone_elses.count('aria-pressed="false"') == 5


def test_the_grid_gets_new_picture_urls_when_their_hour_is_over(
    client, link, monkeypatch
):
    from galleries import signed_urls

    before = set(
        re.findall(r"/galleries/files/[^/]+/", grid(client.get(gallery_url(link))))
    )
    later = signed_urls.time.time() + 2 * signed_urls.LOCAL_URL_PERIOD
    monkeypatch.setattr(signed_urls.time, "time", lambda: later)

    after = set(
        re.findall(r"/galleries/files/[^/]+/", grid(client.get(gallery_url(link))))
    )

    # The factory's photos share one folder, so one token each time.
    assert before
    assert after
    assert before.isdisjoint(after)


def test_a_photo_added_to_the_gallery_renumbers_every_tile(client, link, gallery):
    client.get(gallery_url(link))
    ReadyPhotoFactory(gallery=gallery, photo_set=gallery.sets.first())

    text = grid(client.get(gallery_url(link)))

    assert text.count(" of 6: ") == 6
    assert " of 5: " not in text


def test_without_script_each_heart_posts_the_shared_form_with_its_csrf_token(
    client, link, gallery
):
    photo = gallery.photos.first()
    text = page(client.get(gallery_url(link)))

    assert re.search(
        r'<form id="hearts" method="post" hidden><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="\w+"></form>',
        text,
    )
    toggle = reverse("sharing:favourite_toggle", args=[link.token, photo.pk])
    assert f'form="hearts" formaction="{toggle}" name="hearted" value="1"' in text


def test_a_gallery_page_can_be_indexed_since_its_token_is_its_lock(client, link):
    # Lighthouse's SEO audit (and the brief) rule out noindex on the gallery itself.
    text = page(client.get(gallery_url(link)))
    assert 'name="robots"' not in text
    assert '<html lang="en"' in text
    assert '<meta name="description"' in text


def test_a_big_gallery_comes_in_pages_with_a_plain_more_link(client, gallery, link):
    ReadyPhotoFactory.create_batch(FIRST_PAGE + PAGE_SIZE, gallery=gallery)
    total = FIRST_PAGE + PAGE_SIZE + 5

    first = page(client.get(gallery_url(link)))
    assert first.count('<li class="tile"') == FIRST_PAGE
    assert f'href="?from={FIRST_PAGE}#photos"' in first
    assert "Earlier photos" not in first

    second = page(client.get(gallery_url(link, f"?from={FIRST_PAGE}")))
    assert second.count('<li class="tile"') == PAGE_SIZE
    assert f'href="?from={FIRST_PAGE + PAGE_SIZE}#photos"' in second
    assert f'href="{gallery_url(link)}#photos" rel="prev"' in second

    last = page(client.get(gallery_url(link, f"?from={FIRST_PAGE + PAGE_SIZE}")))
    assert last.count('<li class="tile"') == 5
    assert "More photos" not in last
    assert f'href="?from={FIRST_PAGE}#photos" rel="prev"' in last
    assert f'data-n="{total}"' in last

    assert client.get(gallery_url(link, f"?from={total}")).status_code == 404
    assert client.get(gallery_url(link, "?from=junk")).status_code == 200


def test_the_next_page_comes_as_a_fragment_for_infinite_scroll(client, gallery, link):
    ReadyPhotoFactory.create_batch(FIRST_PAGE, gallery=gallery)
    first = page(client.get(gallery_url(link)))
    fragment_url = re.search(r'data-more="([^"]+)"', first).group(1)

    fragment = page(client.get(fragment_url.replace("&amp;", "&")))

    assert fragment.lstrip().startswith('<li class="tile"')
    assert fragment.count('<li class="tile"') == 5
    assert "<html" not in fragment
    assert f'data-n="{FIRST_PAGE + 1}"' in fragment


def test_the_gallery_of_1000_photos_needs_a_fixed_number_of_queries(
    client, gallery, link, django_assert_max_num_queries
):
    photos = ReadyPhotoFactory.create_batch(1000, gallery=gallery)
    client.post(
        reverse("sharing:favourites_start", args=[link.token]), {"name": "Anna"}
    )
    favourite_list = link.favourite_lists.get()
    for photo in photos[::20]:
        services.favourite_add(favourite_list=favourite_list, photo=photo)
    client.get(gallery_url(link))  # today's salt and counters exist from now on

    with django_assert_max_num_queries(9):
        response = client.get(gallery_url(link))
    assert response.status_code == 200

    with django_assert_max_num_queries(8):
        fragment = client.get(
            reverse("sharing:gallery_photos", args=[link.token]) + "?from=520"
        )
    assert page(fragment).count('<li class="tile"') == PAGE_SIZE
    assert page(fragment).count('aria-pressed="true"') == PAGE_SIZE // 20


def test_a_visit_counts_once_not_for_every_page_of_photos(client, gallery, link):
    ReadyPhotoFactory.create_batch(FIRST_PAGE, gallery=gallery)
    inside = "http://testserver" + gallery_url(link)
    more = f"?from={FIRST_PAGE}"

    client.get(gallery_url(link))
    client.get(gallery_url(link, more), HTTP_REFERER=inside)
    client.get(reverse("sharing:gallery_photos", args=[link.token]) + more)
    client.get(photo_url(link, gallery.photos.first()), HTTP_REFERER=inside)

    day = LinkDay.objects.get(link=link)
    assert day.views == 1
    assert day.visitors == 1
    link.refresh_from_db()
    assert link.last_visited_at is not None


def test_a_photo_shared_on_its_own_counts_as_a_visit(client, gallery, link):
    client.get(photo_url(link, gallery.photos.first()))
    assert LinkDay.objects.get(link=link).views == 1


def test_the_photographer_checking_their_own_link_is_not_counted_as_a_visitor(
    owner_client, gallery, link
):
    assert owner_client.get(gallery_url(link)).status_code == 200
    assert not LinkDay.objects.filter(link=link).exists()


def test_downloading_everything_is_offered_only_when_the_link_allows(client, link):
    assert reverse("sharing:zip", args=[link.token]) in page(
        client.get(gallery_url(link))
    )

    services.link_update(link=link, downloads="none")
    text = page(client.get(gallery_url(link)))
    assert reverse("sharing:zip", args=[link.token]) not in text
    assert "data-download-web" not in text


def test_an_empty_gallery_says_so(client, owner):
    link = ShareLinkFactory(gallery=GalleryFactory(owner=owner, title="Soon"))
    response = client.get(gallery_url(link))
    assert response.status_code == 200
    assert "no photos here yet" in page(response)


def test_the_gallery_page_is_compressed_for_browsers_that_accept_it(client, link):
    response = client.get(gallery_url(link), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("same_position", [False, True])
def test_page_after_page_the_grid_shows_every_photo_once_in_gallery_order(
    client, gallery, link, ceremony, reception, same_position
):
    # Pages that end in one set and go on in the next, read set by set, and sets
    # that share a position (read in one sorted query): the same order either way.
    ReadyPhotoFactory.create_batch(60, gallery=gallery, photo_set=reception)
    ReadyPhotoFactory.create_batch(70, gallery=gallery, photo_set=ceremony)
    if same_position:
        reception.position = ceremony.position
        reception.save()
    expected = [str(pk) for pk in link.visible_photos().values_list("pk", flat=True)]

    shown = re.findall(r'data-id="([^"]+)"', grid(client.get(gallery_url(link))))
    while len(shown) < len(expected):
        fragment = client.get(
            reverse("sharing:gallery_photos", args=[link.token]) + f"?from={len(shown)}"
        )
        shown += re.findall(r'data-id="([^"]+)"', page(fragment))

    assert shown == expected
    assert [f"{number}" for number in range(1, len(expected) + 1)] == re.findall(
        r'data-n="(\d+)"',
        grid(client.get(gallery_url(link)))
        + "".join(
            page(client.get(reverse("sharing:gallery_photos", args=[link.token]) + q))
            for q in ("?from=40", "?from=120")
        ),
    )
