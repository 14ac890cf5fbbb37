"""One permission matrix for every app's owner URLs, pages and API alike.

A matrix is a list of rows, each a call a photographer makes on something of theirs.
Each app's privacy tests send every row as a stranger (who must get 404, as for
something that does not exist), as an anonymous visitor (sent to log in, or 401 from
the API) and, as the control that keeps the matrix honest, as the owner, who must get
a real answer: a matrix of broken URLs would pass the first two by refusing everyone.

A row names the things it acts on by key (``"gallery"``, ``"photo"``); the test's
``things`` fixture maps those keys to ids. A string in a row's data that is such a key
becomes the id too, inside lists and dicts as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

#: What an owner must never be answered: refused, not found, or the wrong method.
REFUSALS = {401, 403, 404, 405}


@dataclass(frozen=True)
class Row:
    method: str
    name: str
    args: tuple[str, ...] = ()
    data: Any = None

    def __str__(self) -> str:
        return f"{self.method} {self.name}"


def rows(*calls: tuple) -> list[Row]:
    """Rows from ``(method, url name, [thing keys], data)`` tuples."""
    return [Row(method, name, tuple(args), data) for method, name, args, data in calls]


def every(matrix: list[Row]):
    """Run the test once for each row of the matrix, named by its method and URL."""
    return pytest.mark.parametrize("row", matrix, ids=str)


def resolve(value: Any, things: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [resolve(item, things) for item in value]
    if isinstance(value, dict):
        return {key: resolve(item, things) for key, item in value.items()}
    if isinstance(value, str) and value in things:
        return str(things[value])
    return value


def url(row: Row, things: dict[str, Any]) -> str:
    return reverse(row.name, args=[things[key] for key in row.args])


def page_request(client, row: Row, things: dict[str, Any]):
    """The row as a browser sends it: a form for a POST, a query for a GET."""
    return getattr(client, row.method)(
        url(row, things), resolve(row.data, things) or {}
    )


def api_request(api, row: Row, things: dict[str, Any]):
    """The row as an API client sends it: JSON, or raw bytes for an upload's PUT."""
    if isinstance(row.data, bytes):
        return api.put(
            url(row, things), row.data, content_type="application/octet-stream"
        )
    return getattr(api, row.method)(
        url(row, things), resolve(row.data, things), format="json"
    )


def assert_answered_for_owner(response, row: Row) -> None:
    """The owner gets a real answer: not refused, not sent to log in, no error."""
    status = response.status_code
    assert status not in REFUSALS, (str(row), status, response.content[:300])
    assert status < 500, (str(row), status)
    if status == 302:
        assert not response["Location"].startswith(reverse("accounts:login")), row


@contextmanager
def unchanged(snapshot: Callable[[], Any]) -> Iterator[None]:
    """Whatever the block sends, ``snapshot()`` reads the same after it as before."""
    before = snapshot()
    yield
    assert snapshot() == before, "a refused call changed something"
