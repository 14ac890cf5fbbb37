"""A watermarked share link: its visitors see the studio watermark on every large
picture and web-size download, and can never reach a web-size file without it."""

import io
import re
from urllib.parse import unquote

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, ImageChops, ImageStat

from galleries import signed_urls, watermarks
from galleries.models import Photo
from galleries.tests import conftest as galleries_fixtures
from galleries.tests.factories import GalleryFactory
from sharing.models import ShareLink
from sharing.tests.downloading import download_url, unzip, zip_url
from sharing.tests.factories import ShareLinkFactory

upload = galleries_fixtures.upload

FILE_URL = re.compile(r"/files/([^/\"'\s]+)/([^\"'\s,?]+)")


def _photo_bytes(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1067), colour).save(out, "JPEG", quality=92)
    return out.getvalue()


@pytest.fixture
def studio_watermark(owner):
    return watermarks.watermark_update(
        owner=owner,
        kind="text",
        text="© Olivia Studio",
        position="bottom-right",
        size=40,
        opacity=90,
    )


@pytest.fixture
def gallery(owner, studio_watermark, upload):
    """A gallery with a watermarked link, then two real photos uploaded to it: each
    is processed, then watermarked in the background (eager here)."""
    gallery = GalleryFactory(owner=owner, title="Anna & Ben")
    ShareLinkFactory(gallery=gallery, watermark=True)
    for number, colour in enumerate([(40, 90, 140), (150, 60, 50)]):
        response = upload(gallery, _photo_bytes(colour), filename=f"IMG_{number}.jpg")
        assert response.status_code == 200, response.content
    return gallery


@pytest.fixture
def link(gallery):
    return gallery.share_links.get(watermark=True)


def _photos(gallery) -> list[Photo]:
    return list(gallery.photos.order_by("position"))


def _plain_web_names(gallery) -> set[str]:
    return {p.renditions[Photo.WEB_RENDITION]["name"] for p in _photos(gallery)}


def _marked_web_names(gallery) -> set[str]:
    return {p.watermarked[Photo.WEB_RENDITION]["name"] for p in _photos(gallery)}


def _granted(text: str) -> set[str]:
    """Every stored file the local URLs in `text` open."""
    granted = set()
    for token, filename in FILE_URL.findall(text):
        found = signed_urls.read_token(unquote(token), unquote(filename))
        if found:
            granted.add(found[0])
    return granted


