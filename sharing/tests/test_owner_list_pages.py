"""A client's favourites list as the photographer sees it, reopens, deletes and exports
it."""

import csv
import datetime
import io

from django.urls import reverse

from galleries.tests.factories import ReadyPhotoFactory
from sharing import services
from sharing.models import FavouriteList
from sharing.tests.factories import FavouriteListFactory


def test_a_list_page_shows_who_and_the_photos_with_their_notes(owner_client, anna):
    response = owner_client.get(reverse("sharing:list_detail", args=[anna.pk]))

    html = response.content.decode()
    assert "Anna's favourites" in html
    assert "anna@x.test" in html
    assert "Print this one big" in html
    assert html.count("<picture>") == 2
    assert "Sent" in html


def test_a_list_page_offers_the_lightroom_filter_to_copy(owner_client, anna):
    response = owner_client.get(reverse("sharing:list_detail", args=[anna.pk]))

    names = [item.photo.original_filename for item in response.context["items"]]
    assert response.context["lightroom"] == ", ".join(names)
    assert ", ".join(names).encode() in response.content
    stems = ", ".join(name.removesuffix(".jpg") for name in names)
    assert response.context["lightroom_stems"] == stems


def test_reopening_a_sent_list(owner_client, anna):
    response = owner_client.post(reverse("sharing:list_reopen", args=[anna.pk]))

    anna.refresh_from_db()
    assert not anna.is_submitted
    assert response["Location"] == reverse("sharing:list_detail", args=[anna.pk])


def test_deleting_a_list_asks_first(owner_client, anna, gallery):
    url = reverse("sharing:list_delete", args=[anna.pk])

    assert b"Delete this list?" in owner_client.get(url).content
    response = owner_client.post(url)

    assert response["Location"] == reverse("galleries:detail", args=[gallery.pk])
    assert not FavouriteList.objects.filter(pk=anna.pk).exists()


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_list_exports_as_csv(owner_client, link, ceremony, reception):
    first = ReadyPhotoFactory(
        gallery=link.gallery, photo_set=ceremony, original_filename="IMG_0001.jpg"
    )
    second = ReadyPhotoFactory(
        gallery=link.gallery, photo_set=reception, original_filename="IMG_0007.jpg"
    )
    favourite_list = FavouriteListFactory(link=link, name="Anna")
    services.favourite_add(favourite_list=favourite_list, photo=first, note="Big print")
    services.favourite_add(favourite_list=favourite_list, photo=second)

    response = owner_client.get(reverse("sharing:list_csv", args=[favourite_list.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="anna-ben-anna-favourites.csv"'
    )
    header, *rows = _rows(response)
    assert header == ["filename", "set", "note", "hearted at", "photo id"]
    assert [row[:3] for row in rows] == [
        ["IMG_0001.jpg", "Ceremony", "Big print"],
        ["IMG_0007.jpg", "Reception", ""],
    ]
    assert rows[0][4] == str(first.pk)
    assert datetime.datetime.fromisoformat(rows[0][3]).tzinfo is not None


def test_a_note_cannot_become_a_spreadsheet_formula(owner_client, link):
    favourite_list = FavouriteListFactory(link=link)
    photo = link.visible_photos().first()
    services.favourite_add(
        favourite_list=favourite_list, photo=photo, note="=HYPERLINK(evil)"
    )

    response = owner_client.get(reverse("sharing:list_csv", args=[favourite_list.pk]))

    assert _rows(response)[1][2] == "'=HYPERLINK(evil)"


def test_a_list_exports_as_a_lightroom_filter(owner_client, link, ceremony):
    favourite_list = FavouriteListFactory(link=link, name="Anna")
    for name in ["IMG_0001.jpg", "IMG_0007.jpg"]:
        photo = ReadyPhotoFactory(
            gallery=link.gallery, photo_set=ceremony, original_filename=name
        )
        services.favourite_add(favourite_list=favourite_list, photo=photo)

    response = owner_client.get(
        reverse("sharing:list_lightroom", args=[favourite_list.pk])
    )

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"IMG_0001.jpg, IMG_0007.jpg\n"
    assert "anna-ben-anna-lightroom.txt" in response["Content-Disposition"]
