"""Every sharing page of the photographer's, refused to strangers and anonymous visitors."""

import pytest
from django.urls import reverse

from config.tests.permission_matrix import (
    assert_answered_for_owner,
    every,
    page_request,
    rows,
)
from sharing.models import FavouriteList, ShareLink
from sharing.tests.link_form import link_form

HACKED = link_form(label="Hacked")

PAGES = rows(
    ("get", "sharing:links", ["gallery"], None),
    ("get", "sharing:link_create", ["gallery"], None),
    ("post", "sharing:link_create", ["gallery"], HACKED),
    ("get", "sharing:link_detail", ["link"], None),
    ("get", "sharing:link_edit", ["link"], None),
    ("post", "sharing:link_edit", ["link"], HACKED),
    ("post", "sharing:link_toggle", ["link"], HACKED),
    ("get", "sharing:link_delete", ["link"], None),
    ("post", "sharing:link_delete", ["link"], HACKED),
    ("get", "sharing:link_qr", ["link"], None),
    ("get", "sharing:list_detail", ["list"], None),
    ("post", "sharing:list_reopen", ["list"], HACKED),
    ("get", "sharing:list_delete", ["list"], None),
    ("post", "sharing:list_delete", ["list"], HACKED),
    ("get", "sharing:list_csv", ["list"], None),
    ("get", "sharing:list_lightroom", ["list"], None),
    ("get", "sharing:list_xmp", ["list"], None),
)


@pytest.fixture
def things(gallery, link, anna):
    return {"gallery": gallery.pk, "link": link.pk, "list": anna.pk}


@every(PAGES)
def test_the_owner_can_use_every_sharing_page(owner_client, things, row):
    response = page_request(owner_client, row, things)

    assert response.status_code in {200, 302}
    assert_answered_for_owner(response, row)


@every(PAGES)
def test_a_stranger_gets_not_found_and_changes_nothing(
    stranger_client, gallery, link, anna, things, row
):
    response = page_request(stranger_client, row, things)

    assert response.status_code == 404
    link.refresh_from_db()
    anna.refresh_from_db()
    assert (link.label, link.is_active, anna.is_submitted) == ("Couple", True, True)
    assert ShareLink.objects.filter(gallery=gallery).count() == 1


@every(PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, anna, things, row):
    response = page_request(client, row, things)

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
