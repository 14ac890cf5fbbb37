"""A visitor's browser and a photographer, pointed at one pool or another.

A browser keeps one cookie jar for 127.0.0.1 whatever the port (cookies are per host,
not per port), so a session cookie that pool A set is sent to pool B: exactly what a
browser does when the proxy in front sends its next request to another machine.
"""

import re
from urllib.parse import urlsplit

import requests

from faults.client import Photographer

TIMEOUT = 30
HEART_ON = re.compile(
    r'class="heart is-on"[^>]*formaction="[^"]*/favourites/([0-9a-f-]{36})/"'
)
TILE = re.compile(
    r'<li class="tile"[^>]*>\s*<a class="tile__link" id="p-([0-9a-f-]{36})"'
)


class Browser:
    """One visitor's browser: cookies kept across pools, CSRF token sent with forms."""

    def __init__(self):
        self.session = requests.Session()

    def get(self, base: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.session.get(f"{base}{path}", timeout=TIMEOUT, **kwargs)

    def post(self, base: str, path: str, data: dict) -> requests.Response:
        """A form post, as the page's form sends it (the CSRF cookie's token with it)."""
        token = self.session.cookies.get("csrftoken")
        if token is None:  # a page sets it; the visitor has seen one before posting
            self.get(base, path)
            token = self.session.cookies.get("csrftoken")
        return self.session.post(
            f"{base}{path}",
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": f"{base}{path}"},
            timeout=TIMEOUT,
            allow_redirects=False,
        )


def redirected_to(answer: requests.Response) -> str:
    """The path a redirect sends the browser to ("" if it is not a redirect)."""
    if answer.status_code not in (301, 302, 303, 307, 308):
        return ""
    return urlsplit(answer.headers["Location"]).path


def tiles(page: str) -> list[str]:
    """The ids of the photos in a gallery page's grid, in order."""
    return TILE.findall(page)


def hearted(page: str) -> set[str]:
    """The ids of the photos whose heart is on in a gallery page's grid."""
    return set(HEART_ON.findall(page))


class Owner:
    """The photographer, through the API of whichever pool a call names."""

    def __init__(self, photographer: Photographer):
        self.photographer = photographer

    def api(self, base: str, method: str, path: str, **kwargs) -> requests.Response:
        return self.photographer.session.request(
            method, f"{base}/api/v1{path}", timeout=TIMEOUT, **kwargs
        )

    def link(self, base: str, gallery_id: str, **fields) -> dict:
        answer = self.api(
            base,
            "POST",
            f"/galleries/{gallery_id}/links/",
            json={"label": "Two pools", **fields},
        )
        assert answer.status_code == 201, answer.text
        return answer.json()

    def change_link(self, base: str, link_id: str, **fields) -> dict:
        answer = self.api(base, "PATCH", f"/links/{link_id}/", json=fields)
        assert answer.status_code == 200, answer.text
        return answer.json()


def shared_photos(base: str, token: str, headers: dict | None = None) -> list[dict]:
    """The photos the share API lists for a link (every page of them)."""
    answer = requests.get(
        f"{base}/api/v1/share/{token}/photos/", headers=headers or {}, timeout=TIMEOUT
    )
    answer.raise_for_status()
    body = answer.json()
    photos = body["results"] if isinstance(body, dict) else body
    while isinstance(body, dict) and body.get("next"):
        body = requests.get(body["next"], headers=headers or {}, timeout=TIMEOUT).json()
        photos += body["results"]
    return photos
