import datetime
import time

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends import locmem
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from galleries.models import Photo
from galleries.tests.factories import ReadyPhotoFactory
from sharing import analytics, gate, services, tasks
from sharing.models import DailySalt, FavouriteList, LinkDay, ShareLink, Visitor
from sharing.tests.conftest import LINK_PASSWORD
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory


def _session_request():
    from django.contrib.sessions.backends.db import SessionStore

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    request.session = SessionStore()
    return request


# --- Links ------------------------------------------------------------------------------


def test_a_new_link_has_an_unguessable_token_and_a_hashed_password(gallery):
    link = services.link_create(gallery=gallery, label="Couple", password="s3cret")

    assert len(link.token) >= 32  # 24 random bytes, URL-safe
    assert "s3cret" not in link.password
    assert link.has_password


def test_a_link_cannot_show_sets_of_another_gallery(gallery, other_gallery):
    with pytest.raises(ValidationError):
        services.link_create(
            gallery=gallery, label="x", sets=[other_gallery.sets.first()]
        )


def test_a_link_limited_to_one_set_shows_only_that_sets_ready_photos(
    gallery, ceremony, reception
):
    ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, status=Photo.Status.PROCESSING
    )
    link = services.link_create(gallery=gallery, label="Family", sets=[ceremony])

    assert list(link.visible_sets()) == [ceremony]
    shown = set(link.visible_photos())
    assert shown == set(ceremony.photos.ready())
    assert len(shown) == 3


def test_disabled_and_missing_links_look_the_same(link):
    services.link_update(link=link, is_active=False)
    with pytest.raises(Http404):
        gate.get_link(link.token)
    with pytest.raises(Http404):
        gate.get_link("no-such-token")