def _decoded(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as handle:
        return Image.open(io.BytesIO(handle.read())).convert("RGB")


def _corner(image: Image.Image) -> Image.Image:
    width, height = image.size
    return image.crop((width // 2, height * 3 // 4, width, height))


def _difference(a: Image.Image, b: Image.Image) -> float:
    """The mean difference of two pictures' channels, 0 to 255."""
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def test_each_photo_gets_its_watermarked_renditions_in_the_background(gallery):
    for photo in _photos(gallery):
        assert photo.watermark_version == watermarks.watermark_of(gallery.owner).version
        assert set(photo.watermarked) == set(photo.renditions)
        assert all("/wm-" in r["name"] for r in photo.watermarked.values())


def test_the_watermark_is_in_the_pixels_of_the_corner_it_was_put_in(gallery):
    photo = _photos(gallery)[0]
    plain = _decoded(photo.renditions[Photo.WEB_RENDITION]["name"])
    marked = _decoded(photo.watermarked[Photo.WEB_RENDITION]["name"])

    assert _difference(_corner(plain), _corner(marked)) > 8
    top_left = (0, 0, plain.width // 3, plain.height // 3)
    assert _difference(plain.crop(top_left), marked.crop(top_left)) < 2


def test_the_gallery_page_and_photo_page_never_open_a_plain_web_size_file(
    client, link, gallery
):
    photo = _photos(gallery)[0]
    pages = [
        client.get(reverse("sharing:gallery", args=[link.token])),
        client.get(reverse("sharing:photo", args=[link.token, photo.pk])),
    ]
    granted = set()
    for page in pages:
        assert page.status_code == 200
        granted |= _granted(page.content.decode())

    assert not granted & _plain_web_names(gallery)
    assert _marked_web_names(gallery) <= granted


def test_the_lightbox_of_a_watermarked_link_takes_its_own_sizes_only(
    client, link, gallery
):
    page = client.get(reverse("sharing:gallery", args=[link.token])).content.decode()
    lightboxes = re.findall(r'data-lb="([^"]*)"', page)

    assert "data-wm" in page
    for srcset in lightboxes:
        assert all("/wm-" in name for name in _granted(srcset))


def test_the_visitor_api_lists_only_watermarked_web_size_files(app, link, gallery):
    listed = app.get(reverse("api:share-photo-list", args=[link.token]))
    one = app.get(
        reverse("api:share-photo-detail", args=[link.token, _photos(gallery)[0].pk])
    )

    assert listed.status_code == one.status_code == 200
    granted = _granted(listed.content.decode()) | _granted(one.content.decode())
    assert not granted & _plain_web_names(gallery)
    previews = [p["renditions"]["preview.jpeg"] for p in listed.json()["results"]]
    assert {name for url in previews for name in _granted(url)} == (
        _marked_web_names(gallery)
    )


def test_a_web_size_download_carries_the_watermark(client, link, gallery):
    photo = _photos(gallery)[0]
    response = client.get(download_url(link, photo, size="web"))

    assert response.status_code == 302
    sent = client.get(response["Location"])
    with default_storage.open(photo.watermarked[Photo.WEB_RENDITION]["name"]) as f:
        assert b"".join(sent.streaming_content) == f.read()


def test_the_zip_of_a_watermarked_link_holds_the_watermarked_files(
    client, link, gallery
):
    unpacked = unzip(client.get(zip_url(link)))

    marked = set()
    for name in _marked_web_names(gallery):
        with default_storage.open(name) as handle:
            marked.add(handle.read())
    assert set(unpacked.values()) == marked


def test_a_guessed_url_for_the_plain_file_opens_nothing(client, link, gallery):
    """Every URL of the page with its file name swapped for the plain web-size
    file's (as is, or climbing out of a watermarked folder)."""
    page = client.get(reverse("sharing:gallery", args=[link.token])).content.decode()
    plain_name = _photos(gallery)[0].renditions[Photo.WEB_RENDITION]["name"]
    plain_file = plain_name.rpartition("/")[2]
    with default_storage.open(plain_name) as handle:
        plain = handle.read()
    prefix = reverse("galleries:file", args=["T", "N"]).removesuffix("T/N")

    answers = []
    for token, _filename in FILE_URL.findall(page):
        for guess in (plain_file, f"../{plain_file}", f"..%2F{plain_file}"):
            response = client.get(f"{prefix}{token}/{guess}")
            body = b"".join(response.streaming_content) if response.streaming else b""
            answers.append((response.status_code, body == plain))
    assert answers
    # Never the plain file: a watermarked folder's own preview, or nothing.
    assert not any(is_plain for _status, is_plain in answers)
    assert {status for status, _ in answers} <= {200, 404}


def test_a_photo_without_its_watermarked_copy_yet_is_being_prepared(
    client, app, link, gallery
):
    photo = _photos(gallery)[0]
    Photo.objects.filter(pk=photo.pk).update(watermark_version="")

    page = client.get(reverse("sharing:photo", args=[link.token, photo.pk]))
    api = app.get(reverse("api:share-photo-detail", args=[link.token, photo.pk])).json()

    assert "being prepared" in page.content.decode()
    assert not _granted(page.content.decode()) & _plain_web_names(gallery)
    assert api["being_prepared"] is True
    assert "preview.jpeg" not in api["renditions"]
    assert client.get(download_url(link, photo, size="web")).status_code == 409
    assert client.get(zip_url(link)).status_code == 409


def test_changing_the_watermark_remakes_every_photo_with_new_files(
    owner, gallery, django_capture_on_commit_callbacks
):
    before = {
        p.pk: p.watermarked[Photo.WEB_RENDITION]["name"] for p in _photos(gallery)
    }

    with django_capture_on_commit_callbacks(execute=True):
        watermarks.watermark_update(owner=owner, position="top-left")

    version = watermarks.watermark_of(owner).version
    for photo in _photos(gallery):
        assert photo.watermark_version == version
        name = photo.watermarked[Photo.WEB_RENDITION]["name"]
        assert name != before[photo.pk]
        assert f"wm-{version}" in name
        assert not default_storage.exists(before[photo.pk])
        marked = _decoded(name)
        top_left = (0, 0, marked.width // 2, marked.height // 4)
        plain = _decoded(photo.renditions[Photo.WEB_RENDITION]["name"])
        assert _difference(marked.crop(top_left), plain.crop(top_left)) > 8


def test_an_image_watermark_is_drawn_from_its_transparent_png(
    owner, gallery, django_capture_on_commit_callbacks
):
    mark = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    mark.paste((255, 255, 0, 255), (20, 20, 280, 80))
    data = io.BytesIO()
    mark.save(data, "PNG")
    data.seek(0)
    data.name = "mark.png"

    with django_capture_on_commit_callbacks(execute=True):
        watermarks.watermark_image_set(owner=owner, upload=data)

    photo = _photos(gallery)[0]
    marked = _decoded(photo.watermarked[Photo.WEB_RENDITION]["name"])
    plain = _decoded(photo.renditions[Photo.WEB_RENDITION]["name"])
    red, green, _blue = (
        _corner(marked).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    )
    assert watermarks.watermark_of(owner).kind == "image"
    assert _difference(_corner(plain), _corner(marked)) > 8
    assert red > 60
    assert green > 100


def test_thumbnails_carry_the_watermark_when_the_link_asks(client, link, gallery):
    ShareLink.objects.filter(pk=link.pk).update(watermark_thumbnails=True)
    page = client.get(reverse("sharing:gallery", args=[link.token])).content.decode()

    granted = _granted(page)
    assert granted
    assert all("/wm-" in name for name in granted)


def test_turning_the_watermark_on_changes_the_tiles_already_drawn(client, gallery):
    link = ShareLinkFactory(gallery=gallery)
    before = client.get(reverse("sharing:gallery", args=[link.token])).content
    assert not _granted(before.decode()) & _marked_web_names(gallery)

    ShareLink.objects.filter(pk=link.pk).update(watermark=True)
    after = client.get(reverse("sharing:gallery", args=[link.token])).content.decode()

    assert not _granted(after) & _plain_web_names(gallery)
    assert "data-wm" in after


def test_a_link_without_the_watermark_shows_the_plain_files(client, gallery):
    plain_link = ShareLinkFactory(gallery=gallery)
    page = client.get(reverse("sharing:gallery", args=[plain_link.token]))

    assert not _granted(page.content.decode()) & _marked_web_names(gallery)
    assert "data-wm" not in page.content.decode()


def test_originals_of_a_watermarked_link_that_allows_them_are_the_uploads(
    client, gallery
):
    link = ShareLinkFactory(
        gallery=gallery, watermark=True, downloads=ShareLink.Downloads.ORIGINAL
    )
    photo = _photos(gallery)[0]

    response = client.get(download_url(link, photo, size="original"))

    assert response.status_code == 302
    sent = client.get(response["Location"])
    with default_storage.open(photo.original.name) as handle:
        assert b"".join(sent.streaming_content) == handle.read()


def test_deleting_a_photo_for_good_deletes_its_watermarked_files(
    owner_api, gallery, django_capture_on_commit_callbacks
):
    photo = _photos(gallery)[0]
    names = [r["name"] for r in photo.watermarked.values()]
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.delete(reverse("api:photo-detail", args=[photo.pk]))
        owner_api.post(reverse("api:trash_empty"))

    assert response.status_code == 204
    assert not any(default_storage.exists(name) for name in names)


def test_emptying_a_deleted_gallery_deletes_every_watermarked_file(
    owner_client, gallery, django_capture_on_commit_callbacks
):
    names = [r["name"] for p in _photos(gallery) for r in p.watermarked.values()]

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("galleries:delete", args=[gallery.pk]))
        owner_client.post(reverse("galleries:trash_empty"))

    assert not Photo.objects.filter(gallery=gallery).exists()
    assert not any(default_storage.exists(name) for name in names)


# --- Who may change what ---------------------------------------------------------------


def test_the_owner_turns_a_links_watermark_on_through_the_api(owner_api, gallery):
    link = ShareLinkFactory(gallery=gallery)
    response = owner_api.patch(
        reverse("api:link-detail", args=[link.pk]),
        {"watermark": True, "watermark_thumbnails": True},
        format="json",
    )

    assert response.status_code == 200, response.content
    link.refresh_from_db()
    assert link.watermark
    assert link.watermark_thumbnails


def test_a_stranger_cannot_turn_off_anothers_link_watermark(stranger_api, link):
    response = stranger_api.patch(
        reverse("api:link-detail", args=[link.pk]), {"watermark": False}, format="json"
    )

    assert response.status_code == 404
    link.refresh_from_db()
    assert link.watermark


def test_a_stranger_cannot_edit_anothers_link_page(stranger_client, link):
    response = stranger_client.post(
        reverse("sharing:link_edit", args=[link.pk]), {"label": "Mine", "watermark": ""}
    )

    assert response.status_code == 404
    link.refresh_from_db()
    assert link.watermark


def test_a_plain_thumbnails_token_opens_its_photos_thumbnails_and_nothing_else(
    client, link, gallery
):
    page = client.get(reverse("sharing:gallery", args=[link.token])).content.decode()
    photo = _photos(gallery)[0]
    folder = photo.renditions["grid.webp"]["name"].rpartition("/")[0]
    prefix = reverse("galleries:file", args=["T", "N"]).removesuffix("T/N")
    tokens = {
        token
        for token, filename in FILE_URL.findall(page)
        if signed_urls.read_token(token, filename)[0].rpartition("/")[0] == folder
    }
    # One token serves every size of the tile (the page stays small)...
    assert len(tokens) == 1
    [token] = tokens

    def opens(filename: str) -> bool:
        return client.get(f"{prefix}{token}/{filename}").status_code == 200

    assert all(
        opens(rendition["name"].rpartition("/")[2])
        for key, rendition in photo.renditions.items()
        if key.startswith("grid")
    )
    # ...and nothing else of the photo: not its plain web size, nor its original.
    assert not opens(photo.renditions[Photo.WEB_RENDITION]["name"].rpartition("/")[2])
    assert not opens(photo.original.name.rpartition("/")[2])
