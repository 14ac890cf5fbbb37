"""Load on a running Proofsheet, as its users make it: clients browse a shared gallery,
heart photos and download ZIPs while photographers upload.

Run through `loadtest/run` (it starts the stack, seeds the gallery and checks the
targets); by hand:

    GALLERY_URL=http://127.0.0.1:8100/s/<token>/ DEMO_PASSWORD=... \\
    locust -f loadtest/locustfile.py --headless -u 50 -r 10 --run-time 2m \\
        --host http://127.0.0.1:8100

Users (weights by count; the ZIP downloaders and photographers are fixed numbers):

- Visitor: lands on the public gallery, pages through it (the "More photos" link; 80 %
  of visitors have the page's script, which fetches the next tiles as a fragment, the
  others follow the link to the next page), opens photo pages, fetches a few grid pictures from the bucket as a browser would,
  starts a favourites list and hearts photos (form posts with the CSRF token, asking
  for JSON as the page's script does). Thinks 5-15 s between actions, as a person who
  looks at the photos does (LOADTEST_WAIT=1-3 for a stress test of brisk clickers).
- ZipDownloader: downloads the whole gallery as one ZIP, reading it at a client's
  pace (LOADTEST_ZIP_MBPS, 25 MB/s) and throwing the bytes away.
- Photographer: signs in to the API (JWT) and uploads real photos the way the web
  uploader does (start, presigned POST to the bucket, complete), then waits for the
  Celery worker to make each one ready.

Request names group URLs by what they are ("gallery page", "photo page"...). At the
end a summary prints requests/s, p50/p95/p99 per name and the errors, and the exit code
is 1 if any request failed or a gallery page's p95 is over LOADTEST_P95_MS (150).
"""

import hashlib
import os
import random
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from locust import HttpUser, between, events, task
from locust.contrib.fasthttp import FastHttpUser
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "photos"
UPLOAD_SAMPLES = [
    "camera/jolla.jpg",
    "camera/canon_hdr_NO.jpg",
    "camera/DSCN0010.jpg",
    "camera/nikon-e950.jpg",
    "orientation/landscape_3.jpg",
    "orientation/portrait_6.jpg",
]

P95_TARGET_MS = float(os.environ.get("LOADTEST_P95_MS", "150"))
IMAGES_PER_PAGE = int(os.environ.get("LOADTEST_IMAGES_PER_PAGE", "4"))
ZIP_BYTES_PER_SECOND = float(os.environ.get("LOADTEST_ZIP_MBPS", "25")) * 1e6
ZIP_HOST = os.environ.get("LOADTEST_ZIP_HOST", "").rstrip("/")
VISITOR_WAIT = tuple(
    float(s) for s in os.environ.get("LOADTEST_WAIT", "5-15").split("-")
)
# The names whose p95 the target applies to: the public gallery, its first page and the
# further photos (as a page without script, or the fragment the script fetches).
TARGET_NAMES = ("gallery page", "gallery next page", "gallery more photos (script)")
SCRIPT_SHARE = 0.8  # visitors whose browser runs the page's script

PHOTO_LINK = re.compile(r'href="(/s/[^/"]+/p/[0-9a-f-]{36}/)[^"]*"')
# The grid's "More photos" link: an href for pages without script, and data-more, the
# fragment of further tiles the page's script fetches as the visitor scrolls.
NEXT_LINK = re.compile(r'<a\b[^>]*\brel="next"[^>]*>')
HREF = re.compile(r'\bhref="([^"]*)"')
DATA_MORE = re.compile(r'\bdata-more="([^"]*)"')
GRID_PICTURE = re.compile(r'<img[^>]+src="(https?://[^"]+)"')
STATIC_ASSET = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def gallery_url() -> str:
    url = os.environ.get("GALLERY_URL", "")
    if not url:
        raise SystemExit("Set GALLERY_URL to the public gallery (/s/<token>/) to load.")
    return url


