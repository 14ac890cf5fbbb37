"""The name an upload keeps, and how that name is shown and downloaded."""

import pytest
from django.urls import reverse

from galleries.filenames import download_name, upload_name
from galleries.models import Photo
from galleries.tests.conftest import PHOTOS

SCRIPT_NAME = "<script>alert(1)</script>.jpg"


@pytest.mark.parametrize(
    "sent",
    [
        SCRIPT_NAME,
        "AC/DC live.jpg",
        "Wedding/IMG_0001.jpg",
        "back\\slash.jpg",
        "v1.2/final.jpg",
        "…/dots.jpg",
    ],
)
def test_a_slash_inside_a_name_is_kept(sent):
    assert upload_name(sent) == sent


@pytest.mark.parametrize(
    "sent",
    [
        "C:\\Users\\a\\IMG_1.jpg",
        "C:/Users/a/IMG_1.jpg",
        "\\\\server\\share\\IMG_1.jpg",
        "/home/a/IMG_1.jpg",
        "~/Pictures/IMG_1.jpg",
        "../../IMG_1.jpg",
        "..\\..\\IMG_1.jpg",
        "./IMG_1.jpg",
        "photos/../IMG_1.jpg",
        "  /home/a/IMG_1.jpg  ",
    ],
)
def test_a_full_path_keeps_only_the_file_name(sent):
    assert upload_name(sent) == "IMG_1.jpg"


@pytest.mark.parametrize("sent", ["C:\\", "/home/a/", "..", "/..", "   ", "\x00\x01"])
def test_a_path_without_a_file_name_leaves_no_name(sent):
    assert upload_name(sent) == ""


def test_invisible_characters_that_disguise_a_name_are_dropped():
    assert upload_name("photo\u202egpj.exe") == "photogpj.exe"
    assert upload_name("a\x00b\nc.jpg") == "ab c.jpg"
    # macOS sends accents decomposed; they are kept, composed.
    assert upload_name("Cafe\u0301.jpg") == "Café.jpg"


def test_a_long_name_is_shortened_keeping_its_extension():
    name = upload_name("x" * 400 + ".jpeg")

    assert len(name) == 255
    assert name.endswith("x.jpeg")


def test_a_download_name_is_one_component_that_every_system_saves():
    assert download_name(SCRIPT_NAME) == "_script_alert(1)__script_.jpg"
    assert "/" not in download_name("AC/DC live.jpg")
    assert download_name("...") == "photo"


def _upload_as(upload, gallery, name) -> Photo:
    data = (PHOTOS / "orientation" / "landscape_1.jpg").read_bytes()
    response = upload(gallery, data, filename=name)
    assert response.status_code == 200, response.content
    return Photo.objects.get(pk=response.json()["id"])


def test_an_upload_keeps_the_name_with_a_slash_and_the_page_escapes_it(
    gallery, upload, owner_client, owner_api
):
    photo = _upload_as(upload, gallery, SCRIPT_NAME)

    assert photo.original_filename == SCRIPT_NAME
    api = owner_api.get(reverse("api:photo-detail", args=[photo.pk])).json()
    assert api["filename"] == SCRIPT_NAME
    html = owner_client.get(reverse("galleries:detail", args=[gallery.pk])).content
    assert b"<script>alert(1)" not in html
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;.jpg" in html


def test_downloading_the_original_of_such_a_name_saves_one_file_not_a_folder(
    gallery, upload, owner_client
):
    photo = _upload_as(upload, gallery, "AC/DC live.jpg")

    redirect = owner_client.get(reverse("galleries:photo_original", args=[photo.pk]))
    download = owner_client.get(redirect["Location"])

    assert download["Content-Disposition"] == 'attachment; filename="AC_DC live.jpg"'
