"""The visitor API's favourites: a list, its hearts and notes, and sending it."""

from django.core import mail
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from galleries.tests.factories import ReadyPhotoFactory
from sharing import analytics, services
from sharing.models import FavouriteList
from sharing.tests.factories import ShareLinkFactory
from sharing.tests.visitor_api import api_unlock, api_url, error_codes, start_list


def test_a_visitor_keeps_a_list_hearts_notes_and_submits_it(
    app, link, gallery, owner, django_capture_on_commit_callbacks
):
    first, second = gallery.photos.order_by("position")[:2]
    started = start_list(app, link)
    assert started["name"] == "Anna"
    assert started["count"] == 0
    list_token = started["token"]
    item = api_url("share-list-item", link.token, list_token, first.pk)

    hearted = app.put(item, {"note": "Can you crop this?"}, format="json")
    app.put(api_url("share-list-item", link.token, list_token, second.pk))
    renoted = app.put(item, {"note": "Black and white?"}, format="json")
    kept = app.put(item, {}, format="json")

    assert hearted.status_code == 200
    assert hearted.json()["count"] == 1
    assert renoted.json()["note"] == "Black and white?"
    assert kept.json() == {**renoted.json(), "count": 2}
    mine = app.get(api_url("share-list", link.token, list_token)).json()
    assert [i["photo"] for i in mine["items"]] == [str(first.pk), str(second.pk)]
    assert mine["items"][0]["note"] == "Black and white?"
    assert mine["resume_url"] == (f"http://testserver/s/{link.token}/l/{list_token}/")

    unhearted = app.delete(
        api_url("share-list-item", link.token, list_token, second.pk)
    )
    assert unhearted.status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        submitted = app.post(api_url("share-list-submit", link.token, list_token))
    assert submitted.status_code == 200
    assert submitted.json()["is_submitted"] is True
    assert submitted.json()["count"] == 1
    assert mail.outbox[-1].to == [owner.email]
    today = analytics.daily(link, days=1)[0]
    assert (today["lists_started"], today["lists_submitted"]) == (1, 1)


def test_a_note_can_be_cleared(app, link, gallery):
    photo = gallery.photos.first()
    list_token = start_list(app, link)["token"]
    item = api_url("share-list-item", link.token, list_token, photo.pk)
    app.put(item, {"note": "Crop?"}, format="json")

    response = app.put(item, {"note": ""}, format="json")

    assert response.json()["note"] == ""


def test_hearts_stop_at_the_limit_with_a_clear_message(app, gallery):
    link = ShareLinkFactory(gallery=gallery, favourites_limit=2)
    photos = list(link.visible_photos())
    list_token = start_list(app, link)["token"]

    answers = [
        app.put(api_url("share-list-item", link.token, list_token, p.pk))
        for p in photos[:3]
    ]

    assert [a.status_code for a in answers] == [200, 200, 400]
    assert "up to 2 photos" in answers[2].json()["errors"][0]["detail"]


