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

--against REV measures this code and the code of commit REV side by side, in one run:
REV is checked out (git archive) under var/benchmarks/against/, each side seeds the
same gallery in a database of its own, and two worker processes, one per side, answer
the same three requests in turns of --slice seconds (the first side alternating), so
that whatever else the machine does lands on both alike. It prints each side's
requests per second and per CPU-second, and the ratio this/REV.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path

# --against runs this same script as a worker inside a checkout of another commit:
# BENCHMARK_REPO names that checkout, whose code (and own database) it then measures.
REPO = Path(os.environ.get("BENCHMARK_REPO") or Path(__file__).resolve().parents[1])
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


def throughput_targets(token: str, page_html: str) -> list[tuple[str, str, dict]]:
    from django.urls import reverse

    api = reverse("api:share-photo-list", args=[token]) + "?page_size=100"
    url = reverse("sharing:gallery", args=[token])
    targets = [("photo list API (100)", api, {"HTTP_ACCEPT": "application/json"})]
    targets.append(("gallery page", url, BROWSER_HEADERS))
    following = next_page_url(page_html)
    if following:
        targets.append(("next page (fragment)", following, BROWSER_HEADERS))
    return targets


def seeded(photos: int):
    """Seed the gallery (reused when there): a client and the page's HTML."""
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    call_command(
        "seed_gallery",
        photos=photos,
        link_token=TOKEN,
        email="benchmark@proofsheet.local",
        title=f"Benchmark gallery ({photos})",
    )
    client = Client()
    response = client.get(reverse("sharing:gallery", args=[TOKEN]), **BROWSER_HEADERS)
    html = response.content
    if response.get("Content-Encoding") == "gzip":
        html = gzip.decompress(html)
    return client, html.decode()


def side_worker(photos: int) -> None:
    """One side of --against: seed, then answer "index seconds" lines on stdin with
    "requests wall cpu" for that many seconds of one target, until stdin closes."""
    from django.core.management import call_command

    configure(f"sqlite:///{WORK / 'db.sqlite3'}")
    call_command("collectstatic", interactive=False, verbosity=0)
    client, html = seeded(photos)
    targets = throughput_targets(TOKEN, html)
    # Seeding talks on stdout too: the answers to the other side start with "@@".
    print("@@", " | ".join(label for label, _, _ in targets), flush=True)
    done = 0
    for line in sys.stdin:
        index, seconds = line.split()
        _, url, headers = targets[int(index)]
        count, started, cpu = 0, time.perf_counter(), time.process_time()
        deadline = started + float(seconds)
        while True:
            address = f"10.{done // 5120 % 256}.{done // 20 % 256}.1"
            response = client.get(url, REMOTE_ADDR=address, **headers)
            response.content  # noqa: B018 - a streamed body counts too
            if response.status_code != 200:
                raise SystemExit(f"{url} answered HTTP {response.status_code}")
            count, done = count + 1, done + 1
            if time.perf_counter() >= deadline:
                break
        wall = time.perf_counter() - started
        print("@@", count, wall, time.process_time() - cpu, flush=True)


def checkout(rev: str) -> Path:
    """REV's tree under var/benchmarks/against/<sha> (made once; media and database
    stay there between runs)."""
    sha = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short=12", rev],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    target = REPO / "var" / "benchmarks" / "against" / sha
    if not (target / "manage.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.Popen(
            ["git", "-C", str(REPO), "archive", sha], stdout=subprocess.PIPE
        )
        subprocess.run(
            ["tar", "-x", "-C", str(target)], stdin=archive.stdout, check=True
        )
        if archive.wait():
            raise SystemExit(f"git archive {sha} failed")
    samples = target / "samples"
    if not samples.exists():
        samples.symlink_to(REPO / "samples")
    return target


def answer(worker: subprocess.Popen) -> str:
    """The next line a side worker meant for us (what seeding prints is passed on)."""
    while True:
        line = worker.stdout.readline()
        if not line:
            raise SystemExit("a side worker stopped; its error is above")
        if line.startswith("@@ "):
            return line[3:].strip()
        print("    " + line.rstrip(), flush=True)


def against(rev: str, photos: int, seconds: float, slice_seconds: float) -> None:
    sides = {"this": REPO, rev: checkout(rev)}
    workers = {}
    for name, repo in sides.items():
        print(f"  seeding and warming up: {name} ({repo})", flush=True)
        workers[name] = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--photos", str(photos)],
            env={**os.environ, "BENCHMARK_REPO": str(repo), "BENCHMARK_SIDE": "1"},
            cwd=repo,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
    labels = {name: answer(w).split(" | ") for name, w in workers.items()}
    if len({tuple(v) for v in labels.values()}) != 1:
        raise SystemExit(f"the two sides fetch different things: {labels}")
    names = list(workers)
    print(
        f"\n  Requests per second per worker, side by side ({seconds:g} s each, "
        f"in turns of {slice_seconds:g} s)\n  {'':<22} "
        + "".join(f"{n[:12]:>12} {'/CPU-s':>8}" for n in names)
        + f" {'ratio':>8} {'by CPU':>8}"
    )
    for index, label in enumerate(labels["this"]):
        totals = {name: [0, 0.0, 0.0] for name in names}
        for turn in range(max(1, round(seconds / slice_seconds))):
            for name in names if turn % 2 == 0 else reversed(names):
                worker = workers[name]
                worker.stdin.write(f"{index} {slice_seconds}\n")
                worker.stdin.flush()
                count, wall, cpu = answer(worker).split()
                totals[name][0] += int(count)
                totals[name][1] += float(wall)
                totals[name][2] += float(cpu)
        rates = {n: (t[0] / t[1], t[0] / t[2]) for n, t in totals.items()}
        this, other = rates[names[0]], rates[names[1]]
        print(
            f"  {label:<22} "
            + "".join(f"{r[0]:12.1f} {r[1]:8.1f}" for r in rates.values())
            + f" {this[0] / other[0]:7.2f}x {this[1] / other[1]:7.2f}x",
            flush=True,
        )
    for worker in workers.values():
        worker.stdin.close()
        worker.wait()


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
    parser.add_argument(
        "--against",
        metavar="REV",
        help="measure throughput side by side with the code of commit REV",
    )
    parser.add_argument(
        "--slice",
        type=float,
        default=0.5,
        help="with --against: each side's turn, in seconds",
    )
    args = parser.parse_args()
    if os.environ.get("BENCHMARK_SIDE"):
        side_worker(args.photos)
        return
    if args.against:
        against(args.against, args.photos, args.seconds or 5, args.slice)
        return
    configure(args.database_url)
    client, _ = seeded(args.photos)
    from django.db import connection
    from django.urls import reverse

    from galleries import signed_urls

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
    targets = throughput_targets(TOKEN, html)
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
