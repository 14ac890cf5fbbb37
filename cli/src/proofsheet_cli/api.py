"""Proofsheet's API as the CLI uses it: sign-in, tokens kept on disk, and errors in
the photographer's words."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

import platformdirs
import requests

API = "/api/v1/"
TIMEOUT = 60


class CLIError(Exception):
    """Something to tell the photographer, then stop (exit status 2)."""


def credentials_path() -> Path:
    return Path(platformdirs.user_config_dir("proofsheet")) / "credentials.json"


def save_credentials(server: str, refresh: str) -> Path:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created readable by the user alone, before anything is written into it.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump({"server": server, "refresh": refresh}, file)
    return path


def load_credentials() -> dict:
    try:
        return json.loads(credentials_path().read_text())
    except FileNotFoundError:
        raise CLIError("Not signed in: run `proofsheet login` first.") from None
    except (OSError, ValueError) as error:
        raise CLIError(f"Cannot read {credentials_path()}: {error}") from None


def error_message(response: requests.Response) -> str:
    """The server's own words for a refusal (its error shape), else the status."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        return " ".join(
            (f"{e['attr']}: " if e.get("attr") else "") + str(e.get("detail", ""))
            for e in errors
        )
    if isinstance(body, dict) and body.get("detail"):
        return str(body["detail"])
    return f"HTTP {response.status_code}"


def _unreachable(server: str, error: Exception) -> CLIError:
    return CLIError(
        f"Cannot reach {server}: {error.__class__.__name__}. Is it running?"
    )


def _not_proofsheet(server: str) -> CLIError:
    return CLIError(
        f"{server} answers, but not as a Proofsheet server (no API at {API}): "
        "check the address you gave to --server."
    )


def _json(server: str, response: requests.Response) -> dict:
    """The body of a Proofsheet API answer; anything else means the wrong server."""
    try:
        body = response.json()
    except ValueError:
        raise _not_proofsheet(server) from None
    if not isinstance(body, dict):
        raise _not_proofsheet(server)
    return body


def sign_in(server: str, email: str, password: str) -> str:
    """A refresh token for these credentials."""
    try:
        response = requests.post(
            urljoin(server, API + "auth/token/"),
            json={"email": email, "password": password},
            timeout=TIMEOUT,
        )
    except requests.RequestException as error:
        raise _unreachable(server, error) from None
    body = _json(server, response)  # a page of another server is not a refusal
    if response.status_code in (400, 401):
        raise CLIError(f"Sign-in refused: {error_message(response)}")
    if not response.ok:
        raise CLIError(f"Sign-in failed: {error_message(response)}")
    if "refresh" not in body:
        raise _not_proofsheet(server)
    return body["refresh"]


class Client:
    """An authenticated session; the access token is refreshed when it runs out, and
    the rotated refresh token saved (threads share one refresh at a time)."""

    def __init__(self, server: str, refresh: str):
        self.server = server.rstrip("/") + "/"
        self.refresh_token = refresh
        self.session = requests.Session()
        self._lock = threading.Lock()
        self._access = ""
        self._refresh()

    @classmethod
    def from_credentials(cls) -> Client:
        stored = load_credentials()
        return cls(stored["server"], stored["refresh"])

    def url(self, path: str) -> str:
        return urljoin(self.server, path if path.startswith("/") else API + path)

    def _refresh(self, stale: str | None = None) -> None:
        with self._lock:
            if stale is not None and self._access != stale:
                return  # another thread has refreshed meanwhile
            try:
                response = requests.post(
                    self.url("auth/token/refresh/"),
                    json={"refresh": self.refresh_token},
                    timeout=TIMEOUT,
                )
            except requests.RequestException as error:
                raise _unreachable(self.server, error) from None
            body = _json(self.server, response)
            if response.status_code in (400, 401):
                raise CLIError(
                    "Your sign-in has expired or was revoked: run `proofsheet login`."
                )
            if not response.ok:
                raise CLIError(f"Cannot refresh the sign-in: {error_message(response)}")
            self._access = body["access"]
            if body.get("refresh"):
                self.refresh_token = body["refresh"]
                save_credentials(self.server, self.refresh_token)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """An API call with the access token; one retry after refreshing it."""
        kwargs.setdefault("timeout", TIMEOUT)
        for attempt in (1, 2):
            access = self._access
            headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {access}"}
            response = self._send(method, path, headers, kwargs)
            if response.status_code != 401 or attempt == 2:
                return response
            self._refresh(stale=access)
            kwargs["headers"] = {
                k: v for k, v in headers.items() if k != "Authorization"
            }
        raise AssertionError("unreachable")

    def _send(self, method, path, headers, kwargs) -> requests.Response:
        """One call, tried again twice over a dropped connection (a starting upload
        sent again replaces its unfinished first try on the server)."""
        for retry in range(3):
            try:
                return self.session.request(
                    method, self.url(path), headers=headers, **kwargs
                )
            except requests.ConnectionError as error:
                if retry == 2:
                    raise _unreachable(self.server, error) from None
                time.sleep(1 + retry)
            except requests.RequestException as error:
                raise _unreachable(self.server, error) from None
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, **kwargs):
        response = self.request(method, path, **kwargs)
        if not response.ok:
            raise CLIError(f"{method} {path}: {error_message(response)}")
        return response.json() if response.content else None

    def all_pages(self, path: str, **params) -> list:
        """Every item of a paginated list (or the list itself if not paginated)."""
        items, url = [], path
        while url:
            body = self.json("GET", url, params=params)
            params = {}
            if isinstance(body, list):
                return body
            items += body["results"]
            url = body.get("next")
            if url:
                url = "/" + url.split("/", 3)[3] if url.startswith("http") else url
        return items