def test_starting_a_list_needs_a_name_and_the_email_when_asked(
    app, gallery, django_capture_on_commit_callbacks
):
    link = ShareLinkFactory(gallery=gallery, favourites_require_email=True)
    url = api_url("share-list-start", link.token)

    blank = app.post(url, {"name": " ", "email": ""}, format="json")
    bad_email = app.post(url, {"name": "Anna", "email": "anna"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        started = app.post(url, {"name": "Anna", "email": "anna@x.test"}, format="json")

    assert blank.status_code == 400
    assert {e["attr"] for e in blank.json()["errors"]} == {"name", "email"}
    assert bad_email.status_code == 400
    assert started.status_code == 201
    assert started.json()["token"] in mail.outbox[-1].body


def test_a_submitted_list_cannot_change_until_the_photographer_reopens_it(
    app, link, gallery
):
    photo = gallery.photos.first()
    list_token = start_list(app, link)["token"]
    item = api_url("share-list-item", link.token, list_token, photo.pk)
    app.put(item)
    app.post(api_url("share-list-submit", link.token, list_token))

    calls = [
        app.put(item, {"note": "late"}, format="json"),
        app.delete(item),
        app.post(api_url("share-list-submit", link.token, list_token)),
    ]

    for response in calls:
        assert response.status_code == 409
        assert error_codes(response) == ["list_submitted"]
        assert "can no longer change" in response.json()["errors"][0]["detail"]
    favourite_list = FavouriteList.objects.get(token=list_token)
    services.list_reopen(favourite_list=favourite_list)
    assert app.delete(item).status_code == 204


def test_an_empty_list_cannot_be_submitted(app, link):
    list_token = start_list(app, link)["token"]

    response = app.post(api_url("share-list-submit", link.token, list_token))

    assert response.status_code == 400
    assert "at least one" in response.json()["errors"][0]["detail"]


def test_favourites_turned_off_are_refused_with_403(app, link, gallery):
    list_token = start_list(app, link)["token"]
    services.link_update(link=link, favourites_enabled=False)
    photo = gallery.photos.first()

    calls = [
        app.post(
            api_url("share-list-start", link.token), {"name": "Bo"}, format="json"
        ),
        app.put(api_url("share-list-item", link.token, list_token, photo.pk)),
        app.delete(api_url("share-list-item", link.token, list_token, photo.pk)),
        app.post(api_url("share-list-submit", link.token, list_token)),
    ]

    for response in calls:
        assert response.status_code == 403
        assert error_codes(response) == ["favourites_disabled"]
    assert FavouriteList.objects.count() == 1


def test_only_the_lists_own_token_on_its_own_link_opens_it(app, link, gallery):
    started = start_list(app, link)
    other_link = ShareLinkFactory(gallery=gallery)
    photo = gallery.photos.first()

    for token, list_key in [
        (other_link.token, started["token"]),  # another link of the same gallery
        (link.token, started["id"]),  # the list's id is not its key
        (link.token, "guessed-token"),
    ]:
        assert app.get(api_url("share-list", token, list_key)).status_code == 404
        heart = app.put(api_url("share-list-item", token, list_key, photo.pk))
        assert heart.status_code == 404
    assert not FavouriteList.objects.get(pk=started["id"]).items.exists()


def test_two_visitors_keep_separate_lists_on_one_link(app, link, gallery):
    photo = gallery.photos.first()
    anna = start_list(app, link, "Anna")["token"]
    ben = start_list(APIClient(), link, "Ben")["token"]

    app.put(api_url("share-list-item", link.token, anna, photo.pk))

    assert app.get(api_url("share-list", link.token, anna)).json()["count"] == 1
    assert app.get(api_url("share-list", link.token, ben)).json()["count"] == 0


def test_a_photo_the_link_does_not_show_cannot_be_hearted(
    app, gallery, ceremony, reception, other_gallery
):
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])
    list_token = start_list(app, link)["token"]

    for photo in (reception.photos.first(), other_gallery.photos.first()):
        response = app.put(api_url("share-list-item", link.token, list_token, photo.pk))
        assert response.status_code == 404
    assert not FavouriteList.objects.get(token=list_token).items.exists()


def test_favourites_on_a_locked_link_work_with_the_access_token(app, locked_link):
    token = api_unlock(app, locked_link).json()["access_token"]
    header = {"HTTP_X_SHARE_ACCESS": token}
    fresh = APIClient()

    started = start_list(fresh, locked_link, **header)
    photo = locked_link.visible_photos().first()
    hearted = fresh.put(
        api_url("share-list-item", locked_link.token, started["token"], photo.pk),
        **header,
    )

    assert hearted.status_code == 200


# --- Found by the contract check (bin/contract) -------------------------------------


def test_asking_a_heart_url_for_its_options_describes_it_instead_of_failing(
    app, link, gallery
):
    photo = ReadyPhotoFactory(gallery=gallery)
    list_token = start_list(app, link)["token"]
    url = api_url("share-list-item", link.token, list_token, photo.pk)

    response = app.options(url)

    assert response.status_code == 200
    assert "PUT" in response.json()["actions"]
    # A list of another link's token describes no form, and still does not fail.
    other = app.options(api_url("share-list-item", link.token, "nope", photo.pk))
    assert other.status_code == 200


def test_a_list_started_without_an_email_answers_an_empty_email_as_documented(
    app, link
):
    body = start_list(app, link)

    assert body["email"] == ""
    # The schema must not promise an email address there.
    schema = SchemaGenerator().get_schema(request=None, public=True)
    schemas = schema["components"]["schemas"]
    for name in ("SharedFavouriteList", "FavouriteList", "FavouriteListDetail"):
        assert "format" not in schemas[name]["properties"]["email"], name
