"""The studio watermark's renditions are made only for the galleries a live share
link shows it on: a watermark alone costs the workers nothing, a link turned on
prepares its gallery, and a change of the watermark remakes only those galleries and
leaves no file of the old one anywhere."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import User
from galleries import trash, watermarks
from galleries.filestore import walk
from galleries.models import Photo
from galleries.tests import conftest as galleries_fixtures
from galleries.tests.factories import GalleryFactory
from sharing import services
from sharing.models import ShareLink
from sharing.tests.downloading import download_url
from sharing.tests.factories import ShareLinkFactory
from sharing.tests.link_form import link_form

upload = galleries_fixtures.upload


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), colour).save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def studio_watermark(owner):
    return watermarks.watermark_update(
        owner=owner, kind="text", text="© Olivia Studio", position="bottom-right"
    )


@pytest.fixture
def add_photos(upload):
    def _add(gallery, count: int = 2) -> list[Photo]:
        for number in range(count):
            colour = (40 + 50 * number, 90, 140)
            response = upload(gallery, _jpeg(colour), filename=f"IMG_{number}.jpg")
            assert response.status_code == 200, response.content
        return list(gallery.photos.order_by("position"))

    return _add


def _photos(gallery) -> list[Photo]:
    return list(gallery.photos.order_by("position"))


def _copies(gallery) -> list[str]:
    """The watermark versions a gallery's photos have their copies of ("" for none)."""
    return [p.watermark_version for p in _photos(gallery)]


def _watermarked_files() -> list[str]:
    return [name for name in walk("photos") if "/wm-" in name]


def _version(owner) -> str:
    return watermarks.watermark_of(owner).version


def test_a_studio_watermark_alone_makes_no_watermarked_copies(
    owner, owner_api, studio_watermark, add_photos
):
    gallery = GalleryFactory(owner=owner)
    ShareLinkFactory(gallery=gallery)  # a plain link

    add_photos(gallery)

    assert _copies(gallery) == ["", ""]
    assert _watermarked_files() == []
    progress = owner_api.get(reverse("api:watermark")).json()
    assert (progress["photos_ready"], progress["photos_total"]) == (0, 0)


def test_turning_the_watermark_on_for_a_link_prepares_that_gallerys_photos(
    owner,
    owner_client,
    client,
    studio_watermark,
    add_photos,
    django_capture_on_commit_callbacks,
):
    gallery, other = GalleryFactory(owner=owner), GalleryFactory(owner=owner)
    link = ShareLinkFactory(gallery=gallery)
    add_photos(gallery)
    add_photos(other)
    photo = _photos(gallery)[0]

    # Saved, not yet made: the link shows the photo as being prepared.
    ShareLink.objects.filter(pk=link.pk).update(watermark=True)
    assert client.get(download_url(link, photo, size="web")).status_code == 409

    with django_capture_on_commit_callbacks(execute=True):  # the request commits
        response = owner_client.post(
            reverse("sharing:link_edit", args=[link.pk]),
            link_form(label=link.label, watermark="on"),
        )

    assert response.status_code == 302
    assert _copies(gallery) == [_version(owner)] * 2
    assert _copies(other) == ["", ""]
    assert client.get(download_url(link, photo, size="web")).status_code == 302


def test_a_new_link_with_the_watermark_prepares_its_gallerys_photos(
    owner,
    owner_client,
    studio_watermark,
    add_photos,
    django_capture_on_commit_callbacks,
):
    gallery, other = GalleryFactory(owner=owner), GalleryFactory(owner=owner)
    add_photos(gallery)
    add_photos(other)

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("sharing:link_create", args=[gallery.pk]),
            link_form(watermark="on"),
        )

    assert gallery.share_links.get().watermark
    assert _copies(gallery) == [_version(owner)] * 2
    assert _copies(other) == ["", ""]


