"""The studio's own gallery, in German, watermarked (issue 13's scenario): a photographer
sets a logo, an accent, a typeface, a full-screen cover with its focal point and a
watermark on the real pages, and shares a watermarked link in German; a client on a
phone sees the studio's brand and German text, the watermark in the lightbox and in a
web-size download, runs the slideshow, zooms, sorts and keeps only their favourites.

One story in order, as in test_photographer_and_client.py: each test is a step and a
failed step skips the ones after it. The account, the photos and the gallery's
language are set through the API (uploads as the CLI sends them, so S3 presigned
uploads on the production-like stack too); the browser time goes to the settings pages
and to the client. Screenshots of the cover on a phone and on a desktop are kept in
var/e2e/artefacts/ (CI artefacts).
"""

from __future__ import annotations

import io
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from PIL import Image, ImageChops, ImageDraw, ImageStat
from playwright.sync_api import expect

from conftest import phone_page, upload_photo

pytestmark = [pytest.mark.browser, pytest.mark.story]

API = "/api/v1/"
ARTEFACTS = Path(__file__).resolve().parents[1] / "var" / "e2e" / "artefacts"
STUDIO = "Lumen Studio"
ACCENT = "#b03a2e"
ACCENT_RGB = "rgb(176, 58, 46)"
#: Uploaded in this order, so the photographer's order is not the file names' order.
FILENAMES = ["delta.jpg", "bravo.jpg", "alpha.jpg", "charlie.jpg"]
FOCAL = (0.3, 0.35)  # where the photographer clicks on the cover, across and down
WATERMARK_TIMEOUT = 120  # seconds for the background task to watermark four photos


# ------------------------------------------------------------------------- helpers


