"""A client on a phone sits back and watches, zooms in, sorts, and reaches every heart:
the slideshow advances and pauses when touched, zoom doubles a large photo but never
blows up a small one, hearts show without hover, and set tabs too many for the
screen scroll with a faded edge, the current one in view.

The gallery is made through the API (four sets, four large photos and a 100-pixel
one), so the browser time goes to the client's side only.
"""

from __future__ import annotations

import io
import re
import secrets
import time

import pytest
import requests
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from conftest import phone_page, upload_photo

pytestmark = pytest.mark.browser

API = "/api/v1/"
SETS = ["Getting ready", "Ceremony", "Reception and dinner", "Family portraits"]


def jpeg(width: int, height: int, seed: int) -> bytes:
    """A photo of bands of colour: real pixels, small file."""
    image = Image.new("RGB", (width, height), (40 * seed % 255, 90, 160))
    draw = ImageDraw.Draw(image)
    for band in range(0, width, max(width // 12, 1)):
        draw.rectangle(
            [band, 0, band + width // 24, height], fill=(200, 30 * seed % 255, 60)
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class Photographer:
    def __init__(self, base_url: str):
        self.base = base_url
        self.url = base_url + API
        self.api = requests.Session()
        email = f"ux-{secrets.token_hex(4)}@example.test"
        password = secrets.token_urlsafe(12)
        self.call(
            "POST",
            "auth/register/",
            json={"email": email, "password": password, "studio_name": "UX Studio"},
        )
        token = self.call(
            "POST", "auth/token/", json={"email": email, "password": password}
        )["access"]
        self.api.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kwargs):
        response = self.api.request(method, self.url + path, timeout=60, **kwargs)
        assert response.ok, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def wait_ready(self, ids: list[str], seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        waiting = set(ids)
        while waiting and time.monotonic() < deadline:
            for photo in list(waiting):
                if self.call("GET", f"photos/{photo}/")["status"] == "ready":
                    waiting.discard(photo)
            time.sleep(0.5)
        assert not waiting, f"{len(waiting)} photos still processing"


@pytest.fixture(scope="module")
def shared(base_url):
    """The share link's address, and the sets' ids by name."""
    studio = Photographer(base_url)
    gallery = studio.call("POST", "galleries/", json={"title": "Ada & Bo"})
    existing = studio.call("GET", f"galleries/{gallery['id']}/sets/")
    existing = (
        existing.get("results", existing) if isinstance(existing, dict) else existing
    )
    sets = {}
    for index, name in enumerate(SETS):
        if index == 0 and existing:
            studio.call(
                "PATCH",
                f"galleries/{gallery['id']}/sets/{existing[0]['id']}/",
                json={"name": name},
            )
            sets[name] = existing[0]["id"]
        else:
            made = studio.call(
                "POST", f"galleries/{gallery['id']}/sets/", json={"name": name}
            )
            sets[name] = made["id"]
    photos = [
        upload_photo(
            studio.api,
            studio.base,
            gallery["id"],
            f"big-{number}.jpg",
            jpeg(2400, 1600, number),
            set_id=sets[SETS[number % 4]],
        )
        for number in range(4)
    ]
    photos.append(
        upload_photo(
            studio.api,
            studio.base,
            gallery["id"],
            "tiny.jpg",
            jpeg(100, 66, 9),
            set_id=sets[SETS[3]],
        )
    )
    studio.wait_ready(photos)
    link = studio.call(
        "POST",
        f"galleries/{gallery['id']}/links/",
        json={"label": "Couple", "favourites_enabled": True, "downloads": "web"},
    )
    return {"url": link["url"], "sets": sets}


@pytest.fixture(scope="module")
def phone(new_context):
    # The shortest interval, so the test waits three seconds a photo, not five.
    return phone_page(new_context, slideshow_seconds=3)


def count(page) -> str:
    return page.locator("[data-lb-count]").inner_text()


def test_hearts_show_on_a_touch_screen_without_hover(phone, shared):
    phone.goto(shared["url"])

    heart = phone.locator(".tile .heart").first
    expect(heart).to_be_visible()
    assert heart.evaluate("el => getComputedStyle(el).opacity") == "1"


def test_set_tabs_too_wide_for_a_phone_scroll_with_a_faded_edge(phone, shared):
    phone.goto(shared["url"])
    nav = phone.locator("[data-set-tabs]")
    tabs = nav.locator("ul")

    assert tabs.evaluate("ul => ul.scrollWidth > ul.clientWidth")
    expect(nav).to_have_attribute("data-more-after", "")

    last = SETS[-1]
    phone.goto(shared["url"] + f"?set={shared['sets'][last]}")
    current = phone.locator('[data-set-tabs] a[aria-current="page"]')
    expect(current).to_contain_text(last)
    inside = current.evaluate(
        """a => { const t = a.getBoundingClientRect(), u = a.closest('ul').getBoundingClientRect();
                  return t.left >= u.left - 1 && t.right <= u.right + 1; }"""
    )
    assert inside, "the current tab is scrolled into view"
    expect(phone.locator("[data-set-tabs]")).to_have_attribute("data-more-before", "")


def test_the_slideshow_advances_by_itself_and_pauses_when_touched(phone, shared):
    phone.goto(shared["url"])
    phone.get_by_role("button", name="Slideshow").click()

    expect(phone.locator("dialog.lb")).to_be_visible()
    expect(phone.locator("[data-lb-count]")).to_have_text(re.compile(r"^1 / 5$"))
    expect(phone.locator("[data-slideshow-toggle]")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(phone.locator("[data-lb-count]")).to_have_text("2 / 5", timeout=8_000)

    phone.locator("[data-lb-img]").tap()
    expect(phone.locator("[data-slideshow-toggle]")).to_have_attribute(
        "aria-pressed", "false"
    )
    paused_at = count(phone)
    phone.wait_for_timeout(4_000)
    assert count(phone) == paused_at

    phone.keyboard.press("Escape")
    phone.keyboard.press("Escape")
    expect(phone.locator("dialog.lb")).to_be_hidden()


def pinch(page, spread: int) -> None:
    """Two fingers on the photo moving `spread` pixels further apart each."""
    cdp = page.context.new_cdp_session(page)
    box = page.locator("[data-lb-img]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def fingers(apart):
        return [
            {"x": x - 20 - apart, "y": y, "id": 1},
            {"x": x + 20 + apart, "y": y, "id": 2},
        ]

    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": fingers(0)}
    )
    for step in range(1, 6):
        cdp.send(
            "Input.dispatchTouchEvent",
            {"type": "touchMove", "touchPoints": fingers(spread * step / 5)},
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def image_width(page) -> float:
    return page.locator("[data-lb-img]").evaluate(
        "img => img.getBoundingClientRect().width"
    )


def test_zoom_doubles_a_large_photo_and_never_blows_up_a_tiny_one(phone, shared):
    phone.emulate_media(reduced_motion="reduce")  # no transition to wait for
    phone.goto(shared["url"])
    phone.locator('.tile__link img[alt$=": big-0.jpg"]').click()
    expect(phone.locator("dialog.lb")).to_be_visible()
    phone.wait_for_function(
        "() => parseFloat(document.querySelector('[data-lb-img]').style.width) > 0"
    )
    fitted = image_width(phone)
    assert fitted == pytest.approx(390, abs=2)

    phone.keyboard.press("+")
    assert image_width(phone) == pytest.approx(2 * fitted, rel=0.02)
    phone.keyboard.press("0")
    assert image_width(phone) == pytest.approx(fitted, rel=0.02)
    phone.get_by_role("button", name="Zoom in").click()
    assert image_width(phone) == pytest.approx(2 * fitted, rel=0.02)
    phone.get_by_role("button", name="Zoom out").click()
    assert image_width(phone) == pytest.approx(fitted, rel=0.02)

    photo = phone.locator("[data-lb-img]")
    photo.tap()
    photo.tap()  # a double-tap
    assert image_width(phone) == pytest.approx(2 * fitted, rel=0.02)
    photo.tap()
    photo.tap()
    assert image_width(phone) == pytest.approx(fitted, rel=0.02)
    pinch(phone, spread=120)
    assert image_width(phone) > 1.3 * fitted
    phone.keyboard.press("0")

    phone.keyboard.press("Escape")
    expect(phone.locator("dialog.lb")).to_be_hidden()
    phone.locator('.tile__link img[alt$=": tiny.jpg"]').click()
    expect(phone.locator("dialog.lb")).to_be_visible()
    phone.wait_for_function(
        "() => parseFloat(document.querySelector('[data-lb-img]').style.width) > 0"
    )
    assert image_width(phone) == pytest.approx(100, abs=1)
    phone.keyboard.press("+")
    assert image_width(phone) == pytest.approx(100, abs=1)
    expect(phone.locator("[data-zoom-toggle]")).to_be_hidden()
    phone.keyboard.press("Escape")


def test_the_client_sorts_by_file_name_and_the_address_keeps_it(phone, shared):
    phone.goto(shared["url"])
    phone.get_by_label("Sort").select_option("name")

    expect(phone).to_have_url(re.compile(r"sort=name"))
    first = phone.locator(".tile__link img").first
    expect(first).to_have_attribute("alt", re.compile(r": big-0\.jpg$"))
    last = phone.locator(".tile__link img").last
    expect(last).to_have_attribute("alt", re.compile(r": tiny\.jpg$"))