def test_turning_the_watermark_on_through_the_api_prepares_the_photos(
    owner, owner_api, studio_watermark, add_photos, django_capture_on_commit_callbacks
):
    gallery, other = GalleryFactory(owner=owner), GalleryFactory(owner=owner)
    link = ShareLinkFactory(gallery=gallery)
    add_photos(gallery)
    add_photos(other, count=3)

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.patch(
            reverse("api:link-detail", args=[link.pk]),
            {"watermark": True},
            format="json",
        )

    assert response.status_code == 200, response.content
    assert _copies(gallery) == [_version(owner)] * 2
    assert _copies(other) == ["", "", ""]
    # What the API waits on counts the photos that need the watermark, no others.
    progress = owner_api.get(reverse("api:watermark")).json()
    assert (progress["photos_ready"], progress["photos_total"]) == (2, 2)


def test_a_disabled_watermarked_link_made_active_again_prepares_its_photos(
    owner,
    owner_client,
    studio_watermark,
    add_photos,
    django_capture_on_commit_callbacks,
):
    gallery = GalleryFactory(owner=owner)
    link = ShareLinkFactory(gallery=gallery, watermark=True, is_active=False)
    add_photos(gallery)
    assert _copies(gallery) == ["", ""]

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("sharing:link_toggle", args=[link.pk]))

    assert _copies(gallery) == [_version(owner)] * 2


def test_an_expired_watermarked_link_prepares_its_photos_when_extended(
    owner, studio_watermark, add_photos, django_capture_on_commit_callbacks
):
    gallery = GalleryFactory(owner=owner)
    link = ShareLinkFactory(
        gallery=gallery,
        watermark=True,
        expires_at=timezone.now() - timedelta(days=1),
        expiry_reminders=False,
    )
    add_photos(gallery)
    assert _copies(gallery) == ["", ""]

    with django_capture_on_commit_callbacks(execute=True):
        services.link_update(link=link, expires_at=timezone.now() + timedelta(days=9))

    assert _copies(gallery) == [_version(owner)] * 2


def test_a_new_photo_in_a_gallery_with_a_watermarked_link_gets_its_copy(
    owner, studio_watermark, add_photos
):
    gallery, other = GalleryFactory(owner=owner), GalleryFactory(owner=owner)
    ShareLinkFactory(gallery=gallery, watermark=True)
    ShareLinkFactory(gallery=other)

    add_photos(gallery, count=1)
    add_photos(other, count=1)

    assert _copies(gallery) == [_version(owner)]
    assert _copies(other) == [""]
    (photo,) = _photos(gallery)
    assert set(photo.watermarked) == set(photo.renditions)


def test_changing_the_watermark_remakes_only_watermarked_galleries_and_deletes_the_old_files(
    owner, owner_api, studio_watermark, add_photos, django_capture_on_commit_callbacks
):
    shown, hidden, plain = (GalleryFactory(owner=owner) for _ in range(3))
    ShareLinkFactory(gallery=shown, watermark=True)
    was_shown = ShareLinkFactory(gallery=hidden, watermark=True)
    for gallery in (shown, hidden, plain):
        add_photos(gallery)
    # The last watermarked link of `hidden` is turned off: its copies stay for now.
    with django_capture_on_commit_callbacks(execute=True):
        services.link_update(link=was_shown, watermark=False)
    old = _version(owner)
    assert _copies(hidden) == [old] * 2
    old_files = _watermarked_files()
    assert len(old_files) == 4 * len(_photos(shown)[0].renditions)
    used = User.objects.get(pk=owner.pk).storage_used
    sizes = {p.pk: p.renditions_size for p in Photo.objects.all()}

    with django_capture_on_commit_callbacks(execute=True):
        watermarks.watermark_update(owner=owner, position="top-left")

    new = _version(owner)
    assert new != old
    assert _copies(shown) == [new] * 2
    assert _copies(hidden) == ["", ""]
    assert _copies(plain) == ["", ""]
    assert all(f"/wm-{new}/" in name for name in _watermarked_files())
    assert len(_watermarked_files()) == 2 * len(_photos(shown)[0].renditions)
    assert not set(old_files) & set(walk("photos"))
    # Nothing counted moved: the quota and renditions_size count no watermarked file.
    assert User.objects.get(pk=owner.pk).storage_used == used
    assert {p.pk: p.renditions_size for p in Photo.objects.all()} == sizes
    out = io.StringIO()
    call_command("reconcile_storage", stdout=out)
    assert "orphaned" not in out.getvalue()
    assert "quota says" not in out.getvalue()
    progress = owner_api.get(reverse("api:watermark")).json()
    assert (progress["photos_ready"], progress["photos_total"]) == (2, 2)


