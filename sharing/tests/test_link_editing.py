"""The photographer's sharing pages: links, their numbers, and the lists clients send."""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
import segno
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone

from galleries.models import Photo
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory
from sharing import analytics, services
from sharing.models import FavouriteList, ShareLink
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory


@pytest.fixture
def anna(link):
    """Anna's sent list on the couple's link: two photos, one with a note."""
    favourite_list = FavouriteListFactory(link=link, name="Anna", email="anna@x.test")
    first, second = link.visible_photos()[:2]
    services.favourite_add(
        favourite_list=favourite_list, photo=first, note="Print this one big"
    )
    services.favourite_add(favourite_list=favourite_list, photo=second)
    favourite_list.submitted_at = timezone.now()
    favourite_list.save(update_fields=["submitted_at"])
    return favourite_list


def _form(**changes) -> dict:
    data = {
        "label": "Couple",
        "password": "",
        "expires_on": "",
        "is_active": "on",
        "downloads": "web",
        "favourites_enabled": "on",
        "favourites_limit": "",
        "welcome_message": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Who may open what ------------------------------------------------------------------

# (url name, what it is about, method)
OWNER_URLS = [
    ("sharing:links", "gallery", "get"),
    ("sharing:link_create", "gallery", "get"),
    ("sharing:link_create", "gallery", "post"),
    ("sharing:link_detail", "link", "get"),
    ("sharing:link_edit", "link", "get"),
    ("sharing:link_edit", "link", "post"),
    ("sharing:link_toggle", "link", "post"),
    ("sharing:link_delete", "link", "get"),
    ("sharing:link_delete", "link", "post"),
    ("sharing:link_qr", "link", "get"),
    ("sharing:list_detail", "list", "get"),
    ("sharing:list_reopen", "list", "post"),
    ("sharing:list_delete", "list", "get"),
    ("sharing:list_delete", "list", "post"),
    ("sharing:list_csv", "list", "get"),
    ("sharing:list_lightroom", "list", "get"),
]


def _url(name: str, about: str, gallery, link, favourite_list) -> str:
    target = {"gallery": gallery, "link": link, "list": favourite_list}[about]
    return reverse(name, args=[target.pk])


@pytest.mark.parametrize(("name", "about", "method"), OWNER_URLS)
def test_the_owner_can_use_every_sharing_page(
    owner_client, gallery, link, anna, name, about, method
):
    url = _url(name, about, gallery, link, anna)

    response = getattr(owner_client, method)(url, _form() if method == "post" else {})

    assert response.status_code in {200, 302}


@pytest.mark.parametrize(("name", "about", "method"), OWNER_URLS)
def test_a_stranger_gets_not_found_and_changes_nothing(
    stranger_client, gallery, link, anna, name, about, method
):
    url = _url(name, about, gallery, link, anna)

    response = getattr(stranger_client, method)(url, _form(label="Hacked"))

    assert response.status_code == 404
    link.refresh_from_db()
    anna.refresh_from_db()
    assert (link.label, link.is_active, anna.is_submitted) == ("Couple", True, True)
    assert ShareLink.objects.filter(gallery=gallery).count() == 1


@pytest.mark.parametrize(("name", "about", "method"), OWNER_URLS)
def test_an_anonymous_visitor_is_sent_to_log_in(
    client, gallery, link, anna, name, about, method
):
    url = _url(name, about, gallery, link, anna)

    response = getattr(client, method)(url, _form() if method == "post" else {})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert FavouriteList.objects.filter(pk=anna.pk, submitted_at__isnull=False).exists()


def test_actions_that_change_things_refuse_a_plain_get(owner_client, link, anna):
    assert (
        owner_client.get(reverse("sharing:link_toggle", args=[link.pk])).status_code
        == 405
    )
    assert (
        owner_client.get(reverse("sharing:list_reopen", args=[anna.pk])).status_code
        == 405
    )


# --- The links page ---------------------------------------------------------------------


def test_the_gallery_page_has_a_share_button(owner_client, gallery):
    response = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))

    assert reverse("sharing:links", args=[gallery.pk]).encode() in response.content
    assert b">Share</a>" in response.content


