import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from galleries.models import Gallery
from sharing import client_mail, digest, invitations, services
from sharing.models import FavouriteList, Recipient, ShareLink, Unsubscribe
from sharing.tests.conftest import LINK_PASSWORD
from sharing.tests.mail_preview import previewed_email

PERSONAL = re.compile(r"http://[^/\s]+/s/([\w-]+)/")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def invite(link, *emails, subject="Your photos", message="Hello Anna,\nenjoy."):
        with django_capture_on_commit_callbacks(execute=True):
            return invitations.invite(
                link=link, emails=list(emails), subject=subject, message=message
            )

    return invite


def personal_path(message) -> str:
    token = PERSONAL.search(message.body).group(1)
    return f"/s/{token}/"


def test_an_invitation_has_both_parts_the_studio_as_sender_and_one_click_unsubscribe(
    link, owner, send, settings
):
    send(link, "anna@example.com")

    (message,) = mail.outbox
    assert message.to == ["anna@example.com"]
    assert message.subject == "Your photos"
    assert message.from_email.startswith('"Olivia Studio" <') or (
        message.from_email.startswith("Olivia Studio <")
    )
    assert message.reply_to == [owner.email]
    assert "Hello Anna," in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Hello Anna,<br>enjoy." in html
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http")
    assert "/unsubscribe/" in unsubscribe
    recipient = Recipient.objects.get()
    assert recipient.token in message.body
    assert recipient.token in html
    assert recipient.token != link.token
    assert recipient.sends == 1
    assert recipient.invited_at is not None


def test_addresses_are_checked_deduplicated_and_capped():
    assert invitations.parse_addresses("A@x.test, a@x.test;\nb@x.test") == [
        "a@x.test",
        "b@x.test",
    ]
    with pytest.raises(Exception, match="not an email address: nope"):
        invitations.parse_addresses("a@x.test, nope")
    many = ", ".join(f"p{n}@x.test" for n in range(invitations.MAX_PER_SEND + 1))
    with pytest.raises(Exception, match="at most"):
        invitations.parse_addresses(many)


def test_the_personal_address_opens_the_link_and_counts_what_the_recipient_does(
    link, gallery, send, client
):
    send(link, "anna@example.com", "ben@example.com")
    anna_path = personal_path(mail.outbox[0])
    photo = gallery.photos.first()

    page = client.get(anna_path)
    assert page.status_code == 200
    # Every URL of the page keeps Anna on her personal address.
    assert f"/s/{link.token}/" not in page.content.decode()
    # Moving about the gallery is one visit; the same photo twice is one photo.
    inside = {"HTTP_REFERER": f"http://testserver{anna_path}"}
    client.get(f"{anna_path}p/{photo.pk}/", **inside)
    client.get(f"{anna_path}p/{photo.pk}/", **inside)

    anna = Recipient.objects.get(email="anna@example.com")
    ben = Recipient.objects.get(email="ben@example.com")
    assert anna.opened
    assert anna.views == 1
    assert anna.photos_viewed == 1
    assert anna.last_visit_at >= anna.first_visit_at
    assert not ben.opened
    assert ben.views == 0


def test_lists_started_and_sent_through_a_personal_address_count_for_the_recipient(
    link, gallery, send, django_capture_on_commit_callbacks
):
    send(link, "anna@example.com")
    anna = Recipient.objects.get()
    from sharing import gate, recipients

    opened = gate.get_link(anna.token)
    assert recipients.of(opened) == anna
    with django_capture_on_commit_callbacks(execute=True):
        favourite_list = services.list_start(link=opened, name="Anna")
        services.favourite_add(
            favourite_list=favourite_list, photo=gallery.photos.first()
        )
        services.list_submit(favourite_list=favourite_list)
    anna.refresh_from_db()
    assert (anna.lists_started, anna.lists_submitted) == (1, 1)
    assert FavouriteList.objects.get().recipient == anna


def test_revoking_one_personal_address_leaves_the_others_and_the_link_working(
    link, send, client, owner_client
):
    send(link, "anna@example.com", "ben@example.com")
    anna_path, ben_path = (personal_path(m) for m in mail.outbox)
    anna = Recipient.objects.get(email="anna@example.com")

    response = owner_client.post(reverse("sharing:recipient_revoke", args=[anna.pk]))
    assert response.status_code == 302
    owner_client.logout()

    assert client.get(anna_path).status_code == 404
    assert client.get(ben_path).status_code == 200
    assert client.get(f"/s/{link.token}/").status_code == 200


def test_resending_mails_the_same_personal_address_again(
    link, send, owner_client, django_capture_on_commit_callbacks
):
    send(link, "anna@example.com")
    anna = Recipient.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("sharing:recipient_resend", args=[anna.pk])
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert anna.token in mail.outbox[1].body


