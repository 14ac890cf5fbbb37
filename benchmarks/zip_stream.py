"""How fast a share link's ZIP streams, and how little memory the server needs for it.

    .venv/bin/python benchmarks/zip_stream.py [--files 400] [--mb 5.5] [--threads 4]
        [--cold] [--s3] [--dir var/bench/zip]

1. The first run generates a gallery of incompressible "photos" (os.urandom; 400 files
   of 5-6 MB, about 2.2 GB by default) in its own SQLite database and media folder
   under var/bench/zip/, and a share link allowing originals. Later runs with the same
   --files and --mb reuse it (delete the folder to start again).
2. It starts gunicorn as production runs it (config.wsgi, one gthread worker with
   --threads threads, DEBUG off) on a free loopback port.
3. It downloads the gallery's ZIP over HTTP as a browser would, reading and counting
   the bytes (none are kept), and checks the archive's end record lists every file.
   Meanwhile another "visitor" keeps asking for a single-photo download every 100 ms,
   to show whether the stream slows everyone else down.

It prints: the ZIP's size and whether Content-Length matched; time to the response
headers and to the first body byte; throughput; the serving worker's resident memory
(RSS: before the download, sampled every 0.2 s during it, and the kernel's high-water
mark VmHWM) and its CPU time; the other visitor's request latency idle and during the
stream.

Without --cold the files are likely in the page cache (they were just written or read),
so the figure is the server's own cost; --cold drops the page cache first (root, Linux)
to include the disk.

--s3 serves the photos from an S3 bucket instead, named as the site's own settings name
it (AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY; e.g. `eval "$(bin/services env)"` for radosgw on loopback); the
files are uploaded once (and reused while they are there).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

MB = 1_000_000
MIB = 1024 * 1024
LINK_TOKEN = "benchmark-zip-stream-link-0001"
SET_NAMES = ["Getting ready", "Ceremony", "Portraits", "Reception"]


def server_environment(directory: Path, s3: bool = False) -> dict[str, str]:
    """Production settings on this machine, with nothing from a developer's .env;
    photos on the local disk, or with `s3` in the bucket the AWS_* variables name."""
    dropped = ("DATABASE_", "REDIS_", "CACHE_", "CELERY_") + (() if s3 else ("AWS_",))
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(dropped)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_READ_DOT_ENV_FILE="false",
        DEBUG="false",
        SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
        MEDIA_ROOT=str(directory / "media"),
        LOG_LEVEL="WARNING",
        LOG_FORMAT="console",
        CELERY_TASK_ALWAYS_EAGER="true",
    )
    return env


# --- The gallery ------------------------------------------------------------------------


def prepare(directory: Path, files: int, mb: float) -> dict:
    """Make (or reuse) the gallery; returns what the download should hold."""
    wanted = {"files": files, "mb": mb, "token": LINK_TOKEN}
    marker = directory / "gallery.json"
    if marker.exists():
        made = json.loads(marker.read_text())
        if {k: made.get(k) for k in wanted} == wanted:
            media = directory / "media"
            present = sum(1 for path in media.rglob("original.jpg") if path.is_file())
            if present == files:
                print(f"Reusing the gallery in {directory}")
                return made
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)

    os.environ.update(server_environment(directory))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from accounts.models import User
    from galleries.filestore import original_name
    from galleries.models import Gallery, GallerySet, Photo
    from sharing.models import ShareLink

    owner = User.objects.create_user(email="bench@proofsheet.local", password=None)
    gallery = Gallery.objects.create(owner=owner, title="Benchmark: Anna & Ben")
    sets = [
        GallerySet.objects.create(gallery=gallery, name=name, position=n)
        for n, name in enumerate(SET_NAMES)
    ]
    sizes = random.Random(files).choices(
        range(int(mb * MB * 0.9), int(mb * MB * 1.1)), k=files
    )
    total = 0
    started = time.perf_counter()
    print(f"Writing {files} files of random bytes (~{files * mb:.0f} MB)...", end="")
    sys.stdout.flush()
    for number, size in enumerate(sizes, start=1):
        photo = Photo(
            gallery=gallery,
            photo_set=sets[(number - 1) * len(sets) // files],
            original_filename=f"IMG_{number:04d}.jpg",
            size=size,
            sha256=f"{number:064x}",
            mime_type="image/jpeg",
            status=Photo.Status.READY,
            width=6000,
            height=4000,
            position=number,
        )
        photo.original.name = original_name(photo, photo.original_filename)
        path = directory / "media" / photo.original.name
        path.parent.mkdir(parents=True, exist_ok=True)
        crc = 0
        with open(path, "wb") as handle:
            left = size
            while left:
                piece = os.urandom(min(left, 4 * MIB))
                handle.write(piece)
                crc = zlib.crc32(piece, crc)
                left -= len(piece)
        photo.crc32 = crc  # as processing counts it: the ZIP's headers carry it
        photo.save()
        total += size
    print(f" {time.perf_counter() - started:.0f} s")
    ShareLink.objects.create(
        gallery=gallery, label="Benchmark", token=LINK_TOKEN, downloads="original"
    )
    made = {
        **wanted,
        "bytes": total,
        "photo": str(gallery.photos.first().pk),
    }
    marker.write_text(json.dumps(made))
    return made


def upload_to_bucket(directory: Path, files: int) -> None:
    """Copy the gallery's files into the bucket, unless they are there already."""
    import boto3

    bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
    client = boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME") or "us-east-1",
    )
    media = directory / "media"
    (gallery,) = (media / "photos").iterdir()
    prefix = f"photos/{gallery.name}/"
    stored = sum(
        len(page.get("Contents", []))
        for page in client.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix
        )
    )
    if stored == files:
        print(f"Reusing the gallery's files in bucket {bucket}")
        return
    started = time.perf_counter()
    print(f"Uploading {files} files to bucket {bucket}...", end="")
    sys.stdout.flush()
    for path in sorted(gallery.rglob("original.jpg")):
        client.upload_file(str(path), bucket, path.relative_to(media).as_posix())
    print(f" {time.perf_counter() - started:.0f} s")


