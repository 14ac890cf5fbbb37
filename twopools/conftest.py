"""The running stack with two web pools (`bin/prodstack start --pools 2`), a
photographer of this run and a small gallery of ready photos uploaded through pool A.

`pools` are the two gunicorn pools addressed directly, bypassing nginx, so a test
knows which one answers; `proxy` is nginx in front of both, as visitors reach them.
"""

import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from faults import photos
from faults.client import Photographer
from faults.stack import Stack
from twopools.client import Owner


@dataclass(frozen=True)
class Pools:
    a: str  # the first pool, PORT+2 (its gunicorn writes gunicorn.pid, logs/web.log)
    b: str  # the second pool, PORT+4 (web2.pid, logs/web2.log)
    proxy: str  # nginx on PORT, in front of both

    @property
    def both(self) -> tuple[tuple[str, str], tuple[str, str]]:
        return (("pool A", self.a), ("pool B", self.b))


@pytest.fixture(scope="session")
def stack() -> Stack:
    found = Stack.load()
    if found.env.get("PRODSTACK_WEB_POOLS") != "2":
        pytest.exit(
            "the stack runs one web pool: start it with `bin/prodstack start --pools 2` "
            "(bin/twopools does)",
            returncode=2,
        )
    return found


@pytest.fixture(scope="session")
def pools(stack: Stack) -> Pools:
    port = int(stack.env["PORT"])
    found = Pools(
        a=f"http://127.0.0.1:{port + 2}",
        b=f"http://127.0.0.1:{port + 4}",
        proxy=f"http://127.0.0.1:{port}",
    )
    for base in (found.a, found.b, found.proxy):
        answer = requests.get(f"{base}/healthz", timeout=10)
        assert answer.status_code == 200, f"{base}/healthz: {answer.status_code}"
    return found


@pytest.fixture(scope="session")
def run() -> str:
    return time.strftime("%m%d%H%M%S") + secrets.token_hex(2)


@pytest.fixture(scope="session")
def folder():
    with tempfile.TemporaryDirectory(prefix="twopools-") as name:
        yield Path(name)


@pytest.fixture(scope="session")
def account(stack: Stack, run: str) -> tuple[str, str]:
    email, password = f"twopools-{run}@example.com", secrets.token_urlsafe(12)
    stack.manage(
        "shell",
        stdin=(
            "from accounts.models import User\n"
            f"User.objects.create_user({email!r}, {password!r})\n"
        ),
    )
    return email, password


@pytest.fixture(scope="session")
def owner(pools: Pools, account: tuple[str, str]) -> Owner:
    return Owner(Photographer(pools.a, *account))


@dataclass
class Gallery:
    id: str
    photo_ids: list[str]


@pytest.fixture(scope="session")
def samples(folder: Path, run: str):
    """Distinct small JPEGs: three for the gallery, the rest for uploads in tests."""
    return photos.make(folder, "twopools", 6, run, long_edge=800)


@pytest.fixture(scope="session")
def gallery(owner: Owner, samples) -> Gallery:
    """Three ready photos, uploaded through pool A's API and S3."""
    who = owner.photographer
    gallery_id = who.create_gallery("Two pools")
    outcomes = who.upload_all(gallery_id, samples[:3])
    for outcome in outcomes:
        if outcome.state == "sent":
            who.wait(outcome, timeout=180)
    assert [o.state for o in outcomes] == ["done"] * 3, [o.message for o in outcomes]
    return Gallery(gallery_id, [o.photo_id for o in outcomes])
