"""End-to-end smoke check of a running Proofsheet, as its users reach it over HTTP.

    python loadtest/smoke.py [--url http://127.0.0.1:8100] [--photo PATH] [--keep]

Email and password come from --email/--password or DEMO_EMAIL/DEMO_PASSWORD (as
`eval "$(bin/prodstack env)"` exports). Steps, each must pass:

1. /healthz says the database, storage and broker are ok;
2. the photographer signs in through the login form (session cookie, CSRF) and sees the
   dashboard;
3. the API hands out a JWT; a gallery is created with it;
4. one real photo is uploaded the way the web uploader does it: start, send the bytes
   where the API says (a presigned POST straight to the S3 bucket), complete;
5. the Celery worker makes it ready; its rendition and original URLs are signed S3
   URLs whose bytes arrive (the original byte-identical);
6. the gallery's owner page lists it; the gallery is deleted again (unless --keep).

Exits 0 when all pass, 1 with the failing step's reason otherwise.
"""

import argparse
import hashlib
import os
import re
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PHOTO = ROOT / "samples" / "photos" / "camera" / "jolla.jpg"


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def step(message: str) -> None:
    print(f"  - {message}", flush=True)


def expect(response: requests.Response, status: int, what: str) -> requests.Response:
    check(
        response.status_code == status,
        f"{what}: HTTP {response.status_code} (expected {status}): "
        f"{response.text[:500]}",
    )
    return response


def sign_in(base: str, email: str, password: str) -> requests.Session:
    browser = requests.Session()
    login = expect(browser.get(f"{base}/accounts/login/"), 200, "login page")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
    check(token is not None, "the login page has no CSRF token")
    response = browser.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": email,
            "password": password,
        },
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
    )
    check(
        response.status_code == 302,
        f"signing in: HTTP {response.status_code} (wrong email or password?)",
    )
    dashboard = expect(browser.get(f"{base}/galleries/"), 200, "dashboard")
    check(
        email in dashboard.text or "gallery" in dashboard.text.lower(), "no dashboard"
    )
    return browser


def upload(api: requests.Session, base: str, gallery_id: str, photo: Path) -> dict:
    data = photo.read_bytes()
    started = expect(
        api.post(
            f"{base}/api/v1/galleries/{gallery_id}/photos/uploads/",
            json={
                "filename": photo.name,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        ),
        201,
        "starting the upload",
    ).json()
    target, photo_id = started["upload"], started["photo"]["id"]
    check(
        target["method"] == "POST",
        f"expected a presigned POST to S3, got {target['method']} (is S3 storage on?)",
    )
    check(base not in target["url"], "the upload goes through the web server, not S3")
    # What a browser does with a presigned POST: the fields, then the file, no cookies.
    sent = requests.post(
        target["url"], data=target["fields"], files={"file": (photo.name, data)}
    )
    check(
        sent.status_code in (200, 201, 204),
        f"S3 refused the presigned POST: HTTP {sent.status_code} {sent.text[:300]}",
    )
    expect(
        api.post(f"{base}/api/v1/uploads/{photo_id}/complete/", json={}),
        200,
        "completing the upload",
    )
    return {"id": photo_id, "bytes": data}


def wait_ready(api: requests.Session, base: str, photo_id: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        photo = expect(
            api.get(f"{base}/api/v1/photos/{photo_id}/"), 200, "photo"
        ).json()
        if photo["status"] == "ready":
            return photo
        check(
            photo["status"] == "processing",
            f"the photo ended {photo['status']}: {photo.get('error')}",
        )
        check(
            time.monotonic() < deadline,
            f"still processing after {timeout:.0f} s: is the Celery worker running?",
        )
        time.sleep(0.3)


def run(args: argparse.Namespace) -> None:
    base = args.url.rstrip("/")
    health = expect(requests.get(f"{base}/healthz", timeout=10), 200, "/healthz").json()
    check(health["status"] == "ok", f"/healthz: {health}")
    step(f"/healthz ok: {', '.join(health['checks'])}")

    browser = sign_in(base, args.email, args.password)
    step(f"signed in through the login form as {args.email}")

    tokens = expect(
        requests.post(
            f"{base}/api/v1/auth/token/",
            json={"email": args.email, "password": args.password},
        ),
        200,
        "JWT",
    ).json()
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {tokens['access']}"
    gallery = expect(
        api.post(f"{base}/api/v1/galleries/", json={"title": "Smoke test"}),
        201,
        "creating a gallery",
    ).json()
    step(f"JWT from the API; gallery {gallery['id']} created")

    started = time.monotonic()
    sent = upload(api, base, gallery["id"], args.photo)
    step(
        f"{args.photo.name} ({len(sent['bytes']):,} bytes) sent by presigned POST to S3"
    )
    photo = wait_ready(api, base, sent["id"], args.timeout)
    step(
        f"ready after {time.monotonic() - started:.1f} s "
        f"({photo['width']}x{photo['height']}, {len(photo['urls'])} renditions)"
    )

    rendition_url = photo["urls"].get("grid.jpeg") or next(iter(photo["urls"].values()))
    check("X-Amz-Signature=" in rendition_url, f"not a signed S3 URL: {rendition_url}")
    rendition = expect(requests.get(rendition_url), 200, "rendition from S3")
    check(rendition.headers["Content-Type"].startswith("image/"), "rendition not image")
    original = api.get(
        f"{base}/api/v1/photos/{sent['id']}/original/", allow_redirects=False
    )
    expect(original, 302, "original")
    original_bytes = expect(requests.get(original.headers["Location"]), 200, "original")
    check(original_bytes.content == sent["bytes"], "the original came back different")
    step("rendition and original come from signed S3 URLs; the original is identical")

    page = expect(browser.get(f"{base}/galleries/{gallery['id']}/"), 200, "owner page")
    check(args.photo.name in page.text, "the gallery page does not list the photo")
    step("the gallery's owner page lists the photo")
    if not args.keep:
        expect(api.delete(f"{base}/api/v1/galleries/{gallery['id']}/"), 204, "delete")
        step("gallery deleted")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", default=os.environ.get("SITE_URL", "http://127.0.0.1:8100")
    )
    parser.add_argument(
        "--email", default=os.environ.get("DEMO_EMAIL", "demo@proofsheet.local")
    )
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", ""))
    parser.add_argument("--photo", type=Path, default=DEFAULT_PHOTO)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--keep", action="store_true", help="keep the gallery")
    args = parser.parse_args()
    if not args.password:
        parser.error("no password: pass --password or set DEMO_PASSWORD")
    print(f"Smoke check of {args.url}")
    try:
        run(args)
    except (SmokeFailure, requests.RequestException) as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print("Smoke check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
