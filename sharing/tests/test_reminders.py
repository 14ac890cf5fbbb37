"""Expiry reminders, on the clock: who gets one, when, and never twice."""

import datetime
import io
import threading

import pytest
import time_machine
from celery.beat import Scheduler
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from config.celery import app
from galleries import trash
from sharing import client_mail, recipients, reminders
from sharing.models import Recipient, ReminderSent, ShareLink
from sharing.tests.factories import ShareLinkFactory

START = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
EXPIRES = START + datetime.timedelta(days=10)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def couple(clock, gallery):
    """A link expiring in 10 days; Anna downloaded a photo, Ben did nothing."""
    link = ShareLinkFactory(gallery=gallery, label="Couple", expires_at=EXPIRES)
    anna = Recipient.objects.create(
        link=link, email="anna@example.com", source=Recipient.Source.INVITED
    )
    Recipient.objects.create(
        link=link, email="ben@example.com", source=Recipient.Source.INVITED
    )
    recipients.counted(recipients.attach(fresh(link), anna), "downloads")
    return link


@pytest.fixture
def beat(django_capture_on_commit_callbacks):
    """One run of the hourly beat task, its emails sent: the addresses mailed."""

    def run() -> list[str]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            reminders.send_due()
        return [message.to[0] for message in mail.outbox]

    return run


def fresh(link) -> ShareLink:
    """The link as a visitor's request reads it (attaching a recipient makes it
    read-only)."""
    return ShareLink.objects.get(pk=link.pk)


def at(days_before: float) -> datetime.datetime:
    return EXPIRES - datetime.timedelta(days=days_before)


def test_the_schedule_reminds_who_did_nothing_at_7_days_and_1_day_and_never_after(
    couple, clock, beat
):
    clock.move_to(at(8))
    assert beat() == []

    clock.move_to(at(7))
    assert beat() == ["ben@example.com"]
    (message,) = mail.outbox
    assert "7 more days" in message.body
    assert "/s/" in message.body

    assert beat() == []
    clock.move_to(at(3))
    assert beat() == []

    clock.move_to(at(1))
    assert beat() == ["ben@example.com"]
    assert beat() == []

    clock.move_to(EXPIRES + datetime.timedelta(minutes=1))
    assert beat() == []
    assert ReminderSent.objects.filter(sent_at__isnull=False).count() == 2


def test_an_address_that_unsubscribed_gets_no_reminder(couple, clock, beat, owner):
    client_mail.unsubscribe(owner=owner, email="ben@example.com")

    clock.move_to(at(7))
    assert beat() == []
    clock.move_to(at(1))
    assert beat() == []


def test_a_revoked_recipient_or_one_who_sent_a_list_gets_no_reminder(
    couple, clock, beat
):
    ben = couple.recipients.get(email="ben@example.com")
    ben.revoked_at = timezone.now()
    ben.save(update_fields=["revoked_at"])
    Recipient.objects.create(
        link=couple,
        email="cleo@example.com",
        source=Recipient.Source.REGISTERED,
        lists_submitted=1,
    )

    clock.move_to(at(7))
    assert beat() == []


def test_a_link_with_reminders_off_or_disabled_sends_none(couple, clock, beat):
    couple.expiry_reminders = False
    couple.save()
    clock.move_to(at(7))
    assert beat() == []

    couple.expiry_reminders = True
    couple.is_active = False
    couple.save()
    assert beat() == []


def test_a_gallery_in_the_trash_reminds_no_one_until_it_is_restored(
    couple, clock, beat, gallery
):
    trash.gallery_trash(gallery=gallery)
    clock.move_to(at(7))
    assert beat() == []

    trash.gallery_restore(gallery=gallery)
    assert beat() == ["ben@example.com"]


def test_the_photographers_own_days_are_the_marks(couple, clock, beat):
    couple.reminder_days = [3]
    couple.save()

    clock.move_to(at(7))
    assert beat() == []
    clock.move_to(at(3))
    assert beat() == ["ben@example.com"]
    clock.move_to(at(1))
    assert beat() == []


def test_a_recipient_added_after_a_mark_waits_for_the_next_one(couple, clock, beat):
    clock.move_to(at(5))
    Recipient.objects.create(
        link=couple, email="late@example.com", source=Recipient.Source.INVITED
    )
    assert beat() == ["ben@example.com"]

    clock.move_to(at(1))
    assert sorted(beat()) == ["ben@example.com", "late@example.com"]


def test_a_recipient_who_downloads_after_the_reminder_was_queued_gets_none(
    couple, clock, django_capture_on_commit_callbacks
):
    clock.move_to(at(7))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert reminders.send_due() == 1
    ben = couple.recipients.get(email="ben@example.com")
    recipients.counted(recipients.attach(fresh(couple), ben), "zip_downloads")
    for callback in queued:
        callback()

    assert mail.outbox == []
    assert ReminderSent.objects.get().sent_at is None


def test_the_reminder_email_is_branded_with_both_parts_and_one_click_unsubscribe(
    couple, clock, beat, owner
):
    clock.move_to(at(1) + datetime.timedelta(hours=2))
    beat()

    (message,) = mail.outbox
    assert message.reply_to == [owner.email]
    assert "Olivia Studio" in message.from_email
    assert "Anna & Ben" in message.subject
    assert "one more day" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    ben = couple.recipients.get(email="ben@example.com")
    assert ben.token in html
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_send_each_reminder_once(gallery):
    if connection.vendor == "sqlite":
        # The test database in memory locks whole tables between threads; the same
        # unique claim is what the next test proves there.
        pytest.skip("concurrent writers need PostgreSQL (the services run)")
    link = ShareLinkFactory(
        gallery=gallery, expires_at=timezone.now() + datetime.timedelta(days=6)
    )
    Recipient.objects.create(
        link=link, email="ben@example.com", source=Recipient.Source.INVITED
    )
    Recipient.objects.filter(link=link).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    mail.outbox.clear()
    barrier = threading.Barrier(4)
    counts, errors = [], []

    def run():
        barrier.wait()
        try:
            counts.append(reminders.send_due())
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(counts) == 1
    assert ReminderSent.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["ben@example.com"]]


def test_a_claim_taken_already_is_not_sent_again(couple, clock, beat):
    clock.move_to(at(7))
    ben = couple.recipients.get(email="ben@example.com")
    ReminderSent.objects.create(recipient=ben, days=7)

    assert beat() == []


def test_celery_beats_own_scheduler_reading_the_apps_schedule_sends_the_reminders(
    couple, clock, django_capture_on_commit_callbacks
):
    scheduler = Scheduler(app=app, lazy=True)
    scheduler.setup_schedule()
    entry = scheduler.schedule["expiry-reminders"]
    clock.move_to(at(7))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        scheduler.apply_entry(entry)

    assert [message.to for message in mail.outbox] == [["ben@example.com"]]


def test_the_command_sends_as_of_a_moment_and_refuses_one_without_a_zone(
    couple, clock, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--as-of", at(8).isoformat(), stdout=out)
        call_command("send_reminders", "--as-of", at(7).isoformat(), stdout=out)
        call_command("send_reminders", "--as-of", at(6.9).isoformat(), stdout=out)

    assert out.getvalue().splitlines() == [
        "0 reminders queued",
        "1 reminder queued",
        "0 reminders queued",
    ]
    assert [message.to for message in mail.outbox] == [["ben@example.com"]]
    with pytest.raises(CommandError, match="time zone"):
        call_command("send_reminders", "--as-of", "2026-06-04T09:00")
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("send_reminders", "--as-of", "next week")