def test_an_expired_link_cannot_be_invited_to(link):
    link.expires_at = timezone.now() - datetime.timedelta(days=1)
    link.save()
    with pytest.raises(Exception, match="expired"):
        invitations.invite(link=link, emails=["a@x.test"], subject="s", message="m")


# --- Unsubscribe ------------------------------------------------------------------------


def test_one_click_post_unsubscribes_at_once_and_nothing_is_sent_again(
    link, owner, send, client
):
    send(link, "anna@example.com")
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]

    response = client.post(
        "/" + path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Unsubscribe.objects.filter(owner=owner, email="anna@example.com").exists()

    sent = send(link, "anna@example.com", "ben@example.com")
    assert sent.unsubscribed == ["anna@example.com"]
    assert [m.to for m in mail.outbox[1:]] == [["ben@example.com"]]


def test_opening_the_unsubscribe_link_asks_before_unsubscribing(link, owner, client):
    path = reverse(
        "sharing:unsubscribe", args=[client_mail.unsubscribe_token(owner, "a@x.test")]
    )
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop all email from Olivia Studio" in page.content.decode()
    assert not Unsubscribe.objects.exists()
    assert client.get(path[:-5] + "xx/").status_code == 404


def test_an_unsubscribed_address_gets_no_queued_mail_either(
    link, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        invitations.invite(
            link=link, emails=["anna@example.com"], subject="s", message="m"
        )
    client_mail.unsubscribe(owner=owner, email="Anna@Example.com")
    for callback in queued:
        callback()
    assert mail.outbox == []


def test_the_resume_link_email_is_a_client_email_with_both_parts(
    link, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        favourite_list = services.list_start(link=link, name="Anna", email="a@x.test")
    (message,) = mail.outbox
    assert favourite_list.token in message.alternatives[0][0]
    assert "List-Unsubscribe" in message.extra_headers


# --- Registration -----------------------------------------------------------------------


def test_a_link_asking_before_viewing_shows_nothing_until_an_email_is_given(
    link, client
):
    link.registration = ShareLink.Registration.VIEW
    link.save()
    gallery_url = f"/s/{link.token}/"

    response = client.get(gallery_url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/s/{link.token}/register/")
    refused = client.post(
        f"/s/{link.token}/register/", {"email": "nope", "next": gallery_url}
    )
    assert refused.status_code == 400

    registered = client.post(
        f"/s/{link.token}/register/", {"email": "Guest@X.test", "next": gallery_url}
    )
    recipient = Recipient.objects.get()
    assert recipient.email == "guest@x.test"
    assert recipient.source == Recipient.Source.REGISTERED
    assert registered["Location"] == f"/s/{recipient.token}/"
    assert client.get(registered["Location"]).status_code == 200
    recipient.refresh_from_db()
    assert recipient.views == 1


def test_a_link_asking_before_downloading_lets_visitors_look_but_not_download(
    link, files, client, gallery
):
    link.registration = ShareLink.Registration.DOWNLOAD
    link.save()
    photo = gallery.photos.first()

    assert client.get(f"/s/{link.token}/").status_code == 200
    download = client.get(f"/s/{link.token}/p/{photo.pk}/download/")
    assert download.status_code == 302
    assert "/register/" in download["Location"]

    recipient = services_register(link, "guest@x.test")
    got = client.get(f"/s/{recipient.token}/p/{photo.pk}/download/")
    assert got.status_code == 302
    assert "/register/" not in got["Location"]
    recipient.refresh_from_db()
    assert recipient.downloads == 1


def services_register(link, email):
    from sharing import recipients

    return recipients.register(link=link, email=email)


# --- The owner's pages ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sharing:link_invite", "sharing:activity_csv"])
def test_strangers_and_anonymous_visitors_get_nothing_of_a_links_activity(
    link, name, client, stranger
):
    url = reverse(name, args=[link.pk])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(stranger)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["sharing:recipient_resend", "sharing:recipient_revoke"]
)
def test_strangers_cannot_resend_or_revoke_someone_elses_recipient(
    link, name, send, client, stranger
):
    send(link, "anna@example.com")
    recipient = Recipient.objects.get()
    url = reverse(name, args=[recipient.pk])
    assert client.post(url).status_code == 302
    assert "/login" in client.post(url)["Location"]
    client.force_login(stranger)
    assert client.post(url).status_code == 404
    recipient.refresh_from_db()
    assert not recipient.is_revoked
    assert recipient.sends == 1


def test_the_invite_page_previews_then_sends(
    link, owner_client, django_capture_on_commit_callbacks
):
    url = reverse("sharing:link_invite", args=[link.pk])
    page = owner_client.get(url)
    assert "Your photos from Anna &amp; Ben are ready" in page.content.decode()

    form = {"emails": "anna@example.com", "subject": "Hi", "message": "Look!"}
    preview = owner_client.post(url, {**form, "action": "preview"})
    assert preview.status_code == 200
    shown = previewed_email(preview.content.decode())
    assert "Look!" in shown
    assert "your-personal-link" in shown
    assert shown.rstrip().endswith("</html>")
    assert mail.outbox == []
    assert not Recipient.objects.exists()

    bad = owner_client.post(url, {**form, "emails": "x@", "action": "send"})
    assert bad.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        sent = owner_client.post(
            url, {**form, "action": "send", "save_as_default": "1"}
        )
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    assert invitations.template_for(link.gallery.owner) == ("Hi", "Look!")
    detail = owner_client.get(reverse("sharing:link_detail", args=[link.pk]))
    assert "anna@example.com" in detail.content.decode()


def test_the_activity_csv_lists_each_recipient_and_what_they_did(
    link, send, owner_client
):
    send(link, "anna@example.com", "=evil@x.test")
    Client().get(personal_path(mail.outbox[0]))
    response = owner_client.get(reverse("sharing:activity_csv", args=[link.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["email"] for row in rows] == ["anna@example.com", "'=evil@x.test"]
    assert rows[0]["status"] == "opened"
    assert rows[0]["visits"] == "1"
    assert rows[1]["status"] == "sent"
    assert rows[1]["sends"] == "1"


def test_deleting_the_link_or_the_gallery_deletes_the_recipients_activity(
    link, gallery, send
):
    send(link, "anna@example.com")
    other = services.link_create(gallery=gallery, label="Guests")
    send(other, "ben@example.com")
    services.link_delete(link=link)
    assert list(Recipient.objects.values_list("email", flat=True)) == [
        "ben@example.com"
    ]
    Gallery.objects.filter(pk=gallery.pk).delete()
    assert not Recipient.objects.exists()


# --- Digest -----------------------------------------------------------------------------


def test_the_daily_digest_tells_the_photographer_what_happened_once(
    link, owner, send, client
):
    owner.activity_digest = True
    owner.save()
    send(link, "anna@example.com")
    client.get(personal_path(mail.outbox[0]))
    mail.outbox.clear()
    tomorrow = timezone.now() + datetime.timedelta(days=1)

    assert digest.send_due(tomorrow) == 1
    assert digest.send_due(tomorrow) == 0
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert "Anna & Ben" in message.body
    assert "1 views by 1 visitors" in message.body
    assert "Opened their invitation: anna@example.com" in message.body


def test_no_digest_for_photographers_who_did_not_ask(link, owner, client):
    client.get(f"/s/{link.token}/")
    assert digest.send_due(timezone.now() + datetime.timedelta(days=1)) == 0
    assert mail.outbox == []


# --- The owner's API --------------------------------------------------------------------


def test_the_api_invites_lists_revokes_and_exports(
    link, owner_api, django_capture_on_commit_callbacks
):
    base = f"/api/v1/links/{link.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        made = owner_api.post(
            f"{base}recipients/",
            {"emails": "anna@example.com", "subject": "Hi", "message": "Look"},
            format="json",
        )
    assert made.status_code == 201
    assert len(mail.outbox) == 1
    listed = owner_api.get(f"{base}recipients/").json()
    assert [row["status"] for row in listed] == ["sent"]
    revoked = owner_api.post(f"/api/v1/recipients/{listed[0]['id']}/revoke/")
    assert revoked.json()["status"] == "revoked"
    assert "anna@example.com" in owner_api.get(f"{base}activity.csv").content.decode()
    bad = owner_api.post(
        f"{base}recipients/",
        {"emails": "nope", "subject": "Hi", "message": "Look"},
        format="json",
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("path", ["recipients/", "activity.csv"])
def test_the_api_gives_strangers_and_anonymous_callers_nothing(
    link, path, stranger_api, api_client
):
    url = f"/api/v1/links/{link.pk}/{path}"
    assert stranger_api.get(url).status_code == 404
    assert api_client.get(url).status_code == 401


def test_a_password_link_asking_for_an_email_takes_the_password_then_the_address(
    locked_link, client
):
    locked_link.registration = ShareLink.Registration.VIEW
    locked_link.save()
    gallery_url = f"/s/{locked_link.token}/"

    first = client.get(gallery_url)
    assert first.status_code == 302
    assert "/unlock/" in first["Location"]
    assert client.get(first["Location"]).status_code == 200
    unlocked = client.post(
        f"/s/{locked_link.token}/unlock/",
        {"password": LINK_PASSWORD, "next": gallery_url},
    )
    asked = client.get(unlocked["Location"])
    assert asked.status_code == 302
    assert "/register/" in asked["Location"]
    registered = client.post(
        f"/s/{locked_link.token}/register/",
        {"email": "guest@x.test", "next": gallery_url},
    )
    assert client.get(registered["Location"]).status_code == 200
