"""What a visitor or a photographer does on one web pool is seen on the other.

The stack runs two independent gunicorn pools (`bin/prodstack start --pools 2`), as two
web machines would: each its own processes, each with its own per-process caches (the
grid's rendered tiles, `sharing/tile_cache.py`; presigned S3 URLs, `galleries/
signed_urls.py`; the day's visitor salt, `sharing/analytics.py`). bin/twopools runs each
pool with one worker process, so "pool B" is one process whose caches a test has warmed
before the change it makes on pool A. Every test talks to each pool directly, bypassing
nginx, to know which one answers, and then through nginx as visitors do.

The bound for a disabled link (and a changed one): **the next request**, on every pool.
A link, a session, an unlock and a favourites list are read from PostgreSQL on every
request, and no per-process cache holds any of them: the tile cache is keyed by
everything a tile draws (link, heart, place, photo, URL window), the URL cache by
rendition and window, the salt by day. What cannot be taken back is a picture URL
already handed out: a presigned S3 URL that lives at most 2 x AWS_QUERYSTRING_EXPIRE
(2 h by default; `galleries/signed_urls.py` signs each for one window past its own).
"""

import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

from twopools.client import Browser, hearted, redirected_to, shared_photos, tiles


def _log_lines(path: Path, marker: str, wanted: int, timeout: float = 10) -> list[str]:
    """The lines of a pool's access log that name `marker`, once `wanted` are there."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in path.read_text().splitlines() if marker in line]
        if len(lines) >= wanted or time.monotonic() > deadline:
            return lines
        time.sleep(0.2)


def test_each_pool_answers_on_its_own_port_and_nginx_sends_visitors_to_both(
    stack, pools
):
    assert stack.pid("gunicorn")
    assert stack.pid("web2")
    assert stack.pid("gunicorn") != stack.pid("web2"), "two pools, two gunicorn masters"
    marker = f"twopools-{secrets.token_hex(4)}"
    requests.get(f"{pools.a}/healthz?m={marker}-a", timeout=10).raise_for_status()
    requests.get(f"{pools.b}/healthz?m={marker}-b", timeout=10).raise_for_status()
    for _ in range(6):
        requests.get(
            f"{pools.proxy}/healthz?m={marker}-p", timeout=10
        ).raise_for_status()

    web_a, web_b = stack.dir / "logs" / "web.log", stack.dir / "logs" / "web2.log"
    a_lines = _log_lines(web_a, marker, 2)
    b_lines = _log_lines(web_b, marker, 2)
    assert [f"{marker}-a" in line for line in a_lines].count(True) == 1
    assert not any(f"{marker}-b" in line for line in a_lines)
    assert [f"{marker}-b" in line for line in b_lines].count(True) == 1
    assert not any(f"{marker}-a" in line for line in b_lines)
    # Round robin: nginx took the two pools in turn.
    through_a = sum(f"{marker}-p" in line for line in a_lines)
    through_b = sum(f"{marker}-p" in line for line in b_lines)
    assert through_a + through_b == 6
    assert through_a >= 2, (through_a, through_b)
    assert through_b >= 2, (through_a, through_b)


def test_a_photographer_logged_in_on_pool_a_is_logged_in_on_pool_b(pools, account):
    email, password = account
    browser = Browser()
    assert (
        redirected_to(browser.get(pools.b, "/accounts/profile/")) == "/accounts/login/"
    )
    browser.get(pools.a, "/accounts/login/")
    answer = browser.post(
        pools.a, "/accounts/login/", {"username": email, "password": password}
    )
    assert answer.status_code == 302, answer.text[:500]

    for base in (pools.b, pools.proxy, pools.proxy):
        profile = browser.get(base, "/accounts/profile/")
        assert profile.status_code == 200
        assert email in profile.text

    # Logged out on pool B: logged out on pool A too.
    assert browser.post(pools.b, "/accounts/logout/", {}).status_code == 302
    for base in (pools.a, pools.proxy):
        assert redirected_to(browser.get(base, "/accounts/profile/")) == (
            "/accounts/login/"
        )


def test_a_password_link_unlocked_on_pool_a_is_unlocked_on_pool_b(
    pools, owner, gallery
):
    password = secrets.token_urlsafe(8)
    link = owner.link(pools.a, gallery.id, password=password)
    gallery_page = f"/s/{link['token']}/"
    unlock_page = f"/s/{link['token']}/unlock/"
    browser = Browser()
    # Locked on pool B first, so pool B has seen this link and this browser.
    assert redirected_to(browser.get(pools.b, gallery_page)) == unlock_page
    assert browser.get(pools.a, unlock_page).status_code == 200
    answer = browser.post(
        pools.a, unlock_page, {"password": password, "next": gallery_page}
    )
    assert redirected_to(answer) == gallery_page

    page = browser.get(pools.b, gallery_page)
    assert page.status_code == 200
    assert set(tiles(page.text)) == set(gallery.photo_ids)
    for _ in range(4):  # through nginx: whichever pool answers
        assert browser.get(pools.proxy, gallery_page).status_code == 200
    # A stranger's browser is still sent to the password page by either pool.
    for _, base in pools.both:
        assert redirected_to(Browser().get(base, gallery_page)) == unlock_page

    # An app unlocks through pool A's API; pool B honours its access token.
    unlocked = requests.post(
        f"{pools.a}/api/v1/share/{link['token']}/unlock/",
        json={"password": password},
        timeout=30,
    )
    assert unlocked.status_code == 200, unlocked.text
    access = {"X-Share-Access": unlocked.json()["access_token"]}
    listed = shared_photos(pools.b, link["token"], headers=access)
    assert {p["id"] for p in listed} == set(gallery.photo_ids)


def test_a_heart_added_on_pool_a_is_seen_on_pool_b_and_one_taken_away_on_b_is_gone_on_a(
    pools, owner, gallery
):
    link = owner.link(pools.a, gallery.id)
    gallery_page = f"/s/{link['token']}/"
    first, second = gallery.photo_ids[:2]
    browser = Browser()
    # Pool B draws the grid without a heart first, and keeps those tiles.
    assert hearted(browser.get(pools.b, gallery_page).text) == set()

    answer = browser.post(
        pools.a,
        f"/s/{link['token']}/favourites/start/",
        {"name": "Ana", "photo": first, "next": gallery_page},
    )
    assert answer.status_code == 302, answer.text[:500]
    assert hearted(browser.get(pools.b, gallery_page).text) == {first}

    # Hearted on B, and the first taken away on B: pool A shows only the second.
    hearts = f"/s/{link['token']}/favourites"
    browser.post(pools.b, f"{hearts}/{second}/", {"hearted": "1", "next": gallery_page})
    browser.post(pools.b, f"{hearts}/{first}/", {"hearted": "0", "next": gallery_page})
    assert hearted(browser.get(pools.a, gallery_page).text) == {second}
    for _ in range(4):
        assert hearted(browser.get(pools.proxy, gallery_page).text) == {second}

    # The photographer sees the visitor's list, with the heart, on either pool.
    for _, base in pools.both:
        lists = owner.api(base, "GET", f"/galleries/{gallery.id}/favourite-lists/")
        assert lists.status_code == 200
        assert "Ana" in lists.text


def test_a_photo_uploaded_through_pool_a_is_shown_by_pool_b(pools, owner, samples):
    who = owner.photographer
    gallery_id = who.create_gallery("Two pools: a new photo")
    link = owner.link(pools.a, gallery_id)
    gallery_page = f"/s/{link['token']}/"
    browser = Browser()
    for _, base in pools.both:  # both pools have drawn the empty gallery
        assert tiles(browser.get(base, gallery_page).text) == []
        assert shared_photos(base, link["token"]) == []

    outcome = who.upload(gallery_id, samples[3], wait=True)
    assert outcome.state == "done", outcome.message

    assert tiles(browser.get(pools.b, gallery_page).text) == [outcome.photo_id]
    listed = shared_photos(pools.b, link["token"])
    assert [p["id"] for p in listed] == [outcome.photo_id]
    # Its pictures come from the bucket, and pool A hands out the very URLs pool B
    # signed (shared through Redis): a browser's cached picture stays cached.
    for url in listed[0]["renditions"].values():
        assert requests.get(url, timeout=30).status_code == 200
    assert (
        shared_photos(pools.a, link["token"])[0]["renditions"]
        == (listed[0]["renditions"])
    )
    for _ in range(4):
        assert tiles(browser.get(pools.proxy, gallery_page).text) == [outcome.photo_id]


def test_a_new_password_set_through_pool_a_locks_out_pool_b_at_once(
    pools, owner, gallery
):
    old, new = secrets.token_urlsafe(8), secrets.token_urlsafe(8)
    link = owner.link(pools.a, gallery.id, password=old)
    token = link["token"]
    gallery_page, unlock_page = f"/s/{token}/", f"/s/{token}/unlock/"
    browser = Browser()
    browser.get(pools.b, unlock_page)
    browser.post(pools.b, unlock_page, {"password": old, "next": gallery_page})
    assert browser.get(pools.b, gallery_page).status_code == 200
    app = requests.post(
        f"{pools.b}/api/v1/share/{token}/unlock/", json={"password": old}, timeout=30
    ).json()["access_token"]
    assert shared_photos(pools.b, token, headers={"X-Share-Access": app})

    owner.change_link(pools.a, link["id"], password=new)

    for _, base in pools.both:
        assert redirected_to(browser.get(base, gallery_page)) == unlock_page
        stale = requests.get(
            f"{base}/api/v1/share/{token}/photos/",
            headers={"X-Share-Access": app},
            timeout=30,
        )
        assert stale.status_code == 401
    # The new password, given on pool B, opens the gallery on pool A.
    browser.post(pools.b, unlock_page, {"password": new, "next": gallery_page})
    assert browser.get(pools.a, gallery_page).status_code == 200


def test_download_rights_changed_through_pool_a_apply_on_pool_b_at_once(
    pools, owner, gallery
):
    link = owner.link(pools.a, gallery.id, downloads="none")
    token, photo = link["token"], gallery.photo_ids[0]
    download = f"/s/{token}/p/{photo}/download/"
    browser = Browser()
    assert browser.get(pools.b, f"{download}?size=original").status_code == 403
    assert shared_photos(pools.b, token)[0]["downloads"] == {
        "web": None,
        "original": None,
    }

    owner.change_link(pools.a, link["id"], downloads="original")
    answer = browser.get(pools.b, f"{download}?size=original")
    assert answer.status_code == 302
    assert requests.get(answer.headers["Location"], timeout=30).status_code == 200
    assert shared_photos(pools.b, token)[0]["downloads"]["original"]

    # Back to web size on pool B: pool A refuses originals and still gives web size.
    owner.change_link(pools.b, link["id"], downloads="web")
    assert browser.get(pools.a, f"{download}?size=original").status_code == 403
    assert browser.get(pools.a, f"{download}?size=web").status_code == 302
    assert shared_photos(pools.a, token)[0]["downloads"]["original"] is None


def _expires_at(url: str) -> float:
    """When a presigned S3 URL stops working (its X-Amz-Date + X-Amz-Expires)."""
    query = parse_qs(urlsplit(url).query)
    signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
    return signed.replace(tzinfo=UTC).timestamp() + int(query["X-Amz-Expires"][0])


def test_a_disabled_link_is_gone_from_both_pools_on_the_next_request(
    stack, pools, owner, gallery
):
    link = owner.link(pools.a, gallery.id, downloads="web")
    token, photo = link["token"], gallery.photo_ids[0]
    pages = [
        f"/s/{token}/",
        f"/s/{token}/photos/?from=1",
        f"/s/{token}/p/{photo}/",
        f"/s/{token}/p/{photo}/download/?size=web",
    ]
    browser = Browser()
    handed_out = []
    # Both pools serve the link, and keep its tiles and signed URLs.
    for _, base in pools.both:
        assert browser.get(base, pages[0]).status_code == 200
        assert browser.get(base, pages[2]).status_code == 200
        assert browser.get(base, pages[3]).status_code == 302
        listed = shared_photos(base, token)
        handed_out += [url for p in listed for url in p["renditions"].values()]

    owner.change_link(pools.a, link["id"], is_active=False)

    # The very first request after the change, on each pool and through nginx.
    for _, base in (*pools.both, ("nginx", pools.proxy)):
        for path in pages:
            assert browser.get(base, path).status_code == 404, (base, path)
        answer = requests.get(f"{base}/api/v1/share/{token}/photos/", timeout=30)
        assert answer.status_code == 404
    assert browser.get(pools.proxy, f"/s/{token}/zip/").status_code == 404

    # What no server can take back: the picture URLs given out before the change
    # stop working within 2 x AWS_QUERYSTRING_EXPIRE.
    window = int(stack.env.get("AWS_QUERYSTRING_EXPIRE") or 3600)
    assert handed_out
    assert max(_expires_at(url) for url in handed_out) <= time.time() + 2 * window

    # Enabled again on pool B: both pools serve it again, at once.
    owner.change_link(pools.b, link["id"], is_active=True)
    for _, base in pools.both:
        assert set(tiles(browser.get(base, pages[0]).text)) == set(gallery.photo_ids)
