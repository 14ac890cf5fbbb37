"""Every sharing page of the photographer's, refused to strangers and anonymous visitors."""

import pytest
from django.urls import reverse

from sharing.models import FavouriteList, ShareLink
from sharing.tests.link_form import link_form

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

    response = getattr(owner_client, method)(
        url, link_form() if method == "post" else {}
    )

    assert response.status_code in {200, 302}


@pytest.mark.parametrize(("name", "about", "method"), OWNER_URLS)
def test_a_stranger_gets_not_found_and_changes_nothing(
    stranger_client, gallery, link, anna, name, about, method
):
    url = _url(name, about, gallery, link, anna)

    response = getattr(stranger_client, method)(url, link_form(label="Hacked"))

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

    response = getattr(client, method)(url, link_form() if method == "post" else {})

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
