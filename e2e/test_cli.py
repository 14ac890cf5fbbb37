"""The proofsheet CLI (cli/) against a live Proofsheet, through the documented API only:
signing in, uploading a folder of 100 files (a few of them not photos) twice without
sending anything twice, and writing a client's picks beside the photographer's files.
On the embedded default (direct uploads) and, with --base-url, the production-like
stack (S3 presigned uploads)."""

from __future__ import annotations

import io
import json
import os
import random
import secrets
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from PIL import Image

API = "/api/v1/"


def jpeg(seed: int) -> bytes:
    """A small photo of its own (noise: no two share their bytes)."""
    noise = random.Random(seed).randbytes(96 * 64 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (96, 64), noise).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def account(base_url):
    email = f"cli-{secrets.token_hex(4)}@example.test"
    password = secrets.token_urlsafe(12)
    response = requests.post(
        base_url + API + "auth/register/",
        json={"email": email, "password": password, "studio_name": "CLI Studio"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    token = requests.post(
        base_url + API + "auth/token/",
        json={"email": email, "password": password},
        timeout=30,
    ).json()["access"]
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    return {"email": email, "password": password, "api": api, "url": base_url}


@pytest.fixture(scope="module")
def cli(account, tmp_path_factory):
    config = tmp_path_factory.mktemp("config")

    def run(*args, password=None):
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(config),
            "PROOFSHEET_PASSWORD": password or account["password"],
            "COLUMNS": "200",
        }
        return subprocess.run(
            [sys.executable, "-m", "proofsheet_cli", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )

    run.config = config
    return run


def call(account, method, path, **kwargs):
    response = account["api"].request(
        method, account["url"] + API + path, timeout=60, **kwargs
    )
    assert response.ok, response.text
    return response.json() if response.content else None


def every(account, path):
    """Every item of a paginated list."""
    items, url = [], account["url"] + API + path
    while url:
        response = account["api"].get(url, timeout=60)
        assert response.ok, response.text
        body = response.json()
        items += body["results"]
        url = body["next"]
    return items


@pytest.fixture(scope="module")
def gallery(account):
    return call(account, "POST", "galleries/", json={"title": "Anna & Ben"})


@pytest.fixture(scope="module")
def shoot(tmp_path_factory):
    """100 files: 97 photos in two folders, a text file named .jpg, a JPEG cut short;
    and a RAW and a note, which are not photos and are not sent."""
    folder = tmp_path_factory.mktemp("shoot")
    for number in range(97):
        sub = folder / ("day-1" if number < 50 else "day-2")
        sub.mkdir(exist_ok=True)
        (sub / f"IMG_{number:04d}.jpg").write_bytes(jpeg(number))
    (folder / "not-a-photo.jpg").write_text("I am a text file")
    (folder / "cut-short.jpg").write_bytes(jpeg(500)[:300])
    (folder / "day-1" / "IMG_0001.CR3").write_bytes(b"raw bytes")
    (folder / "notes.txt").write_text("shot list")
    return folder


def test_commands_before_login_say_so(cli, shoot):
    done = cli("upload", str(shoot), "--gallery", "Anna & Ben")

    assert done.returncode == 2
    assert "proofsheet login" in done.stderr


def test_a_wrong_password_is_refused_in_words(cli, account):
    done = cli(
        "login",
        "--server",
        account["url"],
        "--email",
        account["email"],
        password="wrong",
    )

    assert done.returncode == 2
    assert "Sign-in refused" in done.stderr
    assert not list(cli.config.rglob("credentials.json"))


def test_a_server_that_is_down_is_named(cli, account):
    done = cli("login", "--server", "http://127.0.0.1:9", "--email", account["email"])

    assert done.returncode == 2
    assert "Cannot reach http://127.0.0.1:9/" in done.stderr


@pytest.fixture
def another_server(tmp_path):
    """A web server on loopback that is not Proofsheet (a folder's index page)."""
    (tmp_path / "index.html").write_text("<h1>My blog</h1>")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url, timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(10)


def test_a_server_that_is_not_proofsheet_is_told_apart(cli, account, another_server):
    done = cli("login", "--server", another_server, "--email", account["email"])

    assert done.returncode == 2
    assert "not as a Proofsheet server" in done.stderr
    assert "Traceback" not in done.stderr
    assert not list(cli.config.rglob("credentials.json"))


def test_a_sign_in_ended_on_the_server_asks_to_log_in_again(cli, account, shoot):
    assert (
        cli("login", "--server", account["url"], "--email", account["email"]).returncode
        == 0
    )
    [stored] = cli.config.rglob("credentials.json")
    refresh = json.loads(stored.read_text())["refresh"]
    ended = requests.post(
        account["url"] + API + "auth/logout/", json={"refresh": refresh}, timeout=30
    )
    assert ended.status_code == 204

    done = cli("upload", str(shoot), "--gallery", "Anna & Ben")

    assert done.returncode == 2
    assert "sign-in has expired or was revoked" in done.stderr
    assert "proofsheet login" in done.stderr


def test_login_keeps_a_token_only_the_user_can_read(cli, account):
    done = cli("login", "--server", account["url"], "--email", account["email"])

    assert done.returncode == 0, done.stderr
    [stored] = cli.config.rglob("credentials.json")
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert set(json.loads(stored.read_text())) == {"server", "refresh"}


def test_an_unknown_gallery_is_named_with_what_there_is(cli, gallery, shoot):
    done = cli("upload", str(shoot), "--gallery", "Anna")

    assert done.returncode == 2
    assert (
        'You have no gallery called "Anna". Did you mean "Anna & Ben"?' in done.stderr
    )


def test_a_folder_uploads_once_with_a_line_for_every_refused_file(
    cli, account, gallery, shoot
):
    first = cli("upload", str(shoot), "--gallery", "Anna & Ben", "--set", "Party")

    assert first.returncode == 1, first.stderr
    assert "97 uploaded, 0 already there, 2 rejected, 0 failed" in first.stdout, (
        first.stderr
    )
    assert "not-a-photo.jpg:" in first.stderr
    assert "cut-short.jpg:" in first.stderr
    assert "Skipping 2 files that are not photos: .cr3, .txt" in first.stderr
    assert 'Made the set "Party"' in first.stderr
    photos = every(account, f"galleries/{gallery['id']}/photos/")
    ready = [p for p in photos if p["status"] == "ready"]
    assert len(ready) == 97

    again = cli("upload", str(shoot), "--gallery", "Anna & Ben", "--set", "Party")

    assert "0 uploaded, 97 already there, 2 rejected, 0 failed" in again.stdout, (
        again.stderr
    )


def test_a_clients_picks_are_written_beside_the_photographers_files(
    cli, account, gallery, tmp_path
):
    link = call(
        account, "POST", f"galleries/{gallery['id']}/links/", json={"label": "Client"}
    )
    share = f"share/{link['token']}/"
    photos = call(account, "GET", share + "photos/", params={"page_size": 500})[
        "results"
    ]
    by_name = {p["filename"]: p["id"] for p in photos}
    visitor = requests.Session()
    started = visitor.post(
        account["url"] + API + share + "favourite-lists/",
        json={"name": "Anna"},
        timeout=30,
    )
    assert started.status_code == 201, started.text
    items = f"{share}favourite-lists/{started.json()['token']}/items/"
    for name, note in [
        ("IMG_0001.jpg", "Print this one big"),
        ("IMG_0002.jpg", ""),
        ("IMG_0060.jpg", ""),
    ]:
        hearted = visitor.put(
            account["url"] + API + items + f"{by_name[name]}/",
            json={"note": note},
            timeout=30,
        )
        assert hearted.ok, hearted.text
    [listed] = every(account, f"galleries/{gallery['id']}/favourite-lists/")
    catalog = tmp_path / "catalog"
    (catalog / "raw").mkdir(parents=True)
    (catalog / "jpeg").mkdir()
    (catalog / "raw" / "IMG_0001.CR3").write_bytes(b"raw")
    (catalog / "jpeg" / "IMG_0001.jpg").write_bytes(b"jpeg")
    (catalog / "raw" / "IMG_0002.CR3").write_bytes(b"raw")
    (catalog / "raw" / "IMG_0002.xmp").write_text("my own edits")

    done = cli("picks", listed["id"], "--xmp", str(catalog), "--mapping", "rating-3")

    assert done.returncode == 1
    assert "2 sidecars written, 1 kept, 1 picks unmatched" in done.stdout, done.stderr
    assert "No file called IMG_0060" in done.stderr
    assert "raw/IMG_0002.xmp: it exists" in done.stderr
    assert (catalog / "raw" / "IMG_0002.xmp").read_text() == "my own edits"
    for folder in ("raw", "jpeg"):
        sidecar = (catalog / folder / "IMG_0001.xmp").read_text()
        assert 'xmp:Rating="3"' in sidecar
        assert "Print this one big" in sidecar

    forced = cli("picks", listed["id"], "--xmp", str(catalog), "--overwrite")

    assert "3 sidecars written, 0 kept, 1 picks unmatched" in forced.stdout, (
        forced.stderr
    )
    assert 'xmp:Rating="5"' in Path(catalog / "raw" / "IMG_0002.xmp").read_text()


def test_another_photographers_list_is_not_found(cli):
    done = cli("picks", "00000000-0000-4000-8000-000000000000", "--xmp", ".")

    assert done.returncode == 2
    assert "You have no favourites list" in done.stderr
