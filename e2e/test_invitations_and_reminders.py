"""The loop around a gallery, in real browsers: the photographer invites two addresses,
one guest opens their personal address, hearts photos with a note and sends the list,
the other does nothing; the activity table shows exactly that; a simulated week later
only the second gets the expiry reminder; the photographer takes the picks back as XMP
sidecars, which exiftool reads. On the embedded default and, with --base-url, the
production-like stack (emails are files there, `mailbox`; the week is `manage`)."""

from __future__ import annotations

import datetime
import io
import json
import re
import secrets
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import requests
from PIL import Image
from playwright.sync_api import expect

from conftest import phone_page

pytestmark = [pytest.mark.browser, pytest.mark.story]

API = "/api/v1/"
PERSONAL = re.compile(r"https?://[^/\s\"]+/s/([\w-]+)/")
ANNA = f"anna-{secrets.token_hex(3)}@example.test"
BEN = f"ben-{secrets.token_hex(3)}@example.test"


def jpeg(seed: int) -> bytes:
    image = Image.new("RGB", (160, 120), (seed * 40 % 256, 90, 200 - seed * 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def account(base_url, tmp_path_factory):
    """A photographer with a gallery of six photos (sent with the CLI) and a link that
    expires in ten days, made through the API."""
    email = f"flora-{secrets.token_hex(4)}@studio.test"
    password = secrets.token_urlsafe(12)
    registered = requests.post(
        base_url + API + "auth/register/",
        json={"email": email, "password": password, "studio_name": "Flora Studio"},
        timeout=30,
    )
    assert registered.status_code == 201, registered.text
    api = requests.Session()
    api.headers["Authorization"] = (
        "Bearer "
        + (
            requests.post(
                base_url + API + "auth/token/",
                json={"email": email, "password": password},
                timeout=30,
            ).json()["access"]
        )
    )
    gallery = api.post(
        base_url + API + "galleries/", json={"title": "Clara & Tom"}, timeout=30
    ).json()

    folder = tmp_path_factory.mktemp("shoot")
    for number in range(1, 7):
        (folder / f"DSC_{number:04d}.jpg").write_bytes(jpeg(number))
    config = tmp_path_factory.mktemp("config")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(config),
        "XDG_CONFIG_HOME": str(config),
        "PROOFSHEET_PASSWORD": password,
    }

    def cli(*args):
        done = subprocess.run(
            [sys.executable, "-m", "proofsheet_cli", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    cli("login", "--server", base_url, "--email", email)
    cli("upload", str(folder), "--gallery", "Clara & Tom")
    expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=10)
    link = api.post(
        base_url + API + f"galleries/{gallery['id']}/links/",
        json={
            "label": "Wedding guests",
            "expires_at": expires.isoformat(),
            "favourites_enabled": True,
        },
        timeout=30,
    )
    assert link.status_code == 201, link.text
    return {
        "email": email,
        "password": password,
        "link": link.json(),
        "expires": expires,
        "folder": folder,
    }


@pytest.fixture(scope="module")
def photographer(new_context, base_url, account):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/galleries/$"))
    return page


@pytest.fixture(scope="module")
def guest(new_context):
    """Anna's phone."""
    return phone_page(new_context)


def personal_address(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = PERSONAL.search(body)
    assert found, body
    return found.group(0)


def arrived(mailbox, address: str, count: int = 1, seconds: float = 60) -> list:
    """The address's emails once `count` have come (the worker sends them)."""
    deadline = time.monotonic() + seconds
    while len(found := mailbox(address)) < count and time.monotonic() < deadline:
        time.sleep(0.5)
    return found


def row_of(page, email: str):
    return page.locator(".activity-table tbody tr", has_text=email)


def cells(row) -> dict[str, str]:
    """The activity row's figures by column heading."""
    table = row.locator("xpath=ancestor::table")
    headings = [h.strip() for h in table.locator("thead th").all_text_contents()]
    values = row.locator("th, td").all_text_contents()
    return dict(zip(headings, (value.strip() for value in values), strict=False))


# --------------------------------------------------------------------------- steps


def test_the_photographer_invites_two_addresses_with_a_preview_first(
    photographer, account, mailbox, story
):
    page = photographer
    page.goto(f"/links/{account['link']['id']}/")
    page.get_by_role("link", name="Invite by email").first.click()
    page.get_by_label("Email addresses").fill(f"{ANNA}, not-an-address")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.locator(".field__error, .form-errors")).to_contain_text(
        "not-an-address"
    )
    assert mailbox(ANNA) == []

    page.get_by_label("Email addresses").fill(f"{ANNA}\n{BEN}")
    expect(page.get_by_role("textbox", name="Subject")).not_to_be_empty()
    page.get_by_role("button", name="Preview").click()
    preview = page.frame_locator("iframe.mail-preview")
    expect(preview.locator("body")).to_contain_text("Clara & Tom")
    page.get_by_role("button", name="Send invitations").click()

    expect(row_of(page, ANNA)).to_be_visible()
    expect(row_of(page, BEN)).to_be_visible()
    anna, ben = arrived(mailbox, ANNA), arrived(mailbox, BEN)
    assert len(anna) == 1, anna
    assert len(ben) == 1, ben
    invitation = anna[0]
    assert "Flora Studio" in invitation["From"]
    assert account["email"] in (invitation["Reply-To"] or "")
    assert invitation["List-Unsubscribe"]
    assert invitation.get_body(preferencelist=("html",)) is not None
    story["anna_url"] = personal_address(anna[0])
    story["ben_url"] = personal_address(ben[0])
    assert story["anna_url"] != story["ben_url"]


def test_anna_opens_her_address_hearts_two_photos_with_a_note_and_sends_them(
    guest, story
):
    page = guest
    page.goto(story["anna_url"])
    tiles = page.locator(".grid .tile")
    expect(tiles).to_have_count(6)
    # She looks at two photos in the lightbox first (each counts once as seen).
    tiles.nth(1).locator(".tile__link").click()
    lightbox = page.locator("dialog.lb[open]")
    expect(lightbox).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(lightbox.locator("[data-lb-count]")).to_have_text("3 / 6")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    expect(lightbox).to_be_hidden()

    def heart(i):
        tile = tiles.nth(i)
        tile.scroll_into_view_if_needed()
        tile.locator(".heart").click()
        return tile.locator("img").get_attribute("alt").split(": ", 1)[1]

    first = heart(0)
    sheet = page.locator("dialog[data-start-dialog]")
    expect(sheet).to_be_visible()
    sheet.get_by_label("Your name").fill("Anna")
    sheet.get_by_role("button", name="Start choosing").click()
    expect(sheet).to_be_hidden()
    expect(tiles.nth(0).locator(".heart")).to_have_attribute("aria-pressed", "true")
    second = heart(2)
    expect(tiles.nth(2).locator(".heart")).to_have_attribute("aria-pressed", "true")
    story["picks"] = {first, second}

    page.get_by_role("link", name="Review & send").click()
    expect(page.locator(".pick__photo")).to_have_count(2)
    note = page.locator("[data-note-form]").first
    note.locator("textarea").fill("Print this one large, please")
    note.get_by_role("button", name="Save note").click()
    expect(page.locator("body")).to_contain_text("Print this one large, please")
    story["noted"] = page.locator(".pick").first.locator("img").get_attribute("alt")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile(r"^Send 2 favourites")).click()
    expect(page.locator("body")).to_contain_text("went to")


def test_the_activity_table_shows_exactly_who_did_what(photographer, account):
    page = photographer
    page.goto(f"/links/{account['link']['id']}/")
    anna = cells(row_of(page, ANNA))
    ben = cells(row_of(page, BEN))

    assert anna["Opened"] not in ("", "not yet"), anna
    assert anna["Lists started"] == "1", anna
    assert anna["Lists sent"] == "1", anna
    assert anna["Photos viewed"] == "2", anna
    assert anna["Downloads"] == "0", anna
    assert anna["ZIPs"] == "0", anna
    assert ben["Opened"] == "not yet", ben
    assert ben["Lists started"] == "0", ben
    assert ben["Lists sent"] == "0", ben
    assert ben["Photos viewed"] == "0", ben
    assert ben["Last visit"] == "\u2014", ben


def test_a_week_later_only_ben_is_reminded_and_only_once(
    account, manage, mailbox, photographer
):
    now = datetime.datetime.now(datetime.UTC)
    today = manage("send_reminders", "--as-of", now.isoformat())
    assert "0 reminders queued" in today, today  # ten days left: none due yet

    week_later = (now + datetime.timedelta(days=7)).isoformat()
    queued = manage("send_reminders", "--as-of", week_later)
    assert "1 reminder queued" in queued, queued
    reminders = arrived(mailbox, BEN, count=2)
    assert len(reminders) == 2
    reminder = reminders[-1]
    assert "Clara & Tom" in reminder["Subject"]
    assert personal_address(reminder) == personal_address(reminders[0])
    assert reminder["List-Unsubscribe"]
    assert len(mailbox(ANNA)) == 1  # her invitation only: she sent a list

    again = manage("send_reminders", "--as-of", week_later)
    assert "0 reminders queued" in again, again
    time.sleep(2)
    assert len(mailbox(BEN)) == 2

    page = photographer
    page.goto(f"/links/{account['link']['id']}/")
    assert cells(row_of(page, BEN))["Reminded"] != "\u2014"
    assert cells(row_of(page, ANNA))["Reminded"] == "\u2014"


def test_the_picks_come_back_as_sidecars_that_exiftool_reads(
    photographer, account, story, tmp_path
):
    page = photographer
    page.goto(f"/links/{account['link']['id']}/")
    page.get_by_role("link", name="Anna", exact=True).first.click()
    page.locator("#xmp-as").select_option("rating-5")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download sidecars").click()
    with zipfile.ZipFile(info.value.path()) as archive:
        names = sorted(archive.namelist())
        archive.extractall(tmp_path)
    stems = sorted(Path(name).stem for name in story["picks"])
    assert names == [f"{stem}.xmp" for stem in stems]

    exiftool = shutil.which("exiftool")
    assert exiftool, "exiftool is missing: apt-get install libimage-exiftool-perl"
    read = subprocess.run(
        [
            exiftool,
            "-j",
            "-XMP:Rating",
            "-XMP:Description",
            *sorted(tmp_path.glob("*.xmp")),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    fields = {Path(item["SourceFile"]).stem: item for item in json.loads(read.stdout)}
    assert {int(item["Rating"]) for item in fields.values()} == {5}, fields
    noted = Path(story["noted"].split(": ", 1)[-1]).stem
    assert fields[noted]["Description"] == "Print this one large, please", fields
