"""Proofing through a share link: start a list, heart, note, send, resume elsewhere."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from galleries.models import Photo
from galleries.tests.factories import ReadyPhotoFactory
from sharing import services
from sharing.models import FavouriteList
from sharing.tests.conftest import LINK_PASSWORD
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory

JSON = {"HTTP_ACCEPT": "application/json"}
APOSTROPHE = "\u2019"  # as the pages write it


def url(name, link, *args):
    return reverse(f"sharing:{name}", args=[link.token, *args])


def photos_of(link):
    return list(link.visible_photos())


def start_list(client, link, name="Anna", **extra):
    response = client.post(url("favourites_start", link), {"name": name, **extra})
    assert response.status_code == 302, response.content
    return FavouriteList.objects.filter(link=link).order_by("created_at").last()


def heart(client, link, photo, on=True, **headers):
    return client.post(
        url("favourite_toggle", link, photo.pk),
        {"hearted": "1" if on else "0"},
        **headers,
    )


def hearted(favourite_list):
    return set(favourite_list.items.values_list("photo_id", flat=True))


# --- Starting a list --------------------------------------------------------------------


def test_a_heart_before_saying_who_you_are_asks_for_your_name_first(client, link):
    photo = photos_of(link)[0]

    response = heart(client, link, photo)

    assert response.status_code == 302
    assert response.url.startswith(url("favourites_start", link) + "?photo=")
    form = client.get(response.url)
    assert form.status_code == 200
    assert 'name="name"' in form.content.decode()
    assert f'value="{photo.pk}"' in form.content.decode()


def test_starting_a_list_hearts_the_photo_that_led_there_and_goes_back(client, link):
    photo = photos_of(link)[0]
    gallery_page = url("gallery", link)

    response = client.post(
        url("favourites_start", link),
        {"name": "Anna", "photo": photo.pk, "next": gallery_page},
    )

    assert response.status_code == 302
    assert response.url == f"{gallery_page}#p-{photo.pk}"
    favourite_list = FavouriteList.objects.get(link=link)
    assert favourite_list.name == "Anna"
    assert hearted(favourite_list) == {photo.pk}


def test_the_list_survives_a_reload(client, link):
    photo = photos_of(link)[0]
    start_list(client, link)
    heart(client, link, photo)

    text = client.get(url("gallery", link)).content.decode()

    assert 'aria-pressed="true"' in text
    assert "1 chosen" in text
    assert "Review &amp; send" in text


def test_a_name_is_needed_and_an_email_when_the_photographer_asks(client, link):
    response = client.post(url("favourites_start", link), {"name": "  "})
    assert response.status_code == 400
    assert "Tell the photographer who you are." in response.content.decode()

    services.link_update(link=link, favourites_require_email=True)
    response = client.post(url("favourites_start", link), {"name": "Anna"})
    assert response.status_code == 400
    assert "asks for your email" in response.content.decode()

    response = client.post(
        url("favourites_start", link), {"name": "Anna", "email": "not an address"}
    )
    assert response.status_code == 400
    assert "valid email" in response.content.decode()
    assert not FavouriteList.objects.exists()


def test_starting_with_an_email_sends_a_private_link_to_resume(
    client, link, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        favourite_list = start_list(client, link, email="anna@example.com")

    assert len(mail.outbox) == 1
    assert url("list_resume", link, favourite_list.token) in mail.outbox[0].body


def test_the_script_starts_a_list_and_gets_json(client, link):
    photo = photos_of(link)[0]
    response = client.post(
        url("favourites_start", link), {"name": "Anna", "photo": photo.pk}, **JSON
    )
    body = response.json()
    assert response.status_code == 200
    assert body["hearted"] is True
    assert body["count"] == 1
    assert "1 chosen" in body["bar"]

    response = client.post(url("favourites_start", link), {"name": ""}, **JSON)
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


# --- Hearts -----------------------------------------------------------------------------


def test_a_heart_without_script_comes_back_to_the_photo_in_the_grid(client, link):
    photo = photos_of(link)[1]
    start_list(client, link)
    came_from = "http://testserver" + url("gallery", link) + "?from=40"

    response = heart(client, link, photo, HTTP_REFERER=came_from)

    assert response.status_code == 302
    assert response.url == url("gallery", link) + f"?from=40#p-{photo.pk}"


def test_hearting_twice_keeps_one_heart_and_unhearting_removes_it(client, link):
    photo = photos_of(link)[0]
    favourite_list = start_list(client, link)

    heart(client, link, photo)
    heart(client, link, photo)
    assert hearted(favourite_list) == {photo.pk}

    heart(client, link, photo, on=False)
    assert hearted(favourite_list) == set()


def test_the_script_gets_the_heart_the_count_and_the_limit_as_json(client, link):
    services.link_update(link=link, favourites_limit=40)
    photo = photos_of(link)[0]
    start_list(client, link)

    response = heart(client, link, photo, **JSON)

    assert response.status_code == 200
    body = response.json()
    assert body["hearted"] is True
    assert body["count"] == 1
    assert body["limit"] == 40
    assert body["error"] == ""
    assert "1 of 40 chosen" in body["bar"]


def test_the_script_is_told_to_start_a_list_first(client, link):
    response = heart(client, link, photos_of(link)[0], **JSON)
    assert response.status_code == 409
    assert response.json()["start"].startswith(url("favourites_start", link))


def test_at_the_limit_a_heart_is_refused_with_a_clear_message(client, link):
    services.link_update(link=link, favourites_limit=2)
    first, second, third = photos_of(link)[:3]
    favourite_list = start_list(client, link)
    heart(client, link, first)
    heart(client, link, second)

    response = heart(client, link, third, **JSON)

    assert response.status_code == 400
    assert response.json()["hearted"] is False
    assert "You can choose up to 2 photos" in response.json()["error"]
    assert hearted(favourite_list) == {first.pk, second.pk}
    text = client.get(url("gallery", link)).content.decode()
    assert "2 of 2 chosen" in text
    assert f"That{APOSTROPHE}s the limit" in text

    page = client.post(
        url("favourite_toggle", link, third.pk), {"hearted": "1"}, follow=True
    )
    assert "You can choose up to 2 photos" in page.content.decode()


def test_a_photo_the_link_does_not_show_cannot_be_hearted(
    client, gallery, ceremony, reception, other_gallery
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])
    start_list(client, link)
    unready = ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, status=Photo.Status.PROCESSING
    )

    for photo in (reception.photos.first(), other_gallery.photos.first(), unready):
        assert heart(client, link, photo).status_code == 404
    assert not FavouriteList.objects.get(link=link).items.exists()


def test_with_favourites_off_there_are_no_hearts_and_no_list(client, link):
    services.link_update(link=link, favourites_enabled=False)
    photo = photos_of(link)[0]

    text = client.get(url("gallery", link)).content.decode()
    assert 'class="heart' not in text
    assert "data-favbar" not in text
    assert heart(client, link, photo).status_code == 404
    for name in ("favourites", "favourites_start"):
        assert client.get(url(name, link)).status_code == 404


def test_two_browsers_keep_two_lists_on_one_link(link):
    first, second = photos_of(link)[:2]
    couple, parents = Client(), Client()
    start_list(couple, link, name="Anna")
    start_list(parents, link, name="Mum")

    heart(couple, link, first)
    heart(parents, link, second)

    lists = {fl.name: hearted(fl) for fl in FavouriteList.objects.filter(link=link)}
    assert lists == {"Anna": {first.pk}, "Mum": {second.pk}}


def test_someone_else_on_the_same_browser_starts_a_new_list(client, link):
    first, second = photos_of(link)[:2]
    anna = start_list(client, link, name="Anna")
    heart(client, link, first)

    assert "choosing as <strong>Anna</strong>" in (
        client.get(url("favourites_start", link)).content.decode()
    )
    ben = start_list(client, link, name="Ben")
    heart(client, link, second)

    assert hearted(anna) == {first.pk}
    assert hearted(ben) == {second.pk}


# --- Notes, the list page, sending ------------------------------------------------------


def test_a_note_on_a_hearted_photo_is_kept(client, link):
    photo = photos_of(link)[0]
    favourite_list = start_list(client, link)
    heart(client, link, photo)

    response = client.post(
        url("favourite_note", link, photo.pk),
        {"note": "Black and white, please", "next": url("favourites", link)},
    )

    assert response.status_code == 302
    assert favourite_list.items.get().note == "Black and white, please"
    assert (
        "Black and white, please"
        in client.get(url("favourites", link)).content.decode()
    )


def test_a_note_on_a_photo_not_hearted_is_refused_kindly(client, link):
    photo = photos_of(link)[0]
    start_list(client, link)

    response = client.post(url("favourite_note", link, photo.pk), {"note": "x"}, **JSON)

    assert response.status_code == 400
    assert "Heart this photo" in response.json()["error"]


def test_my_favourites_lists_the_hearted_photos_and_offers_to_send(client, link):
    first, second, third = photos_of(link)[:3]
    start_list(client, link, name="Anna")
    heart(client, link, first)
    heart(client, link, third)

    text = client.get(url("favourites", link)).content.decode()

    assert f"Anna{APOSTROPHE}s favourites" in text
    assert first.original_filename in text
    assert third.original_filename in text
    assert second.original_filename not in text
    assert url("favourites_submit", link) in text
    assert url("zip", link) + "?list=" in text


def test_my_favourites_without_a_list_offers_to_start_one(client, link):
    text = client.get(url("favourites", link)).content.decode()
    assert f"haven{APOSTROPHE}t started a list" in text
    assert url("favourites_start", link) in text


def test_sending_the_list_thanks_the_visitor_and_makes_it_read_only(
    client, link, django_capture_on_commit_callbacks
):
    first, second = photos_of(link)[:2]
    favourite_list = start_list(client, link, name="Anna")
    heart(client, link, first)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("favourites_submit", link), follow=True)

    text = response.content.decode()
    assert "Thank you, Anna" in text
    assert url("favourites_submit", link) not in text
    favourite_list.refresh_from_db()
    assert favourite_list.is_submitted
    assert mail.outbox[-1].to == ["olivia@studio.test"]

    refused = heart(client, link, second, **JSON)
    assert refused.status_code == 400
    assert "sent to the photographer" in refused.json()["error"]
    assert hearted(favourite_list) == {first.pk}
    gallery_page = client.get(url("gallery", link)).content.decode()
    assert "Sent." in gallery_page
    assert 'formaction="' not in gallery_page


def test_an_empty_list_cannot_be_sent(client, link):
    favourite_list = start_list(client, link)

    response = client.post(url("favourites_submit", link), follow=True)

    assert "Choose at least one photo" in response.content.decode()
    favourite_list.refresh_from_db()
    assert not favourite_list.is_submitted


# --- Resuming on another device ---------------------------------------------------------


def test_the_private_link_resumes_the_list_in_another_browser(link):
    photo = photos_of(link)[0]
    phone = Client()
    favourite_list = start_list(phone, link, email="anna@example.com")
    heart(phone, link, photo)

    laptop = Client()
    response = laptop.get(url("list_resume", link, favourite_list.token))

    assert response.status_code == 302
    assert response.url == url("gallery", link)
    text = laptop.get(url("gallery", link)).content.decode()
    assert "Welcome back, Anna." in text
    assert "1 chosen" in text


def test_a_wrong_list_token_or_another_links_list_is_not_found(client, link, gallery):
    other_link = ShareLinkFactory(gallery=gallery)
    others = FavouriteListFactory(link=other_link)

    assert client.get(url("list_resume", link, "nope")).status_code == 404
    assert client.get(url("list_resume", link, others.token)).status_code == 404


def test_a_locked_link_asks_for_the_password_before_resuming(client, locked_link):
    favourite_list = FavouriteListFactory(link=locked_link, name="Anna")
    resume = url("list_resume", locked_link, favourite_list.token)

    response = client.get(resume)
    assert response.status_code == 302
    assert response.url.startswith(url("unlock", locked_link))

    unlocked = client.post(
        url("unlock", locked_link), {"password": LINK_PASSWORD, "next": resume}
    )
    assert unlocked.url == resume
    assert client.get(resume).url == url("gallery", locked_link)


@pytest.mark.parametrize(
    "name", ["favourites_start", "favourites_submit", "favourites"]
)
def test_an_expired_links_favourites_are_gone(client, link, name):
    services.link_update(
        link=link, expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    method = client.post if name == "favourites_submit" else client.get
    assert method(url(name, link)).status_code == 410


def test_locked_links_favourites_wait_for_the_password(client, locked_link, gallery):
    photo = gallery.photos.first()
    response = heart(client, locked_link, photo)
    assert response.status_code == 302
    assert response.url == url("unlock", locked_link)
    assert not FavouriteList.objects.exists()


# --- Forgery --------------------------------------------------------------------------


def test_a_heart_without_the_csrf_token_is_refused_and_the_scripts_header_works(link):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url("gallery", link))
    token = page.cookies["csrftoken"].value
    browser.post(
        url("favourites_start", link),
        {"name": "Anna", "csrfmiddlewaretoken": token},
    )
    photo = photos_of(link)[0]

    assert heart(browser, link, photo).status_code == 403
    response = heart(browser, link, photo, HTTP_X_CSRFTOKEN=token, **JSON)
    assert response.status_code == 200
    assert response.json()["hearted"] is True
