"""A gallery's design: the service, the owner's Design page and its preview, the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.tests.openapi import assert_documented
from galleries import design
from galleries.models import Gallery
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory


@pytest.fixture
def gallery(owner):
    gallery = GalleryFactory(owner=owner, title="Anna & Ben")
    ReadyPhotoFactory.create_batch(3, gallery=gallery)
    return gallery


def design_url(gallery):
    return reverse("galleries:design", args=[gallery.pk])


def preview_url(gallery, query=""):
    return reverse("galleries:design_preview", args=[gallery.pk]) + query


def api_url(gallery):
    return reverse("api:gallery_design", args=[gallery.pk])


# --- The service -----------------------------------------------------------------------


def test_a_new_gallery_has_a_full_screen_cover_centred_justified_rows_and_the_system_theme(
    gallery,
):
    shown = design.design_of(gallery)

    assert shown.root_classes == (
        "cover-hero grid-justified spacing-regular theme-system"
    )
    assert shown.object_position == "50% 50%"


@pytest.mark.parametrize("value", [-0.01, 1.01, "abc", float("nan"), True, None])
def test_a_focal_point_outside_the_photo_is_refused_and_nothing_is_saved(
    gallery, value
):
    with pytest.raises(ValidationError) as refused:
        design.design_update(gallery=gallery, focal_x=value, theme="dark")

    assert "focal_x" in refused.value.message_dict
    gallery.refresh_from_db()
    assert (gallery.focal_x, gallery.theme) == (0.5, "system")


@pytest.mark.parametrize("value", [0, 1, 0.333, "0.25"])
def test_a_focal_point_from_edge_to_edge_is_kept(gallery, value):
    design.design_update(gallery=gallery, focal_y=value)

    gallery.refresh_from_db()
    assert gallery.focal_y == float(value)


def test_a_layout_that_is_not_offered_is_refused(gallery):
    with pytest.raises(ValidationError) as refused:
        design.design_update(gallery=gallery, cover_layout="carousel")

    assert "cover_layout" in refused.value.message_dict


# --- The Design page -------------------------------------------------------------------


def test_the_gallery_page_leads_to_its_design(owner_client, gallery):
    text = owner_client.get(reverse("galleries:detail", args=[gallery.pk])).text

    assert design_url(gallery) in text


def test_a_photographer_saves_a_split_cover_with_its_focal_point_masonry_and_dark(
    owner_client, gallery
):
    response = owner_client.post(
        design_url(gallery),
        {
            "cover_layout": "split",
            "focal_x": "0.25",
            "focal_y": "0.4",
            "grid_style": "masonry",
            "spacing": "airy",
            "theme": "dark",
        },
        follow=True,
    )

    assert "The design is saved." in response.text
    gallery.refresh_from_db()
    assert design.design_of(gallery) == design.DesignView(
        "split", 0.25, 0.4, "masonry", "airy", "dark"
    )


def test_a_focal_point_off_the_photo_is_shown_on_its_field_and_not_saved(
    owner_client, gallery
):
    response = owner_client.post(
        design_url(gallery),
        {
            "cover_layout": "hero",
            "focal_x": "1.5",
            "focal_y": "0.5",
            "grid_style": "justified",
            "spacing": "regular",
            "theme": "system",
        },
    )

    assert response.status_code == 400
    assert "aria-invalid" in response.text
    gallery.refresh_from_db()
    assert gallery.focal_x == 0.5


def test_the_page_offers_the_cover_photo_to_click_and_a_live_preview(
    owner_client, gallery
):
    text = owner_client.get(design_url(gallery)).text

    assert "data-focal-img" in text
    assert f'src="{preview_url(gallery)}"' in text
    assert "js/design-page.js" in text


def test_the_preview_shows_the_forms_values_without_saving_them(owner_client, gallery):
    response = owner_client.get(
        preview_url(gallery, "?cover_layout=split&focal_x=0.2&grid_style=squares")
    )

    assert response.status_code == 200
    assert 'class="cover-split grid-squares spacing-regular theme-system"' in (
        response.text
    )
    assert "object-position:20% 50%" in response.text
    assert response.text.count('<li class="tile"') == 3
    gallery.refresh_from_db()
    assert (gallery.cover_layout, gallery.grid_style) == ("hero", "justified")


def test_the_preview_ignores_values_that_are_not_offered(owner_client, gallery):
    text = owner_client.get(preview_url(gallery, "?focal_x=7&theme=neon")).text

    assert "theme-system" in text
    assert "object-position:50% 50%" in text


def test_the_preview_may_be_framed_by_the_design_page_only(owner_client, gallery):
    framed = owner_client.get(preview_url(gallery))
    page = owner_client.get(design_url(gallery))

    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in framed["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["galleries:design", "galleries:design_preview"])
def test_a_stranger_finds_no_design_page_of_another_photographers_gallery(
    stranger_client, gallery, name
):
    response = stranger_client.get(reverse(name, args=[gallery.pk]))

    assert response.status_code == 404


def test_a_strangers_save_leaves_the_owners_design_alone(stranger_client, gallery):
    response = stranger_client.post(
        design_url(gallery), {"cover_layout": "none", "theme": "dark"}
    )

    assert response.status_code == 404
    gallery.refresh_from_db()
    assert (gallery.cover_layout, gallery.theme) == ("hero", "system")


@pytest.mark.parametrize("name", ["galleries:design", "galleries:design_preview"])
def test_an_anonymous_visitor_is_sent_to_log_in_from_a_design_page(
    client, gallery, name
):
    response = client.get(reverse(name, args=[gallery.pk]))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_anonymous_post_changes_no_design(client, gallery):
    client.post(design_url(gallery), {"cover_layout": "none"})

    gallery.refresh_from_db()
    assert gallery.cover_layout == "hero"


# --- The API -----------------------------------------------------------------------------


def test_the_api_gives_a_gallerys_design(owner_api, gallery):
    design.design_update(gallery=gallery, focal_x=0.75, grid_style="squares")

    response = owner_api.get(api_url(gallery))

    assert response.status_code == 200
    assert response.json() == {
        "cover_layout": "hero",
        "focal_x": 0.75,
        "focal_y": 0.5,
        "grid_style": "squares",
        "spacing": "regular",
        "theme": "system",
        "object_position": "75% 50%",
    }
    assert_documented(response)


def test_the_api_saves_a_design(owner_api, gallery):
    response = owner_api.patch(
        api_url(gallery), {"cover_layout": "none", "theme": "light"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["cover_layout"] == "none"
    gallery.refresh_from_db()
    assert (gallery.cover_layout, gallery.theme) == ("none", "light")
    assert_documented(response)


@pytest.mark.parametrize("value", [-0.5, 2])
def test_the_api_refuses_a_focal_point_off_the_photo(owner_api, gallery, value):
    response = owner_api.patch(api_url(gallery), {"focal_y": value}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "focal_y"
    gallery.refresh_from_db()
    assert gallery.focal_y == 0.5
    assert_documented(response)


def test_the_api_refuses_a_grid_that_is_not_offered(owner_api, gallery):
    response = owner_api.patch(api_url(gallery), {"grid_style": "x"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "grid_style"
    assert_documented(response)


def test_a_strangers_api_finds_no_design_and_changes_none(stranger_api, gallery):
    assert stranger_api.get(api_url(gallery)).status_code == 404
    response = stranger_api.patch(api_url(gallery), {"theme": "dark"}, format="json")

    assert response.status_code == 404
    gallery.refresh_from_db()
    assert gallery.theme == Gallery.Theme.SYSTEM


def test_the_design_api_refuses_an_anonymous_caller(api_client, gallery):
    assert api_client.get(api_url(gallery)).status_code == 401
    assert api_client.patch(api_url(gallery), {"theme": "dark"}).status_code == 401
    gallery.refresh_from_db()
    assert gallery.theme == Gallery.Theme.SYSTEM