def test_a_gallery_without_links_invites_the_first_one(owner_client, gallery):
    response = owner_client.get(reverse("sharing:links", args=[gallery.pk]))

    assert b"No share links yet" in response.content
    assert (
        reverse("sharing:link_create", args=[gallery.pk]).encode() in response.content
    )


def test_each_link_shows_its_full_address_ready_to_copy(owner_client, gallery, link):
    response = owner_client.get(reverse("sharing:links", args=[gallery.pk]))

    url = f"http://testserver/s/{link.token}/"
    html = response.content.decode()
    assert f'value="{url}" readonly' in html
    assert "data-copy-button" in html
    assert "Copy link" in html


def test_the_links_page_shows_each_links_status_at_a_glance(owner_client, gallery):
    ShareLinkFactory(gallery=gallery, label="Couple")
    ShareLinkFactory(gallery=gallery, label="Guests", secret="pw")
    ShareLinkFactory(gallery=gallery, label="Old", expires_at=timezone.now())
    ShareLinkFactory(gallery=gallery, label="Paused", is_active=False)

    html = owner_client.get(
        reverse("sharing:links", args=[gallery.pk])
    ).content.decode()

    def card(label):
        start = html.index(f">{label}</a>")
        return html[start : html.index("</li>", start)]

    assert "Active" in card("Couple")
    assert "Password" not in card("Couple")
    assert "Password" in card("Guests")
    assert "Expired" in card("Old")
    assert "Disabled" in card("Paused")


def test_the_links_page_shows_each_links_settings_and_numbers(
    owner_client, gallery, ceremony
):
    link = services.link_create(
        gallery=gallery,
        label="Family",
        sets=[ceremony],
        downloads=ShareLink.Downloads.ORIGINAL,
        favourites_limit=40,
        expires_at=services.expiry_from_date(datetime.date(2031, 5, 1)),
    )
    analytics.count(link, "views", 12)
    analytics.count(link, "visitors", 5)
    analytics.count(link, "downloads", 3)
    analytics.count(link, "zip_downloads", 2)
    FavouriteListFactory(link=link)

    response = owner_client.get(reverse("sharing:links", args=[gallery.pk]))

    shown = response.context["links"][0]
    assert shown.totals["views"] == 12
    assert shown.totals["visitors"] == 5
    assert shown.list_count == 1
    html = response.content.decode()
    for text in [
        "Until 1 May 2031",
        "Originals",
        "On, up to 40",
        "Ceremony",
        "+ 2 ZIP",
    ]:
        assert text in html


def test_the_links_page_uses_a_fixed_number_of_queries(
    owner_client, gallery, ceremony, django_assert_max_num_queries
):
    for n in range(10):
        link = services.link_create(gallery=gallery, label=f"Link {n}", sets=[ceremony])
        analytics.count(link, "views")
        FavouriteListFactory(link=link)

    with django_assert_max_num_queries(6):
        response = owner_client.get(reverse("sharing:links", args=[gallery.pk]))

    assert len(response.context["links"]) == 10


# --- Making and changing links ----------------------------------------------------------


def test_making_a_link_with_every_setting(owner_client, gallery, ceremony):
    response = owner_client.post(
        reverse("sharing:link_create", args=[gallery.pk]),
        _form(
            label="Family",
            password="secret words",
            expires_on="2031-05-01",
            sets=[ceremony.pk],
            downloads="original",
            favourites_limit="40",
            favourites_require_email="on",
            welcome_message="Enjoy!",
        ),
    )

    link = ShareLink.objects.get(label="Family")
    assert response["Location"] == reverse("sharing:link_detail", args=[link.pk])
    assert check_password("secret words", link.password)
    assert timezone.localtime(link.expires_at).date() == datetime.date(2031, 5, 1)
    assert timezone.localtime(link.expires_at).hour == 23
    assert list(link.sets.all()) == [ceremony]
    assert (link.downloads, link.favourites_limit) == ("original", 40)
    assert link.favourites_require_email
    assert link.welcome_message == "Enjoy!"


