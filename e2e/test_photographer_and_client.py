"""A photographer and a client, in real browsers, from sign-up to a disabled link.

One story in order (issue 5's five scenarios): each test is a step, sharing what the
earlier steps made through `story`. When a step fails the later ones are skipped, and
the failing step's pages are saved under var/e2e/.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.story]

PHOTOS = Path(__file__).resolve().parents[1] / "samples" / "photos"
ORIENTATION = sorted((PHOTOS / "orientation").glob("*.jpg"))
#: Twenty real photos: the sixteen EXIF orientations, an iPhone HEIC, a camera photo
#: shot in portrait (Orientation 6) and two ordinary ones.
UPLOADS = [
    *ORIENTATION,
    PHOTOS / "heic" / "iphone_13_pro_max.HEIC",
    PHOTOS / "camera" / "canon_hdr_NO.jpg",
    PHOTOS / "camera" / "jolla.jpg",
    PHOTOS / "camera" / "nikon-e950.jpg",
]
#: Which way up each photo must look once its EXIF orientation is applied.
PORTRAIT = {p.name for p in ORIENTATION if p.name.startswith("portrait")} | {
    "iphone_13_pro_max.HEIC",
    "canon_hdr_NO.jpg",
}
LINK_PASSWORD = "forest-" + secrets.token_hex(4)
PROCESSING_TIMEOUT_MS = 240_000


@pytest.fixture(scope="module")
def photographer(new_context):
    """The photographer's laptop: a desktop window that may use the clipboard."""
    context = new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return context.new_page()


@pytest.fixture(scope="module")
def client(new_context):
    """The client's phone: small, touch, in a browser of its own (no shared cookies)."""
    context = new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        user_agent=(
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
        ),
    )
    return context.new_page()


def swipe(page, selector: str, dx: int) -> None:
    """A one-finger horizontal swipe on an element, as touch events."""
    page.eval_on_selector(
        selector,
        """(el, dx) => {
            const box = el.getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            const touch = (cx) => new Touch({identifier: 1, target: el, clientX: cx, clientY: y});
            const start = touch(x), end = touch(x + dx);
            el.dispatchEvent(new TouchEvent("touchstart", {touches: [start], targetTouches: [start], changedTouches: [start], bubbles: true}));
            el.dispatchEvent(new TouchEvent("touchmove", {touches: [end], targetTouches: [end], changedTouches: [end], bubbles: true}));
            el.dispatchEvent(new TouchEvent("touchend", {touches: [], targetTouches: [], changedTouches: [end], bubbles: true}));
        }""",
        dx,
    )


def number(page, label: str) -> int:
    """A figure from a <dl> of stats, by its <dt>."""
    text = page.locator(f"dl div:has(> dt:text-is('{label}')) > dd").first.inner_text()
    return int(text.replace(",", "").strip())


# ----------------------------------------------------------------------- scenario 1


def test_a_photographer_signs_up_and_creates_a_gallery_with_two_sets(
    photographer, story
):
    page = photographer
    story["email"] = f"olivia-{secrets.token_hex(4)}@studio.test"
    page.goto("/accounts/signup/")
    page.get_by_label("Your name").fill("Olivia Bright")
    page.get_by_label("Studio name").fill("Olivia Studio")
    page.get_by_label("Email").fill(story["email"])
    page.get_by_label("Password").fill("a-long-" + secrets.token_hex(8))
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/galleries/$"))

    page.goto("/galleries/new/")
    page.get_by_label("Title").fill("Anna & Ben")
    page.get_by_role("button", name="Create gallery").click()
    expect(page.locator("h1")).to_have_text("Anna & Ben")
    story["gallery_url"] = page.url.split("?")[0]

    page.locator("#new-set").fill("Reception")
    page.get_by_role("button", name="Add set").click()
    expect(page.locator(".set-tabs .set-tab")).to_have_count(3)  # All + two sets
    expect(page.locator(".set-tabs")).to_contain_text("Reception")


def test_they_upload_twenty_real_photos_and_watch_the_progress(photographer, story):
    page = photographer
    assert len(UPLOADS) == 20
    assert all(p.exists() for p in UPLOADS), UPLOADS
    page.goto(story["gallery_url"])
    page.locator("input[data-file-input][accept]").set_input_files(
        [str(p) for p in UPLOADS]
    )
    summary = page.locator("[data-summary]")
    expect(page.locator("[data-progress]")).to_be_visible()
    expect(page.locator(".upload-row")).to_have_count(20)
    expect(summary).to_contain_text("of 20 files")
    expect(summary).to_have_text(
        re.compile(r"^20 of 20 files · 20 added$"), timeout=PROCESSING_TIMEOUT_MS
    )
    expect(page.locator(".upload-row[data-state=done]")).to_have_count(20)
    expect(page.locator("[data-grid] .owner-tile")).to_have_count(20)
    expect(page.locator("[data-photo-count]")).to_have_text("20")


