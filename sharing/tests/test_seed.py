"""seed_gallery: a gallery of real, ready photos and a link, for demos and benchmarks."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from accounts.models import User
from galleries.filestore import walk
from galleries.models import Gallery, Photo
from galleries.signed_urls import file_url
from sharing import gate
from sharing.models import ShareLink

TOKEN = "seeded-test-link"


def seed(**options) -> str:
    out = StringIO()
    options = {"email": "seed@studio.test", "photos": 5, **options}
    call_command("seed_gallery", link_token=TOKEN, stdout=out, **options)
    return out.getvalue()


def seeded_photos():
    return Photo.objects.filter(gallery__owner__email="seed@studio.test")


def test_it_creates_ready_photos_whose_files_exist():
    seed()

    photos = list(seeded_photos())
    assert len(photos) == 5
    for photo in photos:
        assert photo.status == Photo.Status.READY
        assert photo.placeholder.startswith("data:image/webp;base64,")
        assert set(photo.renditions) == {
            "grid.webp",
            "grid.jpeg",
            "grid_2x.webp",
            "grid_2x.jpeg",
            "preview.jpeg",
        }
        for rendition in photo.renditions.values():
            assert default_storage.size(rendition["name"]) == rendition["bytes"]
        assert default_storage.size(photo.original.name) == photo.size


def test_each_photo_has_its_own_original_so_a_zip_holds_distinct_files():
    seed()

    photos = list(seeded_photos())
    assert len({p.sha256 for p in photos}) == 5
    assert len({p.original.name for p in photos}) == 5
    assert len({p.original_filename for p in photos}) == 5


def test_photos_come_in_landscape_and_portrait():
    seed()

    shapes = {p.width > p.height for p in seeded_photos()}
    assert shapes == {True, False}


def test_the_originals_count_against_the_photographers_quota():
    seed()

    owner = User.objects.get(email="seed@studio.test")
    assert owner.storage_used == sum(p.size for p in seeded_photos())


def test_photos_are_spread_over_the_sets():
    seed(sets=3)

    gallery = Gallery.objects.get(owner__email="seed@studio.test")
    assert [s.photos.count() for s in gallery.sets.order_by("position")] == [2, 2, 1]


def test_the_printed_link_opens_the_gallery_to_a_visitor(client):
    output = seed()

    assert output.strip().endswith(f"/s/{TOKEN}/")
    link = gate.get_link(TOKEN)
    assert link.visible_photos().count() == 5
    assert link.gallery.cover is not None


def test_a_seeded_photo_loads_in_a_browser(client):
    seed()

    photo = seeded_photos().first()
    response = client.get(file_url(photo.renditions["grid.webp"]["name"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"


def test_a_link_password_locks_the_link():
    seed(link_password="open sesame")

    assert ShareLink.objects.get(token=TOKEN).has_password


def test_running_it_again_reuses_the_gallery_and_tops_it_up():
    seed()
    seed()
    assert seeded_photos().count() == 5

    seed(photos=7)

    assert Gallery.objects.filter(owner__email="seed@studio.test").count() == 1
    assert seeded_photos().count() == 7
    assert ShareLink.objects.filter(token=TOKEN).count() == 1


def test_fresh_deletes_the_previous_gallery_with_its_files(
    django_capture_on_commit_callbacks,
):
    seed()
    old_files = [p.original.name for p in seeded_photos()]

    with django_capture_on_commit_callbacks(execute=True):
        seed(photos=3, fresh=True)

    assert seeded_photos().count() == 3
    assert not any(default_storage.exists(name) for name in old_files)
    owner = User.objects.get(email="seed@studio.test")
    assert owner.storage_used == sum(p.size for p in seeded_photos())


def test_it_refuses_to_shrink_a_gallery_without_fresh():
    seed()

    with pytest.raises(CommandError, match="--fresh"):
        seed(photos=2)


def test_a_full_quota_stops_it_with_a_clear_message_and_no_files_left():
    User.objects.create_user("seed@studio.test", storage_quota=1000)

    with pytest.raises(CommandError, match="storage is full"):
        seed()

    assert seeded_photos().count() == 0
    assert list(walk("photos")) == []


def test_a_token_of_another_gallery_is_refused(link):
    with pytest.raises(CommandError, match="another gallery"):
        call_command("seed_gallery", photos=1, link_token=link.token, stdout=StringIO())

    assert not Photo.objects.filter(gallery__owner__email="demo@proofsheet.local")


def test_branded_gives_the_gallery_the_studios_look_in_german(client):
    seed(branded=True)

    link = gate.get_link(TOKEN)
    response = client.get(f"/s/{TOKEN}/")
    page = response.content.decode()
    brand = link.gallery.owner.brand
    assert link.gallery.language == "de"
    assert '<html lang="de"' in page
    assert brand.accent
    assert brand.typeface == "editorial"
    assert default_storage.exists(brand.logo)
    assert f'width="{brand.logo_width}" height="{brand.logo_height}"' in page
    assert "/static/fonts/playfair-display/" in page


def test_branded_watermarks_the_link_and_every_photo_before_it_ends():
    seed(branded=True)

    link = gate.get_link(TOKEN)
    version = link.gallery.owner.watermark.version
    assert link.watermark
    for photo in seeded_photos():
        assert photo.watermark_version == version
        preview = photo.watermarked["preview.jpeg"]["name"]
        assert default_storage.exists(preview)


def test_branded_twice_keeps_the_logo_and_the_watermarked_files():
    seed(branded=True)
    logo = Gallery.objects.get(owner__email="seed@studio.test").owner.brand.logo
    names = {p.pk: p.watermarked["preview.jpeg"]["name"] for p in seeded_photos()}

    seed(branded=True)

    owner = User.objects.get(email="seed@studio.test")
    assert owner.brand.logo == logo
    assert {
        p.pk: p.watermarked["preview.jpeg"]["name"] for p in seeded_photos()
    } == names
