"""Calls a phone app makes to a link's visitor API, for the tests that read its answers."""

from django.urls import reverse

from sharing.tests.conftest import LINK_PASSWORD


def api_url(name: str, token: str, *args) -> str:
    return reverse(f"api:{name}", args=[token, *args])


def api_unlock(app, link, password=LINK_PASSWORD):
    return app.post(api_url("share-unlock", link.token), {"password": password})


def error_codes(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


def start_list(app, link, name="Anna", **headers):
    response = app.post(
        api_url("share-list-start", link.token),
        {"name": name},
        format="json",
        **headers,
    )
    assert response.status_code == 201, response.content
    return response.json()