def unescape(href: str) -> str:
    return href.replace("&amp;", "&")


class Visitor(FastHttpUser):
    """A client of the photographer, browsing the shared gallery on their own."""

    weight = 1
    wait_time = between(*VISITOR_WAIT)

    def on_start(self) -> None:
        self.gallery = urlsplit(gallery_url()).path
        self.photo_pages: list[str] = []
        self.next_page: str | None = None
        self.next_fragment: str | None = None
        self.scripted = random.random() < SCRIPT_SHARE
        self.csrf = ""
        self.list_started = False
        self.open_gallery(first_visit=True)

    # --- what the visitor does -----------------------------------------------------

    @task(3)
    def open_gallery(self, first_visit: bool = False) -> None:
        html = self.read_listing(self.gallery, "gallery page")
        if first_visit:
            # A new browser also fetches the page's styles and scripts, once.
            for asset in STATIC_ASSET.findall(html):
                self.client.get(unescape(asset), name="static file")

    @task(3)
    def more_photos(self) -> None:
        if self.scripted and self.next_fragment:
            self.read_listing(self.next_fragment, "gallery more photos (script)")
        elif not self.scripted and self.next_page:
            self.read_listing(self.next_page, "gallery next page")
        else:  # at the end of the gallery: back to its start
            self.open_gallery()

    @task(4)
    def open_photo(self) -> None:
        if not self.photo_pages:
            return self.open_gallery()
        with self.client.get(
            random.choice(self.photo_pages), name="photo page", catch_response=True
        ) as response:
            self.remember_csrf(response)

    @task(2)
    def heart(self) -> None:
        if not self.photo_pages or not self.csrf:
            return self.open_gallery()
        if not self.list_started:
            self.post(
                f"{self.gallery}favourites/start/",
                "favourites: start list",
                {
                    "name": f"Guest {secrets.token_hex(3)}",
                    "email": f"guest-{secrets.token_hex(4)}@example.com",
                },
            )
            self.list_started = True
        photo = random.choice(self.photo_pages).rstrip("/").rsplit("/", 1)[1]
        self.post(
            f"{self.gallery}favourites/{photo}/",
            "favourites: heart",
            {"hearted": "1"},
            # The list may be full (a limit) or already sent: a clear refusal is fine.
            acceptable=(200, 400, 409),
        )

    # --- helpers -------------------------------------------------------------------

    def read_listing(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return ""
            html = response.text or ""
            photos = PHOTO_LINK.findall(html)
            if not photos:
                response.failure("no photo links on the page")
                return ""
            self.photo_pages = list(dict.fromkeys(photos))
            self.remember_csrf(response)
            self.next_page = self.next_fragment = None
            more = NEXT_LINK.search(html)
            if more:
                href, fragment = HREF.search(more[0]), DATA_MORE.search(more[0])
                if href:
                    self.next_page = urljoin(url, unescape(href[1]).split("#")[0])
                if fragment:
                    self.next_fragment = urljoin(url, unescape(fragment[1]))
        pictures = GRID_PICTURE.findall(html)[:IMAGES_PER_PAGE]
        for picture in pictures:
            self.client.get(unescape(picture), name="S3: grid picture")
        return html

    def remember_csrf(self, response) -> None:
        found = CSRF_INPUT.search(response.text or "")
        if found:
            self.csrf = found.group(1)

    def post(self, url: str, name: str, data: dict, acceptable=(200,)) -> None:
        with self.client.post(
            url,
            name=name,
            data={"csrfmiddlewaretoken": self.csrf, **data},
            headers={
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": self.host + self.gallery,
                "X-CSRFToken": self.csrf,
            },
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code not in acceptable:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")


class ZipDownloader(FastHttpUser):
    """Someone saving the whole gallery: one long streamed response at a time."""

    fixed_count = int(os.environ.get("LOADTEST_ZIP_USERS", "2"))
    wait_time = between(2, 5)

    @task
    def download_zip(self) -> None:
        # LOADTEST_ZIP_HOST sends the ZIPs to another server (a pool of download
        # workers of its own, as a proxy would route them), e.g. http://127.0.0.1:8101.
        url = ZIP_HOST + f"{urlsplit(gallery_url()).path}zip/"
        started = time.perf_counter()
        received, error = 0, None
        response = self.client.get(url, name="ZIP: headers", stream=True)
        try:
            response.raise_for_status()
            expected = int(response.headers.get("content-length") or 0)
            for chunk in response.iter_content(256 * 1024, decode_content=False):
                received += len(chunk)
                # Read no faster than a client's connection would.
                ahead = received / ZIP_BYTES_PER_SECOND - (
                    time.perf_counter() - started
                )
                if ahead > 0:
                    time.sleep(ahead)
            if expected and received != expected:
                error = OSError(f"ZIP ended after {received} of {expected} bytes")
        except Exception as failure:  # noqa: BLE001 - reported as this request's error
            error = failure
        self.environment.events.request.fire(
            request_type="GET",
            name="ZIP: whole download",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=received,
            exception=error,
            context={},
        )


class Photographer(HttpUser):
    """Uploads through the API meanwhile, as the web uploader does."""

    fixed_count = int(os.environ.get("LOADTEST_PHOTOGRAPHERS", "2"))
    wait_time = between(3, 6)

    def on_start(self) -> None:
        self.samples = [(SAMPLES / name).read_bytes() for name in UPLOAD_SAMPLES]
        # As browsers do (RFC 9112, 9.3.1): a GET on a kept-alive connection that the
        # server closed at that very moment is sent again once, on a new connection.
        retry = Retry(
            total=1,
            connect=1,
            read=1,
            status=0,
            other=0,
            allowed_methods={"GET", "HEAD"},
            raise_on_status=False,
        )
        self.client.mount("http://", HTTPAdapter(max_retries=retry))
        self.sign_in()
        gallery = self.client.post(
            "/api/v1/galleries/",
            json={"title": f"Load test uploads {secrets.token_hex(3)}"},
            name="API: create gallery",
        )
        self.gallery_id = gallery.json()["id"]

    def sign_in(self) -> None:
        tokens = self.client.post(
            "/api/v1/auth/token/",
            json={
                "email": os.environ.get("DEMO_EMAIL", "demo@proofsheet.local"),
                "password": os.environ["DEMO_PASSWORD"],
            },
            name="API: sign in (JWT)",
        )
        tokens.raise_for_status()
        self.client.headers["Authorization"] = f"Bearer {tokens.json()['access']}"

    @task
    def upload_photo(self) -> None:
        # Unique bytes each time (a JPEG reader stops at its end marker), so the
        # gallery's one-copy-per-content rule does not refuse a repeat.
        data = random.choice(self.samples) + secrets.token_bytes(16)
        filename = f"IMG_{secrets.randbelow(10**6):06d}.jpg"
        started = time.perf_counter()
        start = self.client.post(
            f"/api/v1/galleries/{self.gallery_id}/photos/uploads/",
            json={
                "filename": filename,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            },
            name="API: start upload",
        )
        if start.status_code == 401:  # the 15-minute access token ran out
            return self.sign_in()
        if start.status_code != 201:
            return
        target, photo_id = start.json()["upload"], start.json()["photo"]["id"]
        began = time.perf_counter()
        sent, error = None, None
        try:
            sent = requests.post(
                target["url"],
                data=target["fields"],
                files={"file": (filename, data)},
                timeout=60,
            )
            if sent.status_code not in (200, 201, 204):
                error = OSError(f"HTTP {sent.status_code}: {sent.text[:200]}")
        except requests.RequestException as failure:
            error = failure
        self.environment.events.request.fire(
            request_type="POST",
            name="S3: presigned upload",
            response_time=(time.perf_counter() - began) * 1000,
            response_length=len(data),
            exception=error,
            context={},
        )
        if error:
            return
        self.client.post(
            f"/api/v1/uploads/{photo_id}/complete/",
            json={},
            name="API: complete upload",
        )
        self.wait_until_ready(photo_id, started)

    def wait_until_ready(self, photo_id: str, started: float) -> None:
        error, deadline = None, time.monotonic() + 120
        while True:
            photo = self.client.get(
                f"/api/v1/photos/{photo_id}/", name="API: poll photo"
            )
            status = photo.json().get("status") if photo.ok else "unknown"
            if status == "ready":
                break
            if status != "processing" or time.monotonic() > deadline:
                error = RuntimeError(f"photo ended {status}")
                break
            time.sleep(0.5)
        self.environment.events.request.fire(
            request_type="TASK",
            name="upload until ready",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )


# --- The summary and the verdict -------------------------------------------------------


# Statistics restart once every user has arrived (--reset-stats: latencies at full load,
# not the arrival burst), but a failure at any moment counts.
FAILURES_ALL_RUN = 0


@events.request.add_listener
def count_failure(exception=None, **kwargs) -> None:
    global FAILURES_ALL_RUN
    if exception is not None:
        FAILURES_ALL_RUN += 1


@events.quitting.add_listener
def summarize(environment, **kwargs) -> None:
    stats = environment.stats
    total = stats.total
    elapsed = max(
        (total.last_request_timestamp or total.start_time) - total.start_time, 1
    )
    rows = sorted(stats.entries.values(), key=lambda e: (e.method, e.name))
    print()
    print(
        f"{'request':<36}{'count':>8}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}"
        f"{'max':>8}{'errors':>8}"
    )
    for entry in [*rows, stats.total]:
        name = "ALL" if entry is stats.total else f"{entry.method} {entry.name}"
        print(
            f"{name[:35]:<36}{entry.num_requests:>8}"
            f"{entry.num_requests / elapsed:>8.1f}"
            f"{entry.get_response_time_percentile(0.50):>8.0f}"
            f"{entry.get_response_time_percentile(0.95):>8.0f}"
            f"{entry.get_response_time_percentile(0.99):>8.0f}"
            f"{entry.max_response_time or 0:>8.0f}"
            f"{entry.num_failures:>8}"
        )
    print("(times in ms; locust rounds percentiles above 100 ms to 10 ms)")
    for error in stats.errors.values():
        print(f"error x{error.occurrences}: {error.method} {error.name}: {error.error}")

    verdict = []
    failures = max(stats.total.num_failures, FAILURES_ALL_RUN)
    if stats.total.num_failures < FAILURES_ALL_RUN:
        print(
            f"{FAILURES_ALL_RUN - stats.total.num_failures} failures while users arrived"
        )
    if failures:
        verdict.append(f"{failures} failed requests")
    for entry in rows:
        if entry.name in TARGET_NAMES and entry.num_requests:
            p95 = entry.get_response_time_percentile(0.95)
            if p95 > P95_TARGET_MS:
                verdict.append(
                    f"{entry.name} p95 {p95:.0f} ms > {P95_TARGET_MS:.0f} ms"
                )
    if not any(e.name in TARGET_NAMES and e.num_requests for e in rows):
        verdict.append("no gallery page was loaded")
    options = environment.parsed_options
    users = options.num_users if options else "?"
    print(
        f"\n{stats.total.num_requests} requests in {elapsed:.0f} s "
        f"({stats.total.num_requests / elapsed:.1f}/s) with {users} users"
    )
    if verdict:
        print("TARGET MISSED: " + "; ".join(verdict))
        environment.process_exit_code = 1
    else:
        print(f"TARGET MET: no errors, gallery page p95 <= {P95_TARGET_MS:.0f} ms")
        environment.process_exit_code = 0
