"""How long the server takes to answer a visitor of a gallery with 1,000 photos.

    .venv/bin/python benchmarks/public_gallery.py [--photos 1000] [--runs 50]
        [--seconds 5] [--database-url sqlite:///...]

What it measures: the public gallery page (`sharing:gallery`, /s/<token>/: cover, sets,
the first page of the grid), the next page of the grid as the page's script fetches it,
and one photo's own page, each answered in-process by Django's test client through the
whole middleware stack: the time from request to complete response (view, queries,
template, signed URLs for every picture, analytics counting), the number of SQL queries
and the bytes of HTML. Neither network nor browser is in these figures: bin/lighthouse
measures what a phone sees.

How: a gallery of --photos ready photos with real files and an open share link is seeded
once with `seed_gallery` (reused on later runs) in a database of its own,
var/benchmarks/public_gallery/ (SQLite unless --database-url names another, e.g. the
PostgreSQL of bin/services), with production settings (DEBUG off). Each page is fetched
5 times to warm up, then --runs times: median, 95th percentile and fastest, in ms.

"cold" repeats the first page with the cache of signed file URLs emptied before each
request: what the first visitor of the hour costs a freshly started worker (local
storage signs a token per photo and caches it for the hour; on S3 every URL is
presigned on each request, so S3 figures are always "cold").

Throughput, requests per second per worker: the photo list API
(/api/v1/share/<token>/photos/?page_size=100, JSON), the gallery page and its next
page (the fragment the page's script fetches), each asked for back to back for
--seconds by one client in this one process, after 20 requests to warm up: one
worker answering one request at a time, through the whole middleware stack, with
the throttle counting (the client's address changes every 20 requests, as a
venue's guests would, so the throttle's rate is never reached). requests/s is the
requests completed divided by the wall time they took, the test client's own cost
included (it is the same before and after a change). On a machine other work
shares, the wall clock wanders with the load; "req/CPU-s" divides by the CPU time
this process spent instead (SQLite runs inside it), which wanders far less.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TOKEN = "benchmark-public-gallery"
WORK = REPO / "var" / "benchmarks" / "public_gallery"
# As a browser asks: the page is compressed for it, and compressing is server time.
BROWSER_HEADERS = {
    "HTTP_ACCEPT": "text/html,*/*;q=0.8",
    "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
    "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 11) benchmarks/public_gallery.py",
}


@dataclass
class Figures:
    label: str
    times_ms: list[float]
    queries: int
    size: int
    wire: int

    def row(self) -> str:
        times = sorted(self.times_ms)
        p95 = statistics.quantiles(times, n=100, method="inclusive")[94]
        return (
            f"  {self.label:<22} {statistics.median(times):8.1f} {p95:8.1f} "
            f"{times[0]:8.1f} {self.queries:8d} {self.size / 1024:9.0f} "
            f"{self.wire / 1024:9.0f}"
        )


def configure(database_url: str) -> None:
    """Production settings, less HTTPS, on a database and media folder of our own."""
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_READ_DOT_ENV_FILE": "false",
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(WORK / "media"),
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def measure(client, url: str, runs: int, label: str, before=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        response = client.get(url, **BROWSER_HEADERS)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered HTTP {response.status_code}, not 200.")
    times = []
    for _ in range(runs):
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, **BROWSER_HEADERS)
            wire = response.content  # a streamed body counts too
            times.append((time.perf_counter() - started) * 1000)
    html = gzip.decompress(wire) if response.get("Content-Encoding") == "gzip" else wire
    return Figures(label, times, len(queries), len(html), len(wire)), html.decode()


def throughput(
    client, url: str, seconds: float, headers: dict
) -> tuple[float, float, int]:
    """Requests per second one worker answers `url` with, asked back to back, by the
    wall clock and by this process's CPU time; and the bytes of the last answer."""
    for number in range(20):
        response = client.get(url, REMOTE_ADDR=f"10.9.0.{number}", **headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered HTTP {response.status_code}, not 200.")
    done, started, cpu = 0, time.perf_counter(), time.process_time()
    deadline = started + seconds
    while True:
        address = f"10.{done // 5120 % 256}.{done // 20 % 256}.1"
        response = client.get(url, REMOTE_ADDR=address, **headers)
        response.content  # noqa: B018 - a streamed body counts too
        if response.status_code != 200:
            raise SystemExit(f"{url} answered HTTP {response.status_code}, not 200.")
        done += 1
        now = time.perf_counter()
        if now >= deadline:
            cpu = time.process_time() - cpu
            return done / (now - started), done / cpu, len(response.content)


def next_page_url(html: str) -> str | None:
    """The grid's next page as the page's script fetches it (data-more), else as the
    page links to it (rel="next")."""
    for pattern in (
        r'\bdata-more="([^"]+)"',
        r'<(?:a|link)\b[^>]*\brel="next"[^>]*\bhref="([^"]+)"',
        r'<(?:a|link)\b[^>]*\bhref="([^"]+)"[^>]*\brel="next"',
    ):
        match = re.search(pattern, html)
        if match:
            return unescape(match.group(1))
    return None


def photo_page_url(html: str, token: str) -> str | None:
    match = re.search(rf'href="(/s/{re.escape(token)}/p/[0-9a-f-]{{36}}/)"', html)
    return match.group(1) if match else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--seconds",
        type=float,
        default=5,
        help="how long each throughput figure is measured for (0: none)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCHMARK_DATABASE_URL", f"sqlite:///{WORK / 'db.sqlite3'}"
        ),
    )
    args = parser.parse_args()
    configure(args.database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from galleries import signed_urls

    call_command("migrate", verbosity=0)
    call_command(
        "seed_gallery",
        photos=args.photos,
        link_token=TOKEN,
        email="benchmark@proofsheet.local",
        title=f"Benchmark gallery ({args.photos})",
    )

    client = Client()
    url = reverse("sharing:gallery", args=[TOKEN])
    rows = []
    first, html = measure(client, url, args.runs, "first page")
    rows.append(first)
    linked = set(re.findall(rf"/s/{TOKEN}/p/([0-9a-f-]{{36}})/", html))
    shown = len(linked - {"00000000-0000-0000-0000-000000000000"})
    rows.append(
        measure(
            client,
            url,
            args.runs,
            "first page, cold",
            before=signed_urls._folder_token.cache_clear,
        )[0]
    )
    following = next_page_url(html)
    if following:
        rows.append(measure(client, following, args.runs, "next page (fragment)")[0])
    photo = photo_page_url(html, TOKEN)
    if photo:
        rows.append(measure(client, photo, args.runs, "a photo's page")[0])

    database = connection.vendor
    storage = "S3" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "local disk"
    print(
        f"\nPublic gallery of {args.photos:,} photos: {url}\n"
        f"  first page shows {shown} photos; next page: {following or 'none found'}\n"
        f"  Python {platform.python_version()}, {database}, {storage}, "
        f"{os.cpu_count()} cores; {args.runs} runs after 5 to warm up\n"
    )
    print(
        f"  {'':<22} {'median':>8} {'p95':>8} {'fastest':>8} {'queries':>8} "
        f"{'KiB HTML':>9} {'KiB gzip':>9}"
    )
    print("\n".join(row.row() for row in rows))

    if not args.seconds:
        return
    api = reverse("api:share-photo-list", args=[TOKEN]) + "?page_size=100"
    targets = [("photo list API (100)", api, {"HTTP_ACCEPT": "application/json"})]
    targets.append(("gallery page", url, BROWSER_HEADERS))
    if following:
        targets.append(("next page (fragment)", following, BROWSER_HEADERS))
    print(
        f"\n  Requests per second per worker (one process, sequential, "
        f"{args.seconds:g} s each)\n  {'':<22} {'req/s':>8} {'ms/req':>8} "
        f"{'req/CPU-s':>10} {'KiB body':>9}"
    )
    for label, target, headers in targets:
        rate, per_cpu, size = throughput(client, target, args.seconds, headers)
        print(
            f"  {label:<22} {rate:8.1f} {1000 / rate:8.2f} {per_cpu:10.1f} "
            f"{size / 1024:9.0f}"
        )


if __name__ == "__main__":
    main()