def test_a_gallery_whose_watermarked_link_is_off_keeps_its_copies_for_when_it_is_on(
    owner, client, studio_watermark, add_photos, django_capture_on_commit_callbacks
):
    gallery = GalleryFactory(owner=owner)
    link = ShareLinkFactory(gallery=gallery, watermark=True)
    add_photos(gallery)
    names = {p.pk: p.watermarked[Photo.WEB_RENDITION]["name"] for p in _photos(gallery)}

    with django_capture_on_commit_callbacks(execute=True):
        services.link_update(link=link, watermark=False)
        services.link_update(link=link, watermark=True)

    assert {
        p.pk: p.watermarked[Photo.WEB_RENDITION]["name"] for p in _photos(gallery)
    } == names
    photo = _photos(gallery)[0]
    assert client.get(download_url(link, photo, size="web")).status_code == 302


def test_removing_the_watermark_deletes_every_copy(
    owner, studio_watermark, add_photos, django_capture_on_commit_callbacks
):
    gallery = GalleryFactory(owner=owner)
    ShareLinkFactory(gallery=gallery, watermark=True)
    add_photos(gallery)
    mark = io.BytesIO()
    Image.new("RGBA", (200, 80), (255, 255, 0, 200)).save(mark, "PNG")
    mark.seek(0)
    mark.name = "mark.png"
    with django_capture_on_commit_callbacks(execute=True):
        watermarks.watermark_image_set(owner=owner, upload=mark)
        watermarks.watermark_update(owner=owner, text="")
    assert _copies(gallery) == [_version(owner)] * 2

    with django_capture_on_commit_callbacks(execute=True):
        watermarks.watermark_image_remove(owner=owner)

    assert not watermarks.watermark_of(owner).is_set
    assert _copies(gallery) == ["", ""]
    assert _watermarked_files() == []


def test_a_watermarked_gallery_back_from_the_trash_gets_the_new_watermark(
    owner, client, studio_watermark, add_photos, django_capture_on_commit_callbacks
):
    gallery = GalleryFactory(owner=owner)
    link = ShareLinkFactory(gallery=gallery, watermark=True)
    add_photos(gallery)
    trash.gallery_trash(gallery=gallery)
    with django_capture_on_commit_callbacks(execute=True):
        watermarks.watermark_update(owner=owner, position="centre")
    assert _copies(gallery) == ["", ""]

    with django_capture_on_commit_callbacks(execute=True):
        trash.gallery_restore(gallery=gallery)

    assert _copies(gallery) == [_version(owner)] * 2
    photo = _photos(gallery)[0]
    assert client.get(download_url(link, photo, size="web")).status_code == 302


def test_reconciling_storage_keeps_the_watermarked_copies(
    owner, studio_watermark, add_photos
):
    gallery = GalleryFactory(owner=owner)
    ShareLinkFactory(gallery=gallery, watermark=True)
    add_photos(gallery, count=1)
    files = _watermarked_files()
    assert files

    out = io.StringIO()
    call_command("reconcile_storage", "--fix", stdout=out)

    assert "orphaned" not in out.getvalue()
    assert _watermarked_files() == files


def test_the_watermark_page_says_no_link_uses_it_yet(
    owner, owner_client, studio_watermark, add_photos
):
    add_photos(GalleryFactory(owner=owner))

    page = owner_client.get(reverse("galleries:watermark")).content.decode()

    assert "No share link is watermarked yet" in page