def test_a_link_with_no_sets_ticked_shows_every_set(owner_client, gallery):
    owner_client.post(reverse("sharing:link_create", args=[gallery.pk]), _form())

    link = ShareLink.objects.get()
    assert not link.sets.exists()
    assert link.visible_photos().count() == 5


def test_the_form_says_no_ticked_set_means_all_sets(owner_client, gallery):
    response = owner_client.get(reverse("sharing:link_create", args=[gallery.pk]))

    assert b"Tick none to show every set" in response.content
    assert b'type="date"' in response.content


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"label": "   "}, "label"),
        ({"expires_on": "2020-01-01"}, "expires_on"),
        ({"expires_on": "not a date"}, "expires_on"),
        ({"favourites_limit": "0"}, "favourites_limit"),
        ({"favourites_limit": "many"}, "favourites_limit"),
        ({"downloads": "everything"}, "downloads"),
        ({"label": "x" * 101}, "label"),
        ({"sets": "not-a-set"}, "sets"),
        ({"favourites_limit": "10000000000000000000000"}, "favourites_limit"),
    ],
)
def test_bad_input_is_explained_on_the_form(owner_client, gallery, changes, field):
    response = owner_client.post(
        reverse("sharing:link_create", args=[gallery.pk]), _form(**changes)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert b"field-errors" in response.content
    assert not ShareLink.objects.exists()


def test_a_set_of_another_gallery_is_refused(owner_client, gallery, owner):
    elsewhere = GalleryFactory(owner=owner).sets.get()

    response = owner_client.post(
        reverse("sharing:link_create", args=[gallery.pk]), _form(sets=[elsewhere.pk])
    )

    assert response.status_code == 200
    assert response.context["form"].errors["sets"]
    assert not ShareLink.objects.exists()


def test_editing_keeps_the_password_when_the_field_is_left_empty(
    owner_client, locked_link
):
    old_hash = locked_link.password

    owner_client.post(
        reverse("sharing:link_edit", args=[locked_link.pk]), _form(label="Guests 2")
    )

    locked_link.refresh_from_db()
    assert locked_link.label == "Guests 2"
    assert locked_link.password == old_hash


def test_editing_can_change_the_password(owner_client, locked_link):
    owner_client.post(
        reverse("sharing:link_edit", args=[locked_link.pk]), _form(password="new one")
    )

    locked_link.refresh_from_db()
    assert check_password("new one", locked_link.password)


def test_editing_can_remove_the_password(owner_client, locked_link):
    owner_client.post(
        reverse("sharing:link_edit", args=[locked_link.pk]),
        _form(remove_password="on"),
    )

    locked_link.refresh_from_db()
    assert not locked_link.has_password


def test_a_new_password_and_removing_it_at_once_is_refused(owner_client, locked_link):
    old_hash = locked_link.password

    response = owner_client.post(
        reverse("sharing:link_edit", args=[locked_link.pk]),
        _form(password="new", remove_password="on"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    locked_link.refresh_from_db()
    assert locked_link.password == old_hash


def test_the_edit_form_warns_that_a_new_password_signs_everyone_out(
    owner_client, locked_link
):
    response = owner_client.get(reverse("sharing:link_edit", args=[locked_link.pk]))

    assert b"signs out everyone" in response.content
    assert b"Remove the password" in response.content
    # The hash never reaches the page.
    assert locked_link.password.encode() not in response.content


def test_an_expired_link_can_be_edited_without_moving_its_date(owner_client, link):
    services.link_update(
        link=link, expires_at=services.expiry_from_date(datetime.date(2020, 1, 1))
    )

    response = owner_client.post(
        reverse("sharing:link_edit", args=[link.pk]),
        _form(label="Renamed", expires_on="2020-01-01"),
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.label == "Renamed"
    assert link.is_expired


def test_the_edit_form_starts_from_the_links_settings(owner_client, gallery, ceremony):
    link = services.link_create(
        gallery=gallery,
        label="Family",
        sets=[ceremony],
        expires_at=services.expiry_from_date(datetime.date(2031, 5, 1)),
    )

    response = owner_client.get(reverse("sharing:link_edit", args=[link.pk]))

    html = response.content.decode()
    assert 'value="Family"' in html
    assert 'value="2031-05-01"' in html
    assert f'value="{ceremony.pk}" id="id_sets_0" checked' in html


# --- Disabling and deleting -------------------------------------------------------------


def test_disabling_and_enabling_a_link(owner_client, link):
    url = reverse("sharing:link_toggle", args=[link.pk])

    response = owner_client.post(url)
    link.refresh_from_db()
    assert not link.is_active
    assert response["Location"] == reverse("sharing:links", args=[link.gallery_id])

    owner_client.post(url)
    link.refresh_from_db()
    assert link.is_active


def test_toggling_goes_back_to_the_page_it_came_from_but_never_off_site(
    owner_client, link
):
    url = reverse("sharing:link_toggle", args=[link.pk])
    detail = reverse("sharing:link_detail", args=[link.pk])

    assert owner_client.post(url, {"next": detail})["Location"] == detail
    away = owner_client.post(url, {"next": "https://evil.test/"})
    assert away["Location"] == reverse("sharing:links", args=[link.gallery_id])


def test_deleting_a_link_asks_first_then_deletes_it_with_its_lists(
    owner_client, link, anna
):
    url = reverse("sharing:link_delete", args=[link.pk])

    confirm = owner_client.get(url)
    assert b"Delete this link?" in confirm.content
    assert b"1 favourites list" in confirm.content
    assert ShareLink.objects.filter(pk=link.pk).exists()

    response = owner_client.post(url)

    assert response["Location"] == reverse("sharing:links", args=[link.gallery_id])
    assert not ShareLink.objects.filter(pk=link.pk).exists()
    assert not FavouriteList.objects.filter(pk=anna.pk).exists()


# --- A link's page ----------------------------------------------------------------------


def test_the_link_page_shows_the_address_and_a_qr_code(owner_client, link):
    response = owner_client.get(reverse("sharing:link_detail", args=[link.pk]))

    html = response.content.decode()
    assert f'value="http://testserver/s/{link.token}/"' in html
    qr = reverse("sharing:link_qr", args=[link.pk])
    assert f'src="{qr}"' in html
    assert f'href="{qr}?download=1"' in html


def test_the_qr_code_is_an_svg_of_the_public_address(owner_client, link):
    response = owner_client.get(reverse("sharing:link_qr", args=[link.pk]))

    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    expected = io.BytesIO()
    segno.make(f"http://testserver/s/{link.token}/", error="m").save(
        expected, kind="svg", light="#fff"
    )
    # The same dark modules as a code made straight from the public address.
    assert _modules(root) == _modules(ET.fromstring(expected.getvalue()))


def _modules(svg: ET.Element) -> str:
    (line,) = (
        p for p in svg.iter("{http://www.w3.org/2000/svg}path") if p.get("stroke")
    )
    return line.get("d")


def test_the_qr_code_can_be_downloaded_as_a_file(owner_client, link):
    response = owner_client.get(
        reverse("sharing:link_qr", args=[link.pk]), {"download": "1"}
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="anna-ben-couple-qr.svg"'
    )


def test_the_chart_shows_todays_counts(owner_client, link):
    analytics.count(link, "views", 7)
    analytics.count(link, "visitors", 3)

    response = owner_client.get(reverse("sharing:link_detail", args=[link.pk]))

    html = response.content.decode()
    assert "<title>Today: 7 views, 3 visitors</title>" in html
    assert 'role="img"' in html
    today_row = html[html.index('<tr class="is-today">') :]
    assert '<td class="num">7</td>' in today_row[: today_row.index("</tr>")]
    assert len(response.context["chart"]["bars"]) == 30


def test_the_link_page_shows_its_totals_and_lists(owner_client, link, anna):
    analytics.count(link, "views", 4)
    analytics.count(link, "zip_downloads", 2)
    analytics.record_view(link, address="203.0.113.1", user_agent="phone")

    response = owner_client.get(reverse("sharing:link_detail", args=[link.pk]))

    totals = response.context["totals"]
    assert (totals["views"], totals["zip_downloads"], totals["visitors"]) == (5, 2, 1)
    assert totals["last_visited_at"] is not None
    html = response.content.decode()
    assert "Last visit" in html
    assert reverse("sharing:list_detail", args=[anna.pk]) in html


def test_a_disabled_link_says_so_on_its_page(owner_client, link):
    services.link_update(link=link, is_active=False)

    response = owner_client.get(reverse("sharing:link_detail", args=[link.pk]))

    assert "This link is disabled" in response.content.decode()


# --- Favourites lists -------------------------------------------------------------------


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


# --- The gallery page: lists, totals and filtering by a list ----------------------------


def test_the_gallery_page_lists_every_clients_favourites(
    owner_client, gallery, link, locked_link, anna
):
    FavouriteListFactory(link=locked_link, name="Ben's parents")

    response = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))

    html = response.content.decode()
    assert "Client favourites" in html
    anna_row = html[html.index(">Anna</a>") :]
    anna_row = anna_row[: anna_row.index("</tr>")]
    for text in ["anna@x.test", "Couple", "Sent", '">2</td>']:
        assert text in anna_row
    parents_row = html[html.index("Ben&#x27;s parents</a>") :]
    assert "Choosing" in parents_row[: parents_row.index("</tr>")]


def test_the_gallery_page_shows_share_totals_over_its_links(
    owner_client, gallery, link, locked_link
):
    analytics.count(link, "views", 3)
    analytics.count(locked_link, "views", 4)
    analytics.count(locked_link, "lists_submitted", 1)

    response = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))

    assert response.context["share_totals"]["views"] == 7
    assert response.context["share_totals"]["lists_submitted"] == 1


