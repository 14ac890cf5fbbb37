"""Views and visitors of a password link: the page after the gate is where a visit
lands, and each browser that unlocked is one visitor."""

from urllib.parse import quote

from django.test import Client
from django.urls import reverse

from sharing import analytics
from sharing.models import LinkDay
from sharing.tests.conftest import LINK_PASSWORD

VENUE = "203.0.113.50"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1"


def gallery_url(link, query=""):
    return reverse("sharing:gallery", args=[link.token]) + query


def guest() -> Client:
    """A guest's phone at the venue: the same address and browser as every other."""
    return Client(REMOTE_ADDR=VENUE, HTTP_USER_AGENT=PHONE)


def come_in(browser: Client, link, target: str = "") -> tuple[str, object]:
    """As a browser does it: the link redirects to the gate, the password is posted
    from the gate page, and the gate's redirect is followed with the gate as referrer.
    Answers the gate's address (what reloads send as referrer) and the page."""
    target = target or gallery_url(link)
    gate = browser.get(target).url
    gate_page = "http://testserver" + gate
    unlocked = browser.post(
        gate, {"password": LINK_PASSWORD, "next": target}, HTTP_REFERER=gate_page
    )
    assert unlocked.status_code == 302
    page = browser.get(unlocked.url, HTTP_REFERER=gate_page)
    assert page.status_code == 200
    return gate_page, page


def counts(link) -> tuple[int, int]:
    day = LinkDay.objects.filter(link=link).first()
    return (day.views, day.visitors) if day else (0, 0)


def test_the_first_page_after_the_password_counts_a_view_and_a_visitor(locked_link):
    come_in(guest(), locked_link)

    assert counts(locked_link) == (1, 1)
    locked_link.refresh_from_db()
    assert locked_link.last_visited_at is not None


def test_a_photo_opened_through_the_gate_counts_too(locked_link, gallery):
    photo = gallery.photos.first()
    target = reverse("sharing:photo", args=[locked_link.token, photo.pk])

    come_in(guest(), locked_link, target)

    assert counts(locked_link) == (1, 1)


def test_two_guests_on_one_address_and_phone_model_reloading_are_two_visits(
    locked_link,
):
    for browser in (guest(), guest()):
        gate_page, _ = come_in(browser, locked_link)
        for _ in range(2):  # a reload sends the referrer the page was opened with
            browser.get(gallery_url(locked_link), HTTP_REFERER=gate_page)

    assert counts(locked_link) == (2, 2)


def test_moving_around_after_unlocking_is_still_one_visit(locked_link, gallery):
    browser = guest()
    come_in(browser, locked_link)
    inside = "http://testserver" + gallery_url(locked_link)

    photo = gallery.photos.first()
    browser.get(
        reverse("sharing:photo", args=[locked_link.token, photo.pk]),
        HTTP_REFERER=inside,
    )
    browser.get(gallery_url(locked_link, "?from=0"), HTTP_REFERER=inside)

    assert counts(locked_link) == (1, 1)


def test_a_guest_coming_back_later_is_a_second_view_of_the_same_visitor(locked_link):
    browser = guest()
    come_in(browser, locked_link)

    browser.get(gallery_url(locked_link))  # from the e-mail again: no referrer
    # Even from another network, the browser is the same visitor.
    browser.get(gallery_url(locked_link), REMOTE_ADDR="198.51.100.7")

    assert counts(locked_link) == (3, 1)


def test_the_photographer_unlocking_their_own_link_is_not_counted(
    owner_client, locked_link
):
    come_in(owner_client, locked_link)
    owner_client.get(gallery_url(locked_link))

    assert counts(locked_link) == (0, 0)


def test_the_gate_page_itself_counts_nothing(locked_link):
    browser = guest()
    gate = browser.get(gallery_url(locked_link)).url
    browser.get(gate)
    browser.post(gate, {"password": "wrong", "next": quote(gallery_url(locked_link))})

    assert counts(locked_link) == (0, 0)


def test_a_browsers_own_id_tells_visitors_apart_where_address_and_agent_do_not(
    locked_link,
):
    for browser in ("first", "second", "first"):
        analytics.record_view(
            locked_link, address=VENUE, user_agent=PHONE, browser=browser
        )
    analytics.record_view(
        locked_link, address="198.51.100.7", user_agent="Laptop", browser="second"
    )

    assert counts(locked_link) == (4, 2)
