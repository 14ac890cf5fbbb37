"""A gallery's design as its clients see it: the cover's layout and focal point, the
grid's style and spacing, and the theme, on the link's pages."""

import re

import pytest

from galleries import brand, design
from galleries.models import Gallery
from galleries.tests import brand_files
from sharing.tests.visitor_pages import gallery_url, page, photo_url


def root_classes(text: str) -> set[str]:
    return set(re.search(r'<html lang="[^"]*" class="([^"]*)"', text)[1].split())


def hero(text: str) -> str:
    return text.split('<header class="hero', 1)[1].split("</header>", 1)[0]


def test_a_gallery_opens_on_a_full_screen_cover_with_a_way_to_its_photos(
    client, gallery, link
):
    text = page(client.get(gallery_url(link)))

    assert {"cover-hero", "grid-justified", "spacing-regular", "theme-system"} <= (
        root_classes(text)
    )
    assert ".hero__view" in text  # the design's rules, written into the page
    cover = hero(text)
    assert 'class="button hero__view" href="#photos">View gallery</a>' in cover
    assert 'class="hero__cue" href="#photos"' in cover
    assert 'id="photos"' in text


def test_the_focal_point_is_where_the_cover_is_cropped_from(client, gallery, link):
    design.design_update(gallery=gallery, focal_x=0.3, focal_y=0.125)

    cover = hero(page(client.get(gallery_url(link))))

    assert "object-position:30% 12.5%" in cover


def test_a_split_cover_shows_the_photo_beside_the_title_with_the_page_colours(
    client, gallery, link, owner
):
    brand.brand_update(owner=owner, accent="#1d6354")
    design.design_update(gallery=gallery, cover_layout="split")

    text = page(client.get(gallery_url(link)))

    assert "cover-split" in root_classes(text)
    cover = hero(text)
    assert "hero__img" in cover
    assert "View gallery" in cover
    assert "hero__cue" not in cover  # the photo does not fill the screen


def test_without_a_cover_the_page_opens_on_the_title_alone(client, gallery, link):
    design.design_update(gallery=gallery, cover_layout="none")

    text = page(client.get(gallery_url(link)))

    assert "cover-none" in root_classes(text)
    assert '<header class="hero hero--plain">' in text
    assert "hero__img" not in text
    assert "View gallery" not in text
    assert "Anna &amp; Ben" in hero(text)


@pytest.mark.parametrize(
    ("grid_style", "spacing"),
    [("masonry", "tight"), ("squares", "airy"), ("justified", "regular")],
)
def test_the_grid_is_drawn_in_the_chosen_style_and_spacing(
    client, gallery, link, grid_style, spacing
):
    design.design_update(gallery=gallery, grid_style=grid_style, spacing=spacing)

    classes = root_classes(page(client.get(gallery_url(link))))

    assert {f"grid-{grid_style}", f"spacing-{spacing}"} <= classes
    assert len([c for c in classes if c.startswith("grid-")]) == 1


@pytest.mark.parametrize(
    ("theme", "colour"), [("light", "#faf8f5"), ("dark", "#121110")]
)
def test_a_chosen_theme_is_the_pages_whatever_the_device_prefers(
    client, gallery, link, theme, colour
):
    design.design_update(gallery=gallery, theme=theme)

    text = page(client.get(gallery_url(link)))

    assert f"theme-{theme}" in root_classes(text)
    assert f'<meta name="color-scheme" content="{theme}">' in text
    assert f'<meta name="theme-color" content="{colour}">' in text
    assert "prefers-color-scheme: light" not in text.split("</head>")[0]


def test_the_system_theme_follows_the_visitors_device(client, gallery, link):
    text = page(client.get(gallery_url(link)))

    assert '<meta name="color-scheme" content="light dark">' in text
    assert 'media="(prefers-color-scheme: dark)"' in text


def test_a_dark_theme_shows_the_studios_dark_logo_on_the_page(
    client, gallery, link, owner
):
    brand.logo_set(owner=owner, upload=brand_files.png_logo())
    brand.logo_set(owner=owner, upload=brand_files.png_logo(), dark=True)
    design.design_update(gallery=gallery, theme="dark", cover_layout="none")

    mark = hero(page(client.get(gallery_url(link))))

    assert '<source media="all"' in mark


def test_the_photo_page_wears_the_gallerys_theme_too(client, gallery, link):
    design.design_update(gallery=gallery, theme=Gallery.Theme.DARK)
    photo = gallery.photos.first()

    text = page(client.get(photo_url(link, photo)))

    assert "theme-dark" in root_classes(text)