def test_they_see_every_thumbnail_upright(photographer, story):
    page = photographer
    page.goto(story["gallery_url"])
    tiles = page.locator("[data-grid] .owner-tile")
    expect(tiles).to_have_count(20)
    expect(page.locator("[data-grid] .owner-tile[data-status=ready]")).to_have_count(20)
    # Lazy images load once they are near the screen: scroll through the grid.
    for i in range(20):
        tiles.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-grid] .owner-tile img')]
                 .every(img => img.complete && img.naturalWidth > 0)""",
        timeout=30_000,
    )
    shapes = page.eval_on_selector_all(
        "[data-grid] .owner-tile",
        """tiles => tiles.map(t => ({
            name: t.querySelector('.owner-tile__name').textContent.trim(),
            width: t.querySelector('img').naturalWidth,
            height: t.querySelector('img').naturalHeight}))""",
    )
    assert sorted(s["name"] for s in shapes) == sorted(p.name for p in UPLOADS)
    wrong = [s for s in shapes if (s["height"] > s["width"]) != (s["name"] in PORTRAIT)]
    assert not wrong, f"thumbnails the wrong way up: {wrong}"


# ----------------------------------------------------------------------- scenario 2


def test_they_create_a_password_link_with_five_favourites_and_web_downloads(
    photographer, story
):
    page = photographer
    page.goto(story["gallery_url"])
    page.get_by_role("link", name="Share", exact=True).click()
    page.locator(
        "a", has_text=re.compile("New share link|Make the first link")
    ).first.click()
    page.locator("#id_label").fill("Anna & Ben")
    page.locator("#id_password").fill(LINK_PASSWORD)
    page.locator("input[name=downloads][value=web]").check()
    page.locator("#id_favourites_enabled").check()
    page.locator("#id_favourites_limit").fill("5")
    page.get_by_role("button", name="Create link").click()
    expect(page).to_have_url(re.compile(r"/links/[0-9a-f-]{36}/$"))
    story["link_page"] = page.url
    settings = page.locator(".link-settings")
    expect(settings).to_contain_text("Web size")
    expect(settings).to_contain_text("up to 5")

    url = page.locator("[data-copy-source]").first.input_value()
    copy = page.locator("[data-copy-button]").first
    expect(copy).to_be_visible()  # share-links.js shows it
    copy.click()
    expect(page.locator("[data-copy-status]").first).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert re.search(r"/s/[^/]+/$", url), url
    story["share_url"] = url


# ----------------------------------------------------------------------- scenario 3


def test_a_client_on_a_phone_needs_the_right_password(client, story):
    page = client
    page.goto(story["share_url"])
    expect(page.locator("#password")).to_be_visible()
    expect(page.locator(".grid")).to_have_count(0)

    page.locator("#password").fill("not-the-password")
    page.get_by_role("button", name="View the gallery").click()
    expect(page.locator("#password-error")).to_be_visible()
    expect(page.locator(".grid")).to_have_count(0)

    page.locator("#password").fill(LINK_PASSWORD)
    page.get_by_role("button", name="View the gallery").click()
    expect(page.locator(".hero__title")).to_have_text("Anna & Ben")
    expect(page.locator(".grid .tile")).to_have_count(20)
    # The grid's pictures wait for the cover, then the first screen's arrive unasked.
    page.wait_for_function(
        """() => document.querySelector('.hero__img').complete
                 && !document.documentElement.classList.contains('grid-waits')
                 && [...document.querySelectorAll('.grid .tile img')]
                      .filter(img => img.getBoundingClientRect().top < innerHeight)
                      .every(img => img.complete && img.naturalWidth > 0)"""
    )


def test_the_client_scrolls_and_moves_through_the_lightbox_by_keyboard_and_swipe(
    client, story
):
    page = client
    page.mouse.wheel(0, 3000)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("window.scrollY > 0")
    page.evaluate("window.scrollTo(0, 0)")

    links = page.locator(".grid .tile__link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(3)]
    links.first.click()
    lightbox = page.locator("dialog.lb[open]")
    expect(lightbox).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(hrefs[0]) + "$"))
    count = lightbox.locator("[data-lb-count]")
    expect(count).to_have_text("1 / 20")
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-lb-img]'); return i.complete && i.naturalWidth > 0 }"
    )

    page.keyboard.press("ArrowRight")
    expect(count).to_have_text("2 / 20")
    expect(page).to_have_url(re.compile(re.escape(hrefs[1]) + "$"))

    swipe(page, "[data-lb-stage]", -200)  # finger to the left: the next photo
    expect(count).to_have_text("3 / 20")
    expect(page).to_have_url(re.compile(re.escape(hrefs[2]) + "$"))
    swipe(page, "[data-lb-stage]", 200)  # and back
    expect(count).to_have_text("2 / 20")

    page.keyboard.press("Escape")
    expect(lightbox).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/s/[^/]+/$"))


def test_the_client_hearts_five_photos_and_is_stopped_at_the_sixth(client, story):
    page = client
    tiles = page.locator(".grid .tile")
    hearted = []

    def heart(i):
        tile = tiles.nth(i)
        tile.scroll_into_view_if_needed()
        tile.locator(".heart").click()
        return tile.locator("img").get_attribute("alt").split(": ", 1)[1]

    hearted.append(heart(0))
    sheet = page.locator("dialog[data-start-dialog]")
    expect(sheet).to_be_visible()
    sheet.get_by_label("Your name").fill("Anna")
    sheet.get_by_role("button", name="Start choosing").click()
    expect(sheet).to_be_hidden()
    chosen = page.locator("[data-fav-count]")
    expect(chosen).to_have_text("1 of 5 chosen")
    expect(tiles.nth(0).locator(".heart")).to_have_attribute("aria-pressed", "true")

    for i in range(1, 5):
        hearted.append(heart(i))
        expect(chosen).to_have_text(f"{i + 1} of 5 chosen")
    story["hearted"] = hearted

    heart(5)
    expect(page.locator("[data-toast]")).to_contain_text("You can choose up to 5")
    expect(tiles.nth(5).locator(".heart")).to_have_attribute("aria-pressed", "false")
    expect(chosen).to_have_text("5 of 5 chosen")
    expect(page.locator("[data-favbar]")).to_contain_text("That\u2019s the limit")


def test_the_client_sends_the_list(client, story):
    page = client
    page.get_by_role("link", name="Review & send").click()
    expect(page.locator(".pick__photo")).to_have_count(5)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile(r"^Send 5 favourites")).click()
    expect(page.locator("body")).to_contain_text("went to")
    expect(page.get_by_role("button", name=re.compile(r"^Send "))).to_have_count(0)


# ----------------------------------------------------------------------- scenario 4


def test_the_photographer_sees_the_list_and_exports_it(photographer, story):
    page = photographer
    page.goto(story["gallery_url"])
    row = page.locator(".list-table tbody tr", has_text="Anna")
    expect(row).to_contain_text("Sent")
    expect(row.locator("td.num")).to_have_text("5")
    row.get_by_role("link", name="Anna", exact=True).click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["filename"] for r in rows) == sorted(story["hearted"])


def test_the_client_downloads_the_zip_and_one_photo(client, story):
    page = client
    page.goto(story["share_url"])
    with page.expect_download() as info:
        page.locator("a", has_text="Download all").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        assert archive.testzip() is None
    assert len(names) == 20, names

    page.locator(".grid .tile__link").first.click()
    lightbox = page.locator("dialog.lb[open]")
    with page.expect_download() as info:
        lightbox.locator("[data-lb-download=web]").click()
    photo = info.value
    assert photo.suggested_filename.lower().endswith((".jpg", ".jpeg"))
    data = Path(photo.path()).read_bytes()
    assert data[:3] == b"\xff\xd8\xff"
    assert len(data) > 1000


def test_the_counts_show_on_the_links_page(photographer, story):
    page = photographer
    page.goto(story["link_page"])
    assert number(page, "Views") >= 1
    assert number(page, "Photo downloads") + number(page, "ZIP downloads") >= 2
    assert number(page, "ZIP downloads") >= 1
    assert number(page, "Lists sent") == 1


# ----------------------------------------------------------------------- scenario 5


def test_the_photographer_disables_the_link_and_the_client_sees_nothing(
    photographer, client, story
):
    page = photographer
    page.goto(story["link_page"])
    page.get_by_role("button", name="Disable").click()
    expect(page.locator(".callout")).to_contain_text("disabled")

    response = client.reload()
    assert response.status == 404
    body = client.locator("body")
    expect(body).not_to_contain_text("Anna & Ben")
    expect(client.locator(".grid, .tile, .hero")).to_have_count(0)
