"""The Brand page and API: a studio's logo, accent, typefaces, contact and credit."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from config.tests.openapi import assert_documented
from galleries import brand
from galleries.models import Brand
from galleries.tests import brand_files as files


def stored_image(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


# --- The page -----------------------------------------------------------------------


def test_the_brand_page_is_linked_from_the_navigation(owner_client):
    page = owner_client.get(reverse("galleries:dashboard")).content.decode()

    assert f'href="{reverse("galleries:brand")}"' in page


def test_a_photographer_saves_an_accent_typefaces_contact_and_no_credit(
    owner_client, owner
):
    response = owner_client.post(
        reverse("galleries:brand"),
        {
            "accent": "#FFD60A",
            "typeface": "editorial",
            "website": "https://olivia.studio",
            "email": "hello@olivia.studio",
            "phone": "+44 20 7946 0000",
            "instagram": "@olivia.studio",
        },
    )

    assert response.status_code == 302
    saved = Brand.objects.get(owner=owner)
    assert saved.accent == "#ffd60a"
    assert saved.typeface == "editorial"
    assert saved.instagram == "olivia.studio"
    assert saved.credit_proofsheet is False


def test_the_page_shows_the_accent_with_the_text_colours_chosen_for_it(
    owner_client, owner
):
    brand.brand_update(owner=owner, accent="#ffd60a")

    page = owner_client.get(reverse("galleries:brand")).content.decode()

    assert "background:#ffd60a;color:#1b1a18" in page


def test_a_wrong_instagram_name_is_shown_on_its_field(owner_client, owner):
    response = owner_client.post(
        reverse("galleries:brand"),
        {"accent": "#1d6354", "typeface": "system", "instagram": "not a name!"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["instagram"]
    assert not Brand.objects.filter(owner=owner, instagram__contains="name").exists()


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_brand_page(client):
    response = client.get(reverse("galleries:brand"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_anonymous_visitor_cannot_upload_a_logo(client):
    response = client.post(
        reverse("galleries:brand_logo_upload", args=["light"]),
        {"light-logo": files.png_logo()},
    )

    assert response.status_code == 302
    assert files.stored_brand_files() == []


def test_a_stranger_sees_their_own_brand_never_the_owners(stranger_client, owner):
    brand.brand_update(owner=owner, website="https://olivia.studio")

    page = stranger_client.get(reverse("galleries:brand")).content.decode()

    assert "olivia.studio" not in page


def test_a_strangers_save_changes_only_their_own_brand(
    stranger_client, owner, stranger
):
    brand.brand_update(owner=owner, accent="#123456")

    stranger_client.post(
        reverse("galleries:brand"), {"accent": "#ff0000", "typeface": "modern"}
    )

    assert Brand.objects.get(owner=owner).accent == "#123456"
    assert Brand.objects.get(owner=stranger).accent == "#ff0000"


def test_a_strangers_logo_removal_leaves_the_owners_logo(stranger_client, owner):
    brand.logo_set(owner=owner, upload=files.png_logo())

    stranger_client.post(reverse("galleries:brand_logo_remove", args=["light"]))

    assert Brand.objects.get(owner=owner).logo
    assert len(files.stored_brand_files()) == 1


# --- Logos ----------------------------------------------------------------------------


def test_an_uploaded_logo_is_stored_as_a_clean_png_that_fits_the_box(
    owner_client, owner
):
    response = owner_client.post(
        reverse("galleries:brand_logo_upload", args=["light"]),
        {"light-logo": files.png_logo(size=(1600, 400))},
    )

    assert response.status_code == 302
    saved = Brand.objects.get(owner=owner)
    image = stored_image(saved.logo)
    assert image.format == "PNG"
    assert (saved.logo_width, saved.logo_height) == image.size == (1000, 250)
    assert image.mode == "RGBA"  # transparency kept
    assert "Author" not in image.info  # metadata dropped
    assert not image.getexif()


def test_a_jpeg_logo_loses_its_exif(owner):
    saved = brand.logo_set(owner=owner, upload=files.jpeg_logo())

    assert not stored_image(saved.logo).getexif()


@pytest.mark.parametrize(
    ("upload", "code", "words"),
    [
        (files.corrupt_png, "damaged", "damaged"),
        (files.text_file, "unsupported", "not a photo"),
        (files.tiff_logo, "unsupported", "PNG, JPEG or WebP"),
        (files.svg_with_script, "svg", "SVG logos are not accepted"),
    ],
    ids=["corrupt", "not an image", "TIFF", "SVG with a script"],
)
def test_a_refused_logo_says_why_and_leaves_nothing_stored(
    owner_client, owner, upload, code, words
):
    response = owner_client.post(
        reverse("galleries:brand_logo_upload", args=["light"]),
        {"light-logo": upload()},
    )

    assert response.status_code == 400
    assert words in " ".join(response.context["logo_form"].errors["logo"])
    assert files.stored_brand_files() == []
    assert not Brand.objects.filter(owner=owner).exclude(logo="").exists()


def test_an_svg_named_svg_is_refused_whatever_it_holds(owner):
    upload = files.png_logo(name="logo.svg")

    with pytest.raises(Exception, match="SVG logos are not accepted"):
        brand.logo_set(owner=owner, upload=upload)


def test_a_new_logo_replaces_the_old_file(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = brand.logo_set(owner=owner, upload=files.png_logo()).logo
    with django_capture_on_commit_callbacks(execute=True):
        second = brand.logo_set(owner=owner, upload=files.jpeg_logo()).logo

    assert files.stored_brand_files() == [second]
    assert first != second


def test_a_dark_logo_is_kept_beside_the_logo(owner):
    brand.logo_set(owner=owner, upload=files.png_logo())
    brand.logo_set(owner=owner, upload=files.jpeg_logo(), dark=True)

    shown = brand.brand_for(owner)

    assert shown.logo.url != shown.logo_dark.url
    assert shown.logo_on_dark == shown.logo_dark


def test_the_logo_is_served_to_anyone_and_cached_for_good(client, owner):
    shown = brand.logo_set(owner=owner, upload=files.png_logo()) and brand.brand_for(
        owner
    )

    response = client.get(shown.logo.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]


def test_a_logo_address_that_is_not_the_studios_current_logo_is_not_found(
    client, owner, stranger
):
    brand.logo_set(owner=owner, upload=files.png_logo())
    filename = Brand.objects.get(owner=owner).logo.rpartition("/")[2]

    response = client.get(reverse("galleries:brand_logo", args=[stranger.pk, filename]))

    assert response.status_code == 404


def test_deleting_the_account_deletes_its_logo(
    owner, django_capture_on_commit_callbacks
):
    brand.logo_set(owner=owner, upload=files.png_logo())

    with django_capture_on_commit_callbacks(execute=True):
        owner.delete()

    assert files.stored_brand_files() == []


# --- The API --------------------------------------------------------------------------


def test_the_api_gives_the_brand_with_its_computed_colours(owner_api, owner):
    brand.brand_update(owner=owner, accent="#ffd60a")

    response = owner_api.get(reverse("api:brand"))

    assert response.status_code == 200
    assert response.json()["on_accent"] == "#1b1a18"
    assert_documented(response)


def test_the_api_saves_settings(owner_api, owner):
    response = owner_api.patch(
        reverse("api:brand"),
        {"accent": "#1D3557", "credit_proofsheet": False},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["accent"] == "#1d3557"
    assert Brand.objects.get(owner=owner).credit_proofsheet is False
    assert_documented(response)


def test_the_api_refuses_an_accent_that_is_not_a_colour(owner_api):
    response = owner_api.patch(reverse("api:brand"), {"accent": "red"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "accent"
    assert_documented(response)


def test_the_api_uploads_a_logo(owner_api, owner):
    response = owner_api.post(
        reverse("api:brand_logo"), {"logo": files.png_logo()}, format="multipart"
    )

    assert response.status_code == 200
    assert response.json()["logo"]["width"] == 1000
    assert_documented(response)


def test_the_api_refuses_an_svg_logo_with_its_code_and_stores_nothing(owner_api):
    response = owner_api.post(
        reverse("api:brand_logo_dark"),
        {"logo": files.svg_with_script()},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "svg"
    assert files.stored_brand_files() == []
    assert_documented(response)


def test_the_api_removes_a_logo(owner_api, owner, django_capture_on_commit_callbacks):
    brand.logo_set(owner=owner, upload=files.png_logo())

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.delete(reverse("api:brand_logo"))

    assert response.status_code == 204
    assert files.stored_brand_files() == []


@pytest.mark.parametrize("name", ["api:brand", "api:brand_logo", "api:brand_logo_dark"])
def test_the_brand_api_refuses_an_anonymous_caller(api_client, name):
    assert api_client.get(reverse(name)).status_code == 401


def test_a_strangers_api_brand_is_their_own(stranger_api, owner):
    brand.brand_update(owner=owner, website="https://olivia.studio")

    response = stranger_api.get(reverse("api:brand"))

    assert response.json()["website"] == ""


def test_a_strangers_api_logo_removal_leaves_the_owners(stranger_api, owner):
    brand.logo_set(owner=owner, upload=files.png_logo())

    stranger_api.delete(reverse("api:brand_logo"))

    assert Brand.objects.get(owner=owner).logo


def test_the_api_refuses_a_website_that_is_not_a_web_address(owner_api):
    response = owner_api.patch(
        reverse("api:brand"), {"website": "javascript:alert(1)"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "website"
    assert_documented(response)
