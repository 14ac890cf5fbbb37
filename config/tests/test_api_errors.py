"""Every error under /api/ has the API's JSON shape, whichever layer answers it."""

import pytest
from django.test import Client
from django.urls import path

from config import urls as site_urls
from config.tests.openapi import assert_documented


def _error(response) -> dict:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"type", "errors"}
    (error,) = body["errors"]
    return {"type": body["type"], **error}


def test_an_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert _error(response) == {
        "type": "client_error",
        "code": "not_found",
        "detail": "Not found.",
        "attr": None,
    }


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("delete", "/api/v1/uploads/%C2%84/"),
        ("post", "/api/v1/uploads/%C2%84/complete/"),
        ("put", "/api/v1/uploads/not-a-uuid/content/"),
        ("get", "/api/v1/galleries/123/photos/"),
        ("get", "/api/v1/links/x/analytics/"),
    ],
)
def test_a_malformed_id_in_an_api_url_answers_the_documented_json_404(
    owner_api, method, url
):
    # Found by bin/contract: the id does not match the URL pattern, and Django's
    # HTML 404 page answered.
    response = getattr(owner_api, method)(url)

    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"
    assert_documented(response)


def test_a_wrong_method_on_an_api_url_answers_json_405(owner_api):
    response = owner_api.put("/api/v1/me/", {}, format="json")

    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"
    assert_documented(response, method="get")


def test_a_request_django_refuses_under_the_api_answers_json_400(client):
    response = client.get("/api/v1/me/", headers={"host": "evil.example"})

    assert response.status_code == 400
    assert _error(response)["type"] == "client_error"


def test_pages_outside_the_api_keep_their_html_error_pages(client):
    missing = client.get("/no-such-page/")
    refused = client.get("/", headers={"host": "evil.example"})

    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("text/html")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("text/html")


def _explode(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("api/v1/boom/", _explode), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@pytest.mark.urls("config.tests.test_api_errors")
def test_a_crash_under_the_api_answers_a_json_500_without_details(db):
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/boom/")

    assert response.status_code == 500
    assert b"secret internals" not in response.content
    assert _error(response) == {
        "type": "server_error",
        "code": "error",
        "detail": "Server Error (500)",
        "attr": None,
    }
