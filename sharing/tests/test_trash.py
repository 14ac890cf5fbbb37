"""A gallery or photo in the trash, as the photographer's clients meet it: gone at once,
its links "not available", everything back after a restore."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import escape

from galleries import filestore, trash
from galleries.signed_urls import file_url
from sharing import services
from sharing.tests.downloading import download_url, unzip, zip_url
from sharing.tests.factories import FavouriteListFactory


def _api(link):
    return reverse("api:share", args=[link.token])


def test_a_trashed_gallery_disappears_from_its_visitors_at_once(
    client, app, link, files
):
    photo = link.visible_photos().first()
    # What a visitor was handed before the delete: our own signed URL of the file.
    signed = client.get(download_url(link, photo))["Location"]
    assert client.get(signed).status_code == 200

    trash.gallery_trash(gallery=link.gallery)

    page = client.get(reverse("sharing:gallery", args=[link.token]))
    assert page.status_code == 410
    assert b"This gallery is not available" in page.content
    assert link.gallery.title.encode() not in page.content
    for url in (
        reverse("sharing:gallery_photos", args=[link.token]),
        reverse("sharing:photo", args=[link.token, photo.pk]),
        download_url(link, photo),
        zip_url(link),
    ):
        assert client.get(url).status_code == 410, url
    answer = app.get(_api(link))
    assert answer.status_code == 410
    assert answer.json()["errors"][0]["code"] == "not_available"
    assert client.get(signed).status_code == 404


def test_a_trashed_photo_disappears_from_the_page_the_api_downloads_and_zip(
    client, app, link, files
):
    gone, *kept = link.visible_photos()

    trash.photos_trash(gallery=link.gallery, photo_ids=[gone.pk])

    page = client.get(reverse("sharing:gallery", args=[link.token]))
    assert page.status_code == 200
    assert gone.original_filename.encode() not in page.content
    photo_url = reverse("sharing:photo", args=[link.token, gone.pk])
    assert client.get(photo_url).status_code == 404
    assert client.get(download_url(link, gone)).status_code == 404
    listed = app.get(reverse("api:share-photo-list", args=[link.token])).json()
    assert str(gone.pk) not in {row["id"] for row in listed["results"]}
    assert sum(s["photo_count"] for s in app.get(_api(link)).json()["sets"]) == len(
        kept
    )
    archive = unzip(client.get(zip_url(link)))
    stems = {name.rsplit("/", 1)[-1].split(".")[0] for name in archive}
    assert len(archive) == len(kept)
    assert gone.original_filename.split(".")[0] not in stems


def test_a_restored_gallery_comes_back_with_its_links_and_favourites(
    client, link, files
):
    favourite_list = FavouriteListFactory(link=link, name="Anna")
    photo = link.visible_photos().first()
    services.favourite_add(favourite_list=favourite_list, photo=photo, note="Big")
    trash.gallery_trash(gallery=link.gallery)

    trash.gallery_restore(gallery=link.gallery)

    page = client.get(reverse("sharing:gallery", args=[link.token]))
    assert page.status_code == 200
    assert escape(link.gallery.title).encode() in page.content
    assert client.get(download_url(link, photo)).status_code == 302
    assert [(f.photo, f.note) for f in favourite_list.items.all()] == [(photo, "Big")]


def test_the_links_of_a_trashed_gallery_leave_the_photographers_lists(
    owner_client, owner_api, link, anna
):
    trash.gallery_trash(gallery=link.gallery)

    assert (
        owner_client.get(reverse("sharing:link_detail", args=[link.pk])).status_code
        == 404
    )
    assert (
        owner_client.get(reverse("sharing:list_detail", args=[anna.pk])).status_code
        == 404
    )
    assert owner_api.get(reverse("api:link-detail", args=[link.pk])).status_code == 404
    listed = reverse("api:favourite-list-detail", args=[anna.pk])
    assert owner_api.get(listed).status_code == 404


@pytest.mark.parametrize("who", ["stranger", "anonymous"])
def test_no_one_else_sees_restores_or_empties_a_photographers_trash(who, request, link):
    gallery = link.gallery
    photo = link.visible_photos().first()
    trash.gallery_trash(gallery=gallery)
    if who == "stranger":
        browser = request.getfixturevalue("stranger_client")
        api = request.getfixturevalue("stranger_api")
    else:
        browser = request.getfixturevalue("client")
        api = request.getfixturevalue("api_client")

    for name in ("galleries:trash_gallery_restore", "galleries:trash_gallery_purge"):
        assert browser.post(reverse(name, args=[gallery.pk])).status_code in {302, 404}
    browser.post(reverse("galleries:trash_photos_purge"), {"photo": [photo.pk]})
    browser.post(reverse("galleries:trash_empty"))
    api.post(reverse("api:trash_gallery_restore", args=[gallery.pk]))
    api.delete(reverse("api:trash_gallery", args=[gallery.pk]))
    api.post(reverse("api:trash_empty"))
    listed = api.get(reverse("api:trash"))

    gallery.refresh_from_db()
    assert gallery.trashed_at is not None
    assert gallery.photos.count() == 5
    if who == "stranger":
        assert (
            gallery.title
            not in browser.get(reverse("galleries:trash")).content.decode()
        )
        assert listed.json()["galleries"] == []
    else:
        assert listed.status_code == 401
        assert browser.get(reverse("galleries:trash")).status_code == 302


def test_a_signed_url_of_a_trashed_photos_watermarked_copy_opens_nothing(
    client, link, settings
):
    photo = link.visible_photos().first()
    name = f"{filestore.photo_dir(photo)}/wm-1/preview.jpg"
    default_storage.save(name, ContentFile(b"watermarked"))
    url = file_url(name)
    assert client.get(url).status_code == 200

    trash.photos_trash(gallery=link.gallery, photo_ids=[photo.pk])

    assert client.get(url).status_code == 404