def test_the_gallery_grid_can_show_only_one_lists_photos(owner_client, gallery, anna):
    response = owner_client.get(
        reverse("galleries:detail", args=[gallery.pk]), {"list": str(anna.pk)}
    )

    chosen = {item.photo_id for item in anna.items.all()}
    assert {photo.pk for photo in response.context["photos"]} == chosen
    html = response.content.decode()
    assert "Showing Anna's 2 favourites" in html
    assert "Show all" in html


@pytest.mark.parametrize(
    "value", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"]
)
def test_filtering_by_an_unknown_list_is_not_found(owner_client, gallery, value):
    response = owner_client.get(
        reverse("galleries:detail", args=[gallery.pk]), {"list": value}
    )

    assert response.status_code == 404


def test_a_list_of_another_gallery_cannot_filter_this_one(owner_client, owner, gallery):
    other = GalleryFactory(owner=owner)
    ReadyPhotoFactory(gallery=other)
    their_list = FavouriteListFactory(link=ShareLinkFactory(gallery=other))

    response = owner_client.get(
        reverse("galleries:detail", args=[gallery.pk]), {"list": str(their_list.pk)}
    )

    assert response.status_code == 404


def test_the_lists_section_adds_no_query_per_list(
    owner_client, gallery, link, django_assert_max_num_queries
):
    photos = list(link.visible_photos())
    for n in range(10):
        favourite_list = FavouriteListFactory(link=link, name=f"Guest {n}")
        services.favourite_add(favourite_list=favourite_list, photo=photos[n % 5])
        analytics.count(link, "views")

    # The same budget as the gallery page without any sharing.
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))

    assert len(response.context["favourite_lists"]) == 10


def test_a_filtered_grid_keeps_the_same_query_budget(
    owner_client, gallery, anna, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = owner_client.get(
            reverse("galleries:detail", args=[gallery.pk]), {"list": str(anna.pk)}
        )

    assert response.status_code == 200
    shown = re.findall(
        r'class="owner-tile [^"]*"[^>]* data-id="([^"]+)"', response.text
    )
    assert sorted(shown) == sorted(str(i.photo_id) for i in anna.items.all())
    assert "Showing Anna's 2 favourites" in response.text


def test_a_list_with_a_photo_no_longer_ready_still_opens(owner_client, anna):
    item = anna.items.first()
    Photo.objects.filter(pk=item.photo_id).update(status=Photo.Status.PROCESSING)

    response = owner_client.get(reverse("sharing:list_detail", args=[anna.pk]))

    assert response.status_code == 200
    assert b"Not available" in response.content