def test_an_expired_link_is_told_apart_from_a_missing_one(link):
    services.link_update(
        link=link, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(gate.LinkExpired):
        gate.get_link(link.token)


def test_a_link_expiring_on_a_day_works_until_that_day_ends():
    end = services.expiry_from_date(datetime.date(2030, 5, 1))
    assert timezone.localtime(end).date() == datetime.date(2030, 5, 1)
    assert timezone.localtime(end).hour == 23


# --- Passwords --------------------------------------------------------------------------


def test_unlocking_lasts_for_the_session_until_the_password_changes(locked_link):
    request = _session_request()
    assert not gate.is_unlocked(request, locked_link)

    assert not gate.unlock(request, locked_link, "wrong")
    assert gate.unlock(request, locked_link, LINK_PASSWORD)
    assert gate.is_unlocked(request, locked_link)

    services.link_update(link=locked_link, password="a new one")
    assert not gate.is_unlocked(request, locked_link)


def test_wrong_passwords_are_refused_after_ten_tries_even_the_right_one(locked_link):
    request = _session_request()
    for _ in range(gate.PASSWORD_ATTEMPTS):
        assert not gate.unlock(request, locked_link, "guess")
    with pytest.raises(gate.TooManyAttempts):
        gate.unlock(request, locked_link, LINK_PASSWORD)


def test_wrong_passwords_from_one_address_do_not_lock_out_another(locked_link):
    request = _session_request()
    for _ in range(gate.PASSWORD_ATTEMPTS):
        gate.unlock(request, locked_link, "guess")
    elsewhere = _session_request()
    elsewhere.META["REMOTE_ADDR"] = "198.51.100.7"
    assert gate.unlock(elsewhere, locked_link, LINK_PASSWORD)


def test_a_photo_of_another_gallery_or_hidden_set_is_not_found(
    gallery, ceremony, reception, other_gallery
):
    link = services.link_create(gallery=gallery, label="x", sets=[ceremony])
    with pytest.raises(Http404):
        gate.visible_photo(link, other_gallery.photos.first().pk)
    with pytest.raises(Http404):
        gate.visible_photo(link, reception.photos.first().pk)
    assert gate.visible_photo(link, ceremony.photos.first().pk)


# --- Favourites -------------------------------------------------------------------------


def test_a_list_needs_a_name_and_an_email_when_the_link_asks_for_one(link):
    link.favourites_require_email = True
    with pytest.raises(ValidationError) as error:
        services.list_start(link=link, name=" ", email="")
    assert set(error.value.message_dict) == {"name", "email"}


def test_starting_a_list_with_an_email_mails_the_private_link_to_resume(
    link, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        favourite_list = services.list_start(link=link, name="Anna", email="a@x.test")

    assert len(mail.outbox) == 1
    assert favourite_list.token in mail.outbox[0].body
    assert mail.outbox[0].to == ["a@x.test"]


def test_a_mail_server_that_is_down_fails_no_visitor_and_the_retry_sends_it(
    link, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(backend, messages):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as down:
        down.setattr(locmem.EmailBackend, "send_messages", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            favourite_list = services.list_start(
                link=link, name="Anna", email="a@x.test"
            )
        with pytest.raises(Retry):
            tasks.mail_resume_link.apply(args=[str(favourite_list.pk)], throw=True)

    assert FavouriteList.objects.filter(pk=favourite_list.pk).exists()
    assert mail.outbox == []
    tasks.mail_resume_link.apply(args=[str(favourite_list.pk)], throw=True)
    assert favourite_list.token in mail.outbox[0].body


def test_hearts_stop_at_the_links_limit(link, gallery):
    link.favourites_limit = 2
    link.save()
    favourite_list = FavouriteListFactory(link=link)
    photos = list(gallery.photos.all())

    services.favourite_add(favourite_list=favourite_list, photo=photos[0])
    services.favourite_add(favourite_list=favourite_list, photo=photos[0])  # again
    services.favourite_add(favourite_list=favourite_list, photo=photos[1])
    with pytest.raises(ValidationError, match="up to 2"):
        services.favourite_add(favourite_list=favourite_list, photo=photos[2])
    assert favourite_list.items.count() == 2


def test_a_photo_the_link_does_not_show_cannot_be_hearted(link, other_gallery):
    favourite_list = FavouriteListFactory(link=link)
    with pytest.raises(ValidationError):
        services.favourite_add(
            favourite_list=favourite_list, photo=other_gallery.photos.first()
        )


def test_submitting_a_list_tells_the_photographer_and_freezes_it(
    link, gallery, owner, django_capture_on_commit_callbacks
):
    favourite_list = FavouriteListFactory(link=link, name="Anna")
    photo = gallery.photos.first()
    services.favourite_add(favourite_list=favourite_list, photo=photo, note="Crop?")

    with django_capture_on_commit_callbacks(execute=True):
        services.list_submit(favourite_list=favourite_list)

    assert mail.outbox[-1].to == [owner.email]
    assert "Anna chose 1 photo in" in mail.outbox[-1].subject
    with pytest.raises(ValidationError, match="sent to the photographer"):
        services.favourite_remove(favourite_list=favourite_list, photo=photo)

    services.list_reopen(favourite_list=favourite_list)
    services.favourite_remove(favourite_list=favourite_list, photo=photo)
    assert not favourite_list.items.exists()


def test_an_empty_list_cannot_be_submitted(link):
    with pytest.raises(ValidationError, match="at least one"):
        services.list_submit(favourite_list=FavouriteListFactory(link=link))


# --- Analytics --------------------------------------------------------------------------


def test_views_and_unique_visitors_are_counted_per_day_without_addresses(link):
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")
    analytics.record_view(link, address="198.51.100.7", user_agent="Laptop")

    today = analytics.daily(link, days=30)[-1]
    assert (today["views"], today["visitors"]) == (3, 2)
    assert len(analytics.daily(link, days=30)) == 30
    stored = " ".join(Visitor.objects.values_list("digest", flat=True))
    assert "203.0.113.9" not in stored
    link.refresh_from_db()
    assert link.last_visited_at is not None


def test_a_returning_visitors_view_is_counted_in_one_query(
    link, django_assert_max_num_queries
):
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")

    with django_assert_max_num_queries(1):
        analytics.record_view(link, address="203.0.113.9", user_agent="Phone")

    today = analytics.daily(link, days=1)[-1]
    assert (today["views"], today["visitors"]) == (2, 1)


def test_a_visitor_another_process_counted_is_not_counted_again(link):
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")
    analytics._seen.clear()  # as a second web worker, which never saw them

    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")

    today = analytics.daily(link, days=1)[-1]
    assert (today["views"], today["visitors"]) == (2, 1)


def test_a_new_day_keeps_only_its_own_salt_in_the_process_and_the_database(
    link, monkeypatch
):
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")
    tomorrow = analytics.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(analytics, "today", lambda: tomorrow)

    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")

    assert list(DailySalt.objects.values_list("day", flat=True)) == [tomorrow]
    assert len(analytics._salts) == 1
    assert tomorrow in analytics._salts
    assert analytics.daily(link, days=2)[-1]["visitors"] == 1


def test_the_last_visit_moves_on_once_a_minute_has_passed(link, monkeypatch):
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")
    first = ShareLink.objects.get(pk=link.pk).last_visited_at
    later = first + datetime.timedelta(minutes=2)
    monkeypatch.setattr(analytics.timezone, "now", lambda: later)

    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")

    assert ShareLink.objects.get(pk=link.pk).last_visited_at == later


def test_totals_add_up_every_link_of_a_gallery(gallery, link):
    other = ShareLinkFactory(gallery=gallery)
    analytics.count(link, "downloads")
    analytics.count(other, "downloads", 2)
    analytics.count(other, "zip_downloads")

    totals = analytics.totals(ShareLink.objects.filter(gallery=gallery))
    assert (totals["downloads"], totals["zip_downloads"], totals["views"]) == (3, 1, 0)


def test_a_returning_visitors_views_are_written_together_every_flush_interval(
    link, settings, django_assert_num_queries
):
    settings.VIEW_FLUSH_SECONDS = 3600
    analytics.flush_views()  # the interval starts now
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")

    with django_assert_num_queries(0):
        for _ in range(5):
            analytics.record_view(link, address="203.0.113.9", user_agent="Phone")

    row = LinkDay.objects.get(link=link)
    assert (row.views, row.visitors) == (1, 1)
    # The photographer's own figures are read after this process writes what it holds.
    today = analytics.daily(link, days=1)[-1]
    assert (today["views"], today["visitors"]) == (6, 1)


def test_views_held_back_are_written_by_the_first_view_after_the_interval(
    link, settings, monkeypatch
):
    settings.VIEW_FLUSH_SECONDS = 10
    analytics.flush_views()
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")
    assert LinkDay.objects.get(link=link).views == 1

    later = time.monotonic() + 11
    monkeypatch.setattr(analytics.time, "monotonic", lambda: later)
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")

    assert LinkDay.objects.get(link=link).views == 3


def test_views_held_back_for_a_link_deleted_meanwhile_are_dropped(link, settings):
    settings.VIEW_FLUSH_SECONDS = 3600
    analytics.flush_views()
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")
    analytics.record_view(link, address="203.0.113.9", user_agent="Phone")
    link.delete()

    analytics.flush_views()

    assert not LinkDay.objects.exists()
