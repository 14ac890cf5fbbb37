import re

from django.core import mail
from django.urls import reverse


def _request_link(client, email):
    client.post(reverse("accounts:password_reset"), {"email": email})
    assert len(mail.outbox) == 1
    return re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    )[1]


def test_it_emails_a_link_that_sets_a_new_password(client, owner):
    link = _request_link(client, owner.email)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "fresh and long passphrase",
            "new_password2": "fresh and long passphrase",
        },
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("fresh and long passphrase")
    assert mail.outbox[0].subject == "Reset your Proofsheet password"
    assert mail.outbox[0].to == [owner.email]


def test_it_does_not_reveal_whether_an_address_has_an_account(client, db):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.test"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_link_stops_working_once_used(client, owner):
    link = _request_link(client, owner.email)
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {
            "new_password1": "fresh and long passphrase",
            "new_password2": "fresh and long passphrase",
        },
    )

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False
    assert b"invalid or has expired" in again.content


def test_an_expired_link_is_refused_with_a_clear_message(client, owner, settings):
    link = _request_link(client, owner.email)
    settings.PASSWORD_RESET_TIMEOUT = -1

    response = client.get(link, follow=True)

    assert response.context["validlink"] is False
    assert b"invalid or has expired" in response.content
