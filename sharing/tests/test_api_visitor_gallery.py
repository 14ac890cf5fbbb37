"""The visitor API's gallery as a phone app reads it, with no account: its sets, cover
and what the link allows; and the schema that documents the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from galleries.tests.conftest import RENDITION_KEYS
from sharing import analytics, services
from sharing.tests.factories import ShareLinkFactory
from sharing.tests.visitor_api import api_unlock, api_url


def test_an_app_gets_the_gallery_its_sets_cover_and_what_the_link_allows(
    app, link, gallery, owner
):
    services.link_update(
        link=link,
        welcome_message="Enjoy!",
        favourites_limit=40,
        favourites_require_email=True,
    )

    response = app.get(api_url("share", link.token))

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Anna & Ben"
    assert body["studio"] == "Olivia Studio"
    assert body["welcome_message"] == "Enjoy!"
    assert [(s["name"], s["photo_count"]) for s in body["sets"]] == [
        ("Ceremony", 3),
        ("Reception", 2),
    ]
    assert body["photo_count"] == 5
    assert set(body["cover"]["renditions"]) == RENDITION_KEYS
    assert body["downloads"] == "web"
    assert body["zip_url"] == f"http://testserver/s/{link.token}/zip/"
    assert body["favourites"] == {"enabled": True, "limit": 40, "require_email": True}
    assert (body["requires_password"], body["unlocked"]) == (False, True)
    assert body["url"] == f"http://testserver/s/{link.token}/"


def test_opening_the_gallery_counts_a_view_and_a_visitor(app, link):
    app.get(api_url("share", link.token), HTTP_USER_AGENT="Phone")
    app.get(api_url("share", link.token), HTTP_USER_AGENT="Phone")

    today = analytics.daily(link, days=1)[0]
    assert (today["views"], today["visitors"]) == (2, 1)
    link.refresh_from_db()
    assert link.last_visited_at is not None


def test_a_link_to_some_sets_shows_only_them_and_never_a_hidden_cover(
    app, gallery, ceremony, reception
):
    gallery.cover = reception.photos.first()
    gallery.save()
    link = ShareLinkFactory(gallery=gallery)
    link.sets.set([ceremony])

    body = app.get(api_url("share", link.token)).json()

    assert [s["name"] for s in body["sets"]] == ["Ceremony"]
    assert body["photo_count"] == 3
    assert body["cover"]["id"] in {str(p.pk) for p in ceremony.photos.all()}


def test_no_zip_and_no_download_urls_when_the_link_allows_none(app, gallery):
    link = ShareLinkFactory(gallery=gallery, downloads="none")

    gallery_body = app.get(api_url("share", link.token)).json()
    photo = app.get(api_url("share-photo-list", link.token)).json()["results"][0]

    assert gallery_body["zip_url"] is None
    assert photo["downloads"] == {"web": None, "original": None}


@pytest.mark.parametrize(
    ("downloads", "web", "original"),
    [("web", True, False), ("original", True, True)],
)
def test_download_urls_follow_the_links_rights(app, gallery, downloads, web, original):
    link = ShareLinkFactory(gallery=gallery, downloads=downloads)

    photo = app.get(api_url("share-photo-list", link.token)).json()["results"][0]

    base = f"http://testserver/s/{link.token}/p/{photo['id']}/download/"
    assert photo["downloads"]["web"] == (f"{base}?size=web" if web else None)
    assert photo["downloads"]["original"] == (
        f"{base}?size=original" if original else None
    )


def test_a_download_url_works_for_an_app_holding_the_access_token(app, locked_link):
    token = api_unlock(app, locked_link).json()["access_token"]
    fresh = APIClient()
    photo = fresh.get(
        api_url("share-photo-list", locked_link.token), HTTP_X_SHARE_ACCESS=token
    ).json()["results"][0]
    url = photo["downloads"]["web"]

    refused = fresh.get(url)
    downloaded = fresh.get(url, HTTP_X_SHARE_ACCESS=token)

    assert refused.status_code == 302
    assert "/unlock/" in refused["Location"]
    assert downloaded.status_code == 302
    assert "/unlock/" not in downloaded["Location"]
    assert analytics.daily(locked_link, days=1)[0]["downloads"] == 1


# --- The schema ---------------------------------------------------------------------------


def test_the_schema_documents_the_public_api_and_its_access_header(api_client):
    schema = api_client.get(
        reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()

    scheme = schema["components"]["securitySchemes"]["shareAccess"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == (
        "apiKey",
        "header",
        "X-Share-Access",
    )
    gallery = schema["paths"]["/api/v1/share/{token}/"]["get"]
    assert {"shareAccess": []} in gallery["security"]
    assert {"200", "401", "404", "410", "429"} <= set(gallery["responses"])
    assert "/api/v1/share/{token}/unlock/" in schema["paths"]
    assert (
        "/api/v1/share/{token}/favourite-lists/{list_token}/items/{photo}/"
        in (schema["paths"])
    )
    assert "/api/v1/links/{id}/analytics/" in schema["paths"]