# --- The server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    directory: Path, port: int, threads: int, s3: bool
) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=server_environment(directory, s3),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "HEAD", f"/s/{LINK_TOKEN}/zip/")
            if status == 200:
                return server
            break
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start, or did not serve the ZIP")


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise SystemExit(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def proc_status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise KeyError(field)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request(port: int, method: str, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


# --- The download -----------------------------------------------------------------------


class Sampler(threading.Thread):
    """Reads the worker's RSS every 0.2 s until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.samples.append(proc_status_mb(self.pid, "VmRSS"))


class Visitor(threading.Thread):
    """Another visitor downloading single photos while the ZIP streams."""

    def __init__(self, port: int, path: str):
        super().__init__(daemon=True)
        self.port, self.path, self.latencies = port, path, []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.1):
            status, seconds = request(self.port, "GET", self.path)
            assert status == 302, status
            self.latencies.append(seconds)


def download(port: int, path: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    headers_at = time.perf_counter() - started
    assert response.status == 200, response.status
    announced = int(response.getheader("Content-Length"))
    first = response.read(64 * 1024)
    first_byte_at = time.perf_counter() - started
    received, tail = len(first), first
    while chunk := response.read(MIB):
        received += len(chunk)
        tail = (tail + chunk)[-(64 * 1024) :]
    elapsed = time.perf_counter() - started
    connection.close()
    return {
        "announced": announced,
        "received": received,
        "headers_s": headers_at,
        "first_byte_s": first_byte_at,
        "elapsed_s": elapsed,
        "tail": tail,
        "disposition": response.getheader("Content-Disposition"),
    }


def entries_in_end_record(tail: bytes) -> int:
    """The file count in the ZIP's end-of-central-directory record."""
    at = tail.rfind(b"PK\x05\x06")
    if at < 0:
        raise SystemExit("no ZIP end record: the archive is broken")
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


def drop_page_cache() -> None:
    subprocess.run(["sync"], check=True)
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--mb", type=float, default=5.5, help="average MB per file")
    parser.add_argument("--threads", type=int, default=4, help="gthread threads")
    parser.add_argument("--cold", action="store_true", help="drop the page cache first")
    parser.add_argument(
        "--s3", action="store_true", help="serve from the bucket AWS_* env names"
    )
    parser.add_argument("--dir", type=Path, default=REPO / "var" / "bench" / "zip")
    args = parser.parse_args()
    if args.s3 and not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        parser.error("--s3 needs AWS_STORAGE_BUCKET_NAME (and the other AWS_* values)")

    gallery = prepare(args.dir.resolve(), args.files, args.mb)
    if args.s3:
        upload_to_bucket(args.dir.resolve(), args.files)
    port = free_port()
    server = start_server(args.dir.resolve(), port, args.threads, args.s3)
    try:
        pid = worker_pid(server.pid)
        zip_path = f"/s/{LINK_TOKEN}/zip/"
        photo_path = f"/s/{LINK_TOKEN}/p/{gallery['photo']}/download/"
        # Warm up: imports, the URL map, a database connection, the archive's plan.
        request(port, "HEAD", zip_path)
        idle = [request(port, "GET", photo_path)[1] for _ in range(30)]
        if args.cold:
            drop_page_cache()
        baseline = proc_status_mb(pid, "VmRSS")
        cpu_before = cpu_seconds(pid)
        sampler, visitor = Sampler(pid), Visitor(port, photo_path)
        sampler.start()
        visitor.start()
        result = download(port, zip_path)
        visitor.stop.set()
        sampler.stop.set()
        visitor.join()
        sampler.join()
        cpu = cpu_seconds(pid) - cpu_before
        peak = proc_status_mb(pid, "VmHWM")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    entries = entries_in_end_record(result["tail"])
    size_mb = result["received"] / MB
    busy = visitor.latencies or [float("nan")]
    print(
        f"\nZIP of {gallery['files']} files, {gallery['bytes'] / MB:,.0f} MB of photos "
        f"{'from the bucket' if args.s3 else 'from the local disk'} "
        f"({'cold' if args.cold else 'warm'} page cache), "
        f"gunicorn gthread, 1 worker x {args.threads} threads"
    )
    print(f"  {result['disposition']}")
    print(
        f"  size              {size_mb:,.1f} MB; Content-Length "
        f"{'matched' if result['announced'] == result['received'] else 'DID NOT MATCH'}"
        f"; end record lists {entries} files"
    )
    print(f"  headers after     {result['headers_s'] * 1000:.1f} ms")
    print(f"  first byte after  {result['first_byte_s'] * 1000:.1f} ms")
    print(
        f"  throughput        {size_mb / result['elapsed_s']:,.0f} MB/s "
        f"({result['elapsed_s']:.1f} s)"
    )
    print(
        f"  worker RSS        {baseline:.0f} MB before; during the stream "
        f"max {max(sampler.samples, default=baseline):.0f} MB, "
        f"median {statistics.median(sampler.samples or [baseline]):.0f} MB "
        f"({len(sampler.samples)} samples); VmHWM {peak:.0f} MB"
    )
    print(f"  worker CPU        {cpu:.1f} s ({cpu / (size_mb / 1000):.2f} s per GB)")
    print(
        f"  another visitor   idle median {statistics.median(idle) * 1000:.1f} ms; "
        f"during the stream median {statistics.median(busy) * 1000:.1f} ms, "
        f"max {max(busy) * 1000:.1f} ms ({len(visitor.latencies)} requests)"
    )
    if result["announced"] != result["received"] or entries != gallery["files"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
