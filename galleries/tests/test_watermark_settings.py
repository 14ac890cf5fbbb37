"""The studio watermark's settings: the Watermark page and the owner API, and who may
change them."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from galleries import watermarks
from galleries.models import Watermark


def _png(mode: str = "RGBA", fmt: str = "PNG") -> bytes:
    image = Image.new(mode, (200, 80), (255, 255, 255, 0) if mode == "RGBA" else 0)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def test_a_photographer_saves_a_text_watermark_on_its_page(owner_client, owner):
    response = owner_client.post(
        reverse("galleries:watermark"),
        {
            "kind": "text",
            "text": "© Olivia Studio",
            "position": "tiled",
            "size": "30",
            "opacity": "40",
        },
    )

    assert response.status_code == 302
    row = Watermark.objects.get(owner=owner)
    assert (row.text, row.position, row.size, row.opacity) == (
        "© Olivia Studio",
        "tiled",
        30,
        40,
    )
    assert row.version
    assert (
        "Watermark" in owner_client.get(reverse("galleries:watermark")).content.decode()
    )


def test_a_size_beyond_the_photo_is_refused_on_its_field(owner_client, owner):
    response = owner_client.post(
        reverse("galleries:watermark"),
        {
            "kind": "text",
            "text": "x",
            "position": "centre",
            "size": "300",
            "opacity": "50",
        },
    )

    assert response.status_code == 400
    assert not Watermark.objects.filter(owner=owner, size=300).exists()


def test_only_what_is_drawn_changes_the_version(owner):
    first = watermarks.watermark_update(owner=owner, text="© Olivia").version
    same = watermarks.watermark_update(owner=owner, text="© Olivia").version
    moved = watermarks.watermark_update(owner=owner, position="centre").version

    assert first == same != moved


def test_a_transparent_png_becomes_the_watermark_image(owner_client, owner):
    upload = SimpleUploadedFile("mark.png", _png(), content_type="image/png")
    response = owner_client.post(
        reverse("galleries:watermark_image_upload"), {"image": upload}
    )

    assert response.status_code == 302
    row = Watermark.objects.get(owner=owner)
    assert row.kind == Watermark.Kind.IMAGE
    assert default_storage.exists(row.image)


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("mark.jpg", _png("RGB", "JPEG")),
        ("mark.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    ],
)
def test_an_image_without_transparency_support_is_refused_with_why(
    owner_api, owner, filename, data
):
    response = owner_api.post(
        reverse("api:watermark_image"),
        {"image": SimpleUploadedFile(filename, data)},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "image"
    assert not Watermark.objects.filter(owner=owner).exclude(image="").exists()


def test_the_api_reads_and_saves_the_watermark(owner_api, owner):
    saved = owner_api.patch(
        reverse("api:watermark"),
        {"text": "© Olivia", "position": "top-left", "opacity": 70},
        format="json",
    )
    read = owner_api.get(reverse("api:watermark"))

    assert saved.status_code == read.status_code == 200
    body = read.json()
    assert (body["text"], body["position"], body["opacity"]) == (
        "© Olivia",
        "top-left",
        70,
    )
    assert body["version"] == Watermark.objects.get(owner=owner).version


def test_an_anonymous_visitor_cannot_read_or_change_a_watermark(client, api_client):
    page = client.post(reverse("galleries:watermark"), {"text": "mine"})
    api = api_client.patch(reverse("api:watermark"), {"text": "mine"}, format="json")

    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:login"))
    assert api.status_code == 401
    assert not Watermark.objects.exists()


def test_a_stranger_changes_only_their_own_watermark(stranger_api, stranger, owner):
    watermarks.watermark_update(owner=owner, text="© Olivia")

    stranger_api.patch(reverse("api:watermark"), {"text": "© Sam"}, format="json")
    stranger_api.delete(reverse("api:watermark_image"))

    assert Watermark.objects.get(owner=owner).text == "© Olivia"
    assert Watermark.objects.get(owner=stranger).text == "© Sam"
