"""Each photo's own page on a share link."""

import re

from django.urls import reverse

from galleries.tests.factories import ReadyPhotoFactory
from sharing import services
from sharing.tests.factories import ShareLinkFactory
from sharing.tests.visitor_pages import gallery_url, ordered, page, photo_url
from sharing.views.visitor import FIRST_PAGE, PAGE_SIZE


def test_each_photo_has_a_page_with_the_large_picture(client, link):
    first = ordered(link)[0]

    response = client.get(photo_url(link, first))

    text = page(response)
    assert response.status_code == 200
    assert "preview.jpeg 2048w" in text
    assert f'alt="{first.original_filename}"' in text
    assert "1 / 5" in text
    assert f"#p-{first.pk}" in text  # back to the grid, at this photo


def test_a_photo_page_leads_to_the_previous_and_next_photos_in_order(client, link):
    photos = ordered(link)

    first = page(client.get(photo_url(link, photos[0])))
    middle = page(client.get(photo_url(link, photos[2])))
    last = page(client.get(photo_url(link, photos[-1])))

    assert 'rel="prev"' not in first
    assert f'href="{photo_url(link, photos[1])}" rel="next"' in first
    assert f'href="{photo_url(link, photos[1])}" rel="prev"' in middle
    assert f'href="{photo_url(link, photos[3])}" rel="next"' in middle
    assert 'rel="next"' not in last


def test_back_from_a_photo_leads_to_the_grid_page_that_holds_it(client, gallery, link):
    ReadyPhotoFactory.create_batch(FIRST_PAGE + PAGE_SIZE, gallery=gallery)
    photos = ordered(link)
    late = photos[FIRST_PAGE + PAGE_SIZE + 2]

    text = page(client.get(photo_url(link, late)))

    back = gallery_url(link, f"?from={FIRST_PAGE + PAGE_SIZE}#p-{late.pk}")
    assert f'href="{back}"' in text
    grid_page = page(client.get(gallery_url(link, f"?from={FIRST_PAGE + PAGE_SIZE}")))
    assert f'id="p-{late.pk}"' in grid_page


def test_a_photo_page_reached_from_a_set_stays_within_the_set(client, link, reception):
    first, second = reception.photos.order_by("position")
    query = f"?set={reception.pk}"

    text = page(client.get(photo_url(link, first, query)))

    assert "1 / 2" in text
    assert f'href="{photo_url(link, second, query)}" rel="next"' in text
    assert 'rel="prev"' not in text


def test_a_photo_of_another_gallery_or_a_hidden_set_is_not_found(
    client, gallery, ceremony, reception, other_gallery
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])

    for photo in (reception.photos.first(), other_gallery.photos.first()):
        assert client.get(photo_url(link, photo)).status_code == 404


def test_download_buttons_follow_what_the_link_allows(client, link, gallery):
    photo = gallery.photos.first()
    download = reverse("sharing:photo_download", args=[link.token, photo.pk])

    text = page(client.get(photo_url(link, photo)))
    assert f"{download}?size=web" in text
    assert f"{download}?size=original" not in text

    services.link_update(link=link, downloads="original")
    text = page(client.get(photo_url(link, photo)))
    assert f"{download}?size=web" in text
    assert f"{download}?size=original" in text

    services.link_update(link=link, downloads="none")
    assert download not in page(client.get(photo_url(link, photo)))


def test_the_gallery_page_carries_its_icon_instead_of_asking_for_it(client, link):
    from urllib.parse import unquote

    text = page(client.get(gallery_url(link)))

    icon = re.search(r'<link rel="icon" href="data:image/svg\+xml,([^"]+)"', text)
    assert icon, "the favicon is a request of its own"
    svg = unquote(icon.group(1).replace("&quot;", '"'))
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert 'aria-label="Proofsheet"' in svg