def photo_bytes(width: int, height: int, seed: int) -> bytes:
    """A photo of soft bands of colour, each its own: real pixels, small file."""
    image = Image.new("RGB", (width, height), (60 + 40 * seed, 110, 150))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, width // 10):
        draw.rectangle([x, 0, x + width // 30, height], fill=(220, 60 * seed % 255, 80))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def logo_png() -> bytes:
    """The studio's logo: a transparent PNG with a ring and a bar."""
    image = Image.new("RGBA", (480, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([10, 10, 150, 150], outline=(255, 255, 255, 255), width=14)
    draw.rectangle([180, 60, 470, 100], fill=(255, 255, 255, 230))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class Studio:
    """The photographer's account, through the API (as the CLI uses it)."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.api = requests.Session()
        self.email = f"lumen-{secrets.token_hex(4)}@studio.test"
        self.password = "a-long-" + secrets.token_hex(8)
        self.call(
            "POST",
            "auth/register/",
            json={
                "email": self.email,
                "password": self.password,
                "studio_name": STUDIO,
            },
        )
        token = self.call(
            "POST", "auth/token/", json={"email": self.email, "password": self.password}
        )["access"]
        self.api.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kwargs):
        response = self.api.request(
            method, self.base + API + path, timeout=60, **kwargs
        )
        assert response.ok, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def wait(self, what: str, done, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not done():
            assert time.monotonic() < deadline, f"{what} after {seconds:.0f} s"
            time.sleep(0.5)


def rendition_of(url: str) -> str:
    """A rendition's key ("preview.jpeg") from its file's address."""
    stem, _, ext = url.split("?")[0].rsplit("/", 1)[1].partition(".")
    return f"{stem}.{'jpeg' if ext in ('jpg', 'jpeg') else ext}"


def corners_changed(marked: bytes, plain: bytes) -> tuple[float, float]:
    """How much the bottom-right corner (the watermark's) and the top-left one differ
    between two files of the same picture, in mean levels per channel (0-255)."""
    a = Image.open(io.BytesIO(marked)).convert("RGB")
    b = Image.open(io.BytesIO(plain)).convert("RGB")
    assert a.size == b.size, (a.size, b.size)
    w, h = a.size
    corner = (w // 2, h * 2 // 3, w, h)
    opposite = (0, 0, w // 2, h // 3)

    def diff(box):
        return max(ImageStat.Stat(ImageChops.difference(a.crop(box), b.crop(box))).mean)

    return diff(corner), diff(opposite)


# ------------------------------------------------------------------------ contexts


@pytest.fixture(scope="module")
def studio(base_url):
    return Studio(base_url)


@pytest.fixture(scope="module")
def photographer(new_context):
    """The photographer's laptop."""
    return new_context(viewport={"width": 1280, "height": 800}).new_page()


@pytest.fixture(scope="module")
def client(new_context):
    """The client's phone; the slideshow's shortest interval, three seconds."""
    return phone_page(new_context, slideshow_seconds=3)


# --------------------------------------------------------------- the photographer


def test_a_photographer_with_four_photos_signs_in(studio, photographer, story):
    gallery = studio.call("POST", "galleries/", json={"title": "Lena & Max"})
    story["gallery"] = gallery["id"]
    ids = [
        upload_photo(
            studio.api, studio.base, gallery["id"], name, photo_bytes(2400, 1600, seed)
        )
        for seed, name in enumerate(FILENAMES)
    ]
    studio.wait(
        "photos still processing",
        lambda: all(
            studio.call("GET", f"photos/{pk}/")["status"] == "ready" for pk in ids
        ),
        120,
    )
    story["photos"] = ids

    page = photographer
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(studio.email)
    page.get_by_label("Password").fill(studio.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/galleries/$"))


def test_they_set_a_logo_an_accent_and_a_typeface_on_the_brand_page(
    photographer, tmp_path_factory
):
    page = photographer
    logo = tmp_path_factory.mktemp("brand") / "lumen-logo.png"
    logo.write_bytes(logo_png())
    page.goto("/galleries/brand/")

    card = page.locator("section[aria-labelledby=logo-title]")
    card.locator("input[type=file]").set_input_files(str(logo))
    card.get_by_role("button", name="Upload logo").click()
    expect(card.locator(".brand-logo img")).to_be_visible()
    assert card.locator(".brand-logo img").get_attribute("width") == "480"

    page.get_by_label("Use Proofsheet's neutral colours").uncheck()
    page.get_by_label("Accent colour").fill(ACCENT)
    page.locator("input[name=typeface][value=editorial]").check()
    page.get_by_role("button", name="Save brand").click()

    page.goto("/galleries/brand/")
    expect(page.get_by_label("Accent colour")).to_have_value(ACCENT)
    expect(page.locator("input[name=typeface][value=editorial]")).to_be_checked()
    swatch = page.locator(".brand-swatch--accent")
    expect(swatch).to_have_css("background-color", ACCENT_RGB)


def test_they_choose_a_full_screen_cover_and_click_its_focal_point(photographer, story):
    page = photographer
    page.goto(f"/galleries/{story['gallery']}/design/")
    page.locator("input[name=cover_layout][value=hero]").check()

    cover = page.locator("[data-focal-img]")
    expect(cover).to_be_visible()
    box = cover.bounding_box()
    cover.click(position={"x": box["width"] * FOCAL[0], "y": box["height"] * FOCAL[1]})
    assert float(page.locator("input[name=focal_x]").input_value()) == (
        pytest.approx(FOCAL[0], abs=0.01)
    )
    assert float(page.locator("input[name=focal_y]").input_value()) == (
        pytest.approx(FOCAL[1], abs=0.01)
    )
    page.get_by_role("button", name="Save design").click()

    page.goto(f"/galleries/{story['gallery']}/design/")
    expect(page.locator("input[name=cover_layout][value=hero]")).to_be_checked()
    assert float(page.locator("input[name=focal_x]").input_value()) == (
        pytest.approx(FOCAL[0], abs=0.01)
    )
    mark = page.locator("[data-focal-mark]")
    assert mark.evaluate("m => m.style.left").startswith(str(round(FOCAL[0] * 100)))


def test_they_set_a_text_watermark_in_the_bottom_right_corner(photographer):
    page = photographer
    page.goto("/galleries/watermark/")
    page.locator("input[name=kind][value=text]").check()
    page.locator("input[name=text]").fill(f"© {STUDIO}")
    page.locator("input[name=position][value=bottom-right]").check()
    page.locator("input[name=size]").fill("40")
    page.locator("input[name=opacity]").fill("80")
    page.get_by_role("button", name="Save watermark").click()

    page.goto("/galleries/watermark/")
    expect(page.locator("input[name=text]")).to_have_value(f"© {STUDIO}")
    # Drawn only for the galleries of watermarked links: none yet.
    expect(page.locator("[data-watermark-progress]")).to_contain_text(
        "No share link is watermarked yet"
    )


def test_they_share_a_watermarked_link_in_german(studio, photographer, story):
    studio.call("PATCH", f"galleries/{story['gallery']}/", json={"language": "de"})

    page = photographer
    page.goto(f"/galleries/{story['gallery']}/links/new/")
    page.locator("#id_label").fill("Lena & Max")
    page.locator("input[name=downloads][value=web]").check()
    page.locator("#id_favourites_enabled").check()
    page.get_by_label("Watermark the photos").check()
    page.get_by_role("button", name="Create link").click()
    expect(page).to_have_url(re.compile(r"/links/[0-9a-f-]{36}/$"))
    url = page.locator("[data-copy-source]").first.input_value()
    assert re.search(r"/s/[^/]+/$", url), url
    story["share_url"] = url

    # Made in the background once the link asks: every photo of its gallery
    # watermarked before the client looks.
    studio.wait(
        "photos still without the watermark",
        lambda: (lambda w: w["photos_total"] == 4 and w["photos_ready"] == 4)(
            studio.call("GET", "watermark/")
        ),
        WATERMARK_TIMEOUT,
    )
    page.goto("/galleries/watermark/")
    expect(page.locator("[data-watermark-progress]")).to_contain_text("4 of 4 photos")


def cover_fills_the_screen(page) -> None:
    """The full-screen cover: the whole screen but the favourites bar at its foot,
    on a phone too (not a banner), its scroll cue above the bar, not under it."""
    page.wait_for_function(
        """() => { const bar = document.querySelector('[data-favbar]');
                   const hero = document.querySelector('header.hero');
                   return Math.abs(hero.getBoundingClientRect().bottom
                                   - bar.getBoundingClientRect().top) <= 2 }"""
    )
    hero, bar, cue = page.evaluate(
        """() => [document.querySelector('header.hero').getBoundingClientRect().height,
                  document.querySelector('[data-favbar]').getBoundingClientRect().top,
                  document.querySelector('.hero__cue')
                      ?.getBoundingClientRect().bottom ?? 0]"""
    )
    assert hero == pytest.approx(bar, abs=2), (hero, bar)
    assert cue <= bar, (cue, bar)


def cover_painted(page) -> None:
    page.wait_for_function(
        """() => { const i = document.querySelector('.hero__img');
                   return i && i.complete && i.naturalWidth > 0 }"""
    )


def test_the_cover_fills_the_photographers_desktop_screen(photographer, story):
    page = photographer
    page.goto(story["share_url"])
    cover_painted(page)
    cover_fills_the_screen(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "cover-desktop.png"))


# -------------------------------------------------------------------- the client


def test_a_client_on_a_phone_sees_the_studios_brand_in_german(client, story):
    page = client
    page.goto(story["share_url"])
    expect(page.locator("html")).to_have_attribute("lang", "de")
    cover_painted(page)

    logo = page.locator(".hero__studio img.brand-mark__img")
    expect(logo).to_have_attribute("alt", STUDIO)
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 480

    view = page.locator(".hero__view")
    expect(view).to_have_text("Galerie ansehen")
    expect(view).to_have_css("background-color", ACCENT_RGB)
    expect(page.locator(".browse__play")).to_have_text(re.compile(r"Diashow"))
    expect(page.locator(".hero__title")).to_have_css(
        "font-family", re.compile(r"Playfair Display")
    )

    # Full height on a phone, cropped around the point the photographer clicked.
    cover_fills_the_screen(page)
    position = page.locator(".hero__img").evaluate(
        "img => getComputedStyle(img).objectPosition"
    )
    across, down = (float(value.rstrip("%")) for value in position.split())
    assert (across, down) == (
        pytest.approx(FOCAL[0] * 100, abs=1),
        pytest.approx(FOCAL[1] * 100, abs=1),
    ), position
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "cover-phone.png"))


def plain(studio, photo: str, key: str) -> bytes:
    """The photographer's own, unwatermarked file of a photo's rendition."""
    urls = studio.call("GET", f"photos/{photo}/")["urls"]
    assert key in urls, (key, sorted(urls))
    response = requests.get(urljoin(studio.base, urls[key]), timeout=60)
    assert response.ok, response.status_code
    return response.content


def fetch(page, url: str) -> bytes:
    response = page.context.request.get(url)
    assert response.ok, (url, response.status)
    return response.body()


def test_the_lightbox_and_the_web_size_download_carry_the_watermark(
    studio, client, story
):
    page = client
    page.emulate_media(reduced_motion="reduce")
    first = page.locator(".grid .tile__link").first
    photo = first.get_attribute("data-id")
    first.click()
    expect(page.locator("dialog.lb")).to_be_visible()
    page.wait_for_function(
        """() => { const i = document.querySelector('[data-lb-img]');
                   return i.complete && i.naturalWidth > 0 && i.currentSrc }"""
    )
    shown = page.locator("[data-lb-img]").evaluate("img => img.currentSrc")
    marked = fetch(page, shown)
    corner, opposite = corners_changed(
        marked, plain(studio, photo, rendition_of(shown))
    )
    assert corner > 4 * max(opposite, 0.5), (corner, opposite)

    with page.expect_download() as info:
        page.locator("dialog.lb [data-lb-download=web]").click()
    download = Path(info.value.path()).read_bytes()
    assert download[:3] == b"\xff\xd8\xff"
    corner, opposite = corners_changed(download, plain(studio, photo, "preview.jpeg"))
    assert corner > 4 * max(opposite, 0.5), (corner, opposite)

    page.keyboard.press("Escape")
    expect(page.locator("dialog.lb")).to_be_hidden()


def test_the_client_runs_the_slideshow_and_it_advances_by_itself(client):
    page = client
    page.locator(".browse__play").click()
    count = page.locator("[data-lb-count]")
    expect(page.locator("dialog.lb")).to_be_visible()
    expect(count).to_have_text("1 / 4")
    expect(page.locator("[data-slideshow-toggle]")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(count).to_have_text("2 / 4", timeout=8_000)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page.locator("dialog.lb")).to_be_hidden()


def test_the_client_zooms_and_the_photo_doubles(client):
    page = client
    page.locator(".grid .tile__link").first.click()
    expect(page.locator("dialog.lb")).to_be_visible()
    page.wait_for_function(
        "() => parseFloat(document.querySelector('[data-lb-img]').style.width) > 0"
    )

    def width():
        return page.locator("[data-lb-img]").evaluate(
            "img => img.getBoundingClientRect().width"
        )

    fitted = width()
    assert fitted == pytest.approx(390, abs=2)
    page.keyboard.press("+")
    assert width() == pytest.approx(2 * fitted, rel=0.02)
    page.keyboard.press("0")
    assert width() == pytest.approx(fitted, rel=0.02)
    page.keyboard.press("Escape")
    expect(page.locator("dialog.lb")).to_be_hidden()


def alts(page) -> list[str]:
    return [
        alt.rsplit(": ", 1)[1]
        for alt in page.locator(".grid .tile__link img").evaluate_all(
            "imgs => imgs.map(i => i.alt)"
        )
    ]


def test_the_client_sorts_by_file_name(client, story):
    page = client
    page.goto(story["share_url"])
    assert alts(page) == FILENAMES  # the photographer's order
    page.locator(".browse select[name=sort]").select_option("name")
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(page.locator(".grid .tile__link img").first).to_have_attribute(
        "alt", re.compile(r": alpha\.jpg$")
    )
    assert alts(page) == sorted(FILENAMES)


def test_the_client_hearts_two_photos_and_keeps_only_their_favourites(client, story):
    page = client
    page.goto(story["share_url"])
    tiles = page.locator(".grid .tile")
    tiles.nth(0).locator(".heart").click()
    sheet = page.locator("dialog[data-start-dialog]")
    expect(sheet).to_be_visible()
    sheet.locator("input[name=name]").fill("Lena")
    start = sheet.locator("button[type=submit]")
    expect(start).to_have_text("Auswahl beginnen")
    expect(start).to_have_css("background-color", ACCENT_RGB)
    start.click()
    expect(sheet).to_be_hidden()
    expect(tiles.nth(0).locator(".heart")).to_have_attribute("aria-pressed", "true")
    tiles.nth(2).locator(".heart").click()
    expect(tiles.nth(2).locator(".heart")).to_have_attribute("aria-pressed", "true")
    hearted = [FILENAMES[0], FILENAMES[2]]

    page.goto(story["share_url"])
    page.get_by_label("Nur meine Favoriten").check()
    expect(page).to_have_url(re.compile(r"mine=1"))
    expect(page.locator(".grid .tile")).to_have_count(2)
    assert alts(page) == hearted
