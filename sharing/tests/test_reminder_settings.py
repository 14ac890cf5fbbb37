"""The photographer's side of expiry reminders: the link form, the API, the preview,
who was reminded, and that no one else sees or changes any of it."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from sharing import reminders
from sharing.models import Recipient, ShareLink
from sharing.tests.factories import ShareLinkFactory
from sharing.tests.link_form import link_form
from sharing.tests.mail_preview import previewed_email

IN_A_YEAR = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()


@pytest.fixture
def expiring(gallery):
    return ShareLinkFactory(
        gallery=gallery,
        label="Couple",
        expires_at=timezone.now() + datetime.timedelta(days=20),
    )


@pytest.fixture
def never_expires(gallery):
    return ShareLinkFactory(gallery=gallery, label="Forever", expiry_reminders=False)


# --- The link form ----------------------------------------------------------------------


def test_a_new_link_with_an_expiry_reminds_7_days_and_1_day_before_by_default(
    owner_client, gallery
):
    page = owner_client.get(reverse("sharing:link_create", args=[gallery.pk]))
    assert b"Remind recipients before the link expires" in page.content
    assert b'value="7, 1"' in page.content

    owner_client.post(
        reverse("sharing:link_create", args=[gallery.pk]),
        link_form(expires_on=IN_A_YEAR, expiry_reminders="on", reminder_days="7, 1"),
    )

    link = ShareLink.objects.get()
    assert link.expiry_reminders
    assert link.reminder_days == [7, 1]


def test_a_new_link_without_expiry_has_reminders_off_even_with_the_box_left_ticked(
    owner_client, gallery
):
    response = owner_client.post(
        reverse("sharing:link_create", args=[gallery.pk]),
        link_form(expiry_reminders="on", reminder_days="7, 1"),
    )

    assert response.status_code == 302
    assert not ShareLink.objects.get().expiry_reminders


def test_ticking_reminders_on_a_link_without_expiry_is_refused_with_a_reason(
    owner_client, never_expires
):
    response = owner_client.post(
        reverse("sharing:link_edit", args=[never_expires.pk]),
        link_form(label="Forever", expiry_reminders="on", reminder_days="7, 1"),
    )

    assert "Reminders need an expiry date" in response.content.decode()
    never_expires.refresh_from_db()
    assert not never_expires.expiry_reminders


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("7, 90", "1 to 60 days before expiry (not 90)"),
        ("0", "(not 0)"),
        ("a week", "Give whole numbers of days"),
        ("1, 2, 3, 4, 5, 6", "At most 5 reminders"),
    ],
)
def test_reminder_days_out_of_range_or_not_numbers_are_refused(
    owner_client, expiring, days, message
):
    response = owner_client.post(
        reverse("sharing:link_edit", args=[expiring.pk]),
        link_form(expires_on=IN_A_YEAR, expiry_reminders="on", reminder_days=days),
    )

    assert message in response.content.decode()
    expiring.refresh_from_db()
    assert expiring.reminder_days == [7, 1]


def test_the_photographer_chooses_the_days_and_can_turn_reminders_off(
    owner_client, expiring
):
    owner_client.post(
        reverse("sharing:link_edit", args=[expiring.pk]),
        link_form(expires_on=IN_A_YEAR, expiry_reminders="on", reminder_days="3,14 3"),
    )
    expiring.refresh_from_db()
    assert (expiring.expiry_reminders, expiring.reminder_days) == (True, [14, 3])
    page = owner_client.get(reverse("sharing:link_detail", args=[expiring.pk]))
    assert "14, 3 days before expiry" in page.content.decode()

    owner_client.post(
        reverse("sharing:link_edit", args=[expiring.pk]),
        link_form(expires_on=IN_A_YEAR, reminder_days="14, 3"),
    )
    expiring.refresh_from_db()
    assert not expiring.expiry_reminders


def test_removing_the_expiry_turns_reminders_off(owner_client, expiring):
    owner_client.post(
        reverse("sharing:link_edit", args=[expiring.pk]),
        link_form(expiry_reminders="on", reminder_days="7, 1"),
    )

    expiring.refresh_from_db()
    assert expiring.expires_at is None
    assert not expiring.expiry_reminders


# --- The API ----------------------------------------------------------------------------


def test_the_api_gives_a_new_link_with_an_expiry_reminders_and_one_without_none(
    owner_api, gallery
):
    url = reverse("api:gallery-link-list", args=[gallery.pk])
    with_expiry = owner_api.post(
        url, {"label": "A", "expires_at": "2031-05-01T23:59:59Z"}, format="json"
    )
    without = owner_api.post(url, {"label": "B"}, format="json")

    assert with_expiry.status_code == 201
    assert with_expiry.json()["expiry_reminders"] is True
    assert with_expiry.json()["reminder_days"] == [7, 1]
    assert without.json()["expiry_reminders"] is False


def test_the_api_refuses_reminders_for_a_link_without_expiry(owner_api, never_expires):
    response = owner_api.patch(
        reverse("api:link-detail", args=[never_expires.pk]),
        {"expiry_reminders": True},
        format="json",
    )

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["attr"] == "expiry_reminders"
    assert "Reminders need an expiry date" in error["detail"]


@pytest.mark.parametrize("days", [[61], [0], [], [1, 2, 3, 4, 5, 6]])
def test_the_api_refuses_reminder_days_out_of_range(owner_api, expiring, days):
    response = owner_api.patch(
        reverse("api:link-detail", args=[expiring.pk]),
        {"reminder_days": days},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"].startswith("reminder_days")


def test_the_api_changes_the_days_and_turns_reminders_off(owner_api, expiring):
    url = reverse("api:link-detail", args=[expiring.pk])
    days = owner_api.patch(url, {"reminder_days": [3, 10, 3]}, format="json")
    off = owner_api.patch(url, {"expiry_reminders": False}, format="json")

    assert days.json()["reminder_days"] == [10, 3]
    assert off.json()["expiry_reminders"] is False
    assert off.json()["reminder_days"] == [10, 3]


# --- Preview ----------------------------------------------------------------------------


def test_the_photographer_previews_the_reminder_as_clients_will_get_it(
    owner_client, expiring
):
    page = owner_client.get(
        reverse("sharing:link_reminder_preview", args=[expiring.pk])
    )

    body = page.content.decode()
    assert page.status_code == 200
    assert "Your photos from Anna &amp; Ben are online until" in body
    shown = previewed_email(body)
    assert "your-personal-link" in shown
    assert "Unsubscribe" in shown
    assert shown.rstrip().endswith("</html>")
    assert mail.outbox == []


def test_previewing_a_reminder_of_a_link_without_expiry_says_why_not(
    owner_client, never_expires
):
    page = owner_client.get(
        reverse("sharing:link_reminder_preview", args=[never_expires.pk])
    )

    assert page.status_code == 400
    assert "Reminders need an expiry date" in page.content.decode()


def test_the_api_previews_the_reminder_both_parts(owner_api, expiring, owner):
    response = owner_api.get(reverse("api:link-reminder-preview", args=[expiring.pk]))

    data = response.json()
    assert data["reply_to"] == owner.email
    assert "7 more days" not in data["text"]  # 20 days left on this link
    assert "20 more days" in data["text"]
    assert "<html" in data["html"]


# --- Who was reminded -------------------------------------------------------------------


@pytest.fixture
def reminded(expiring, django_capture_on_commit_callbacks):
    """Ben was reminded a week before expiry; Anna had downloaded, so was not."""
    ben = Recipient.objects.create(
        link=expiring, email="ben@example.com", source=Recipient.Source.INVITED
    )
    Recipient.objects.create(
        link=expiring,
        email="anna@example.com",
        source=Recipient.Source.INVITED,
        downloads=2,
    )
    week_before = expiring.expires_at - datetime.timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_due(week_before)
    return ben


def test_the_activity_table_csv_and_api_show_who_was_reminded_and_when(
    owner_client, owner_api, expiring, reminded
):
    sent_at = reminded.reminders.get().sent_at

    page = owner_client.get(reverse("sharing:link_detail", args=[expiring.pk]))
    assert "Reminded" in page.content.decode()
    assert timezone.localtime(sent_at).strftime("%-d %b %H:%M") in page.content.decode()

    export = owner_client.get(reverse("sharing:activity_csv", args=[expiring.pk]))
    rows = {
        row["email"]: row
        for row in csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")))
    }
    assert rows["ben@example.com"]["reminded at"].startswith(
        timezone.localtime(sent_at).strftime("%Y-%m-%dT%H:%M")
    )
    assert rows["anna@example.com"]["reminded at"] == ""

    api = owner_api.get(reverse("api:link-recipients", args=[expiring.pk])).json()
    by_email = {row["email"]: row for row in api}
    assert [r["days"] for r in by_email["ben@example.com"]["reminders"]] == [7]
    assert by_email["anna@example.com"]["reminders"] == []


# --- Privacy ----------------------------------------------------------------------------


def test_a_stranger_can_neither_see_nor_change_reminder_settings(
    stranger_api, expiring, reminded
):
    link_url = reverse("api:link-detail", args=[expiring.pk])
    assert stranger_api.get(link_url).status_code == 404
    changed = stranger_api.patch(link_url, {"expiry_reminders": False}, format="json")
    assert changed.status_code == 404
    preview = reverse("api:link-reminder-preview", args=[expiring.pk])
    assert stranger_api.get(preview).status_code == 404
    who = reverse("api:link-recipients", args=[expiring.pk])
    assert stranger_api.get(who).status_code == 404
    expiring.refresh_from_db()
    assert expiring.expiry_reminders


def test_a_stranger_signed_in_gets_not_found_for_the_preview_page_and_the_form(
    stranger_client, expiring
):
    preview = stranger_client.get(
        reverse("sharing:link_reminder_preview", args=[expiring.pk])
    )
    edit = stranger_client.post(
        reverse("sharing:link_edit", args=[expiring.pk]),
        link_form(expires_on=IN_A_YEAR, reminder_days="2"),
    )

    assert (preview.status_code, edit.status_code) == (404, 404)
    expiring.refresh_from_db()
    assert (expiring.expiry_reminders, expiring.reminder_days) == (True, [7, 1])


def test_anonymous_visitors_are_sent_to_log_in_or_refused(client, api_client, expiring):
    page = client.get(reverse("sharing:link_reminder_preview", args=[expiring.pk]))
    api = api_client.patch(
        reverse("api:link-detail", args=[expiring.pk]),
        {"reminder_days": [2]},
        format="json",
    )

    assert page.status_code == 302
    assert "/login" in page["Location"] or "login" in page["Location"]
    assert api.status_code == 401
    expiring.refresh_from_db()
    assert expiring.reminder_days == [7, 1]


# --- The schedule -----------------------------------------------------------------------


def test_beat_runs_the_reminders_hourly_in_production_and_on_the_embedded_default():
    entry = settings.CELERY_BEAT_SCHEDULE["expiry-reminders"]
    assert entry["schedule"] == 3600
    assert entry["task"] in celery_app.tasks
    root = Path(settings.BASE_DIR)
    # The embedded default: bin/serve's worker runs beat inside it (-B).
    assert "worker -B" in (root / "bin" / "serve").read_text()
    # Production: a beat process of its own, reading the same schedule.
    assert "celery -A config beat" in (root / "docker-compose.yml").read_text()
    supervisord = root / "deploy" / "prodstack" / "supervisord.conf"
    assert "celery -A config beat" in supervisord.read_text()


def test_the_api_refuses_to_preview_a_reminder_for_a_link_without_expiry(
    owner_api, never_expires
):
    response = owner_api.get(
        reverse("api:link-reminder-preview", args=[never_expires.pk])
    )

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["attr"] == "expires_at"
    assert "Reminders need an expiry date" in error["detail"]
