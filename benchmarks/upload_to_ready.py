"""Upload to ready, end to end: a wedding's photos through the presigned flow.

    .venv/bin/python benchmarks/upload_to_ready.py [--photos 400] [--parallel 3]
        [--quick] [--base-url http://127.0.0.1:8100] [--broker-url redis://...]
        [--email ...] [--password ...] [--keep]

What it measures: the photographer's real wait after a shoot. --photos camera JPEGs of
24 MP (6000x4000, about 8 MB each) are uploaded through the API as the web uploader
sends them, --parallel at a time (uploader.js sends 3): start the upload (quota,
a row, a presigned POST), POST the bytes straight to the bucket, confirm; the Celery
workers then make each photo's renditions. It prints

- the time from the first upload's start until the last photo is ready;
- photos per minute, in all and per worker process (a "worker core": the worker runs
  one process per core it is given, WORKER_CONCURRENCY);
- each step per photo (median, p95, max, and its share of the photo's wait): start,
  upload to the bucket, confirm, queue wait (confirmed until a worker starts the
  task), processing (the task's run) - and which is the slowest.

Where the figures come from: the first three are what the client sees (each request's
start and end). Queue wait and processing come from the worker's own Celery task events
(task-received names the photo, task-started and task-succeeded carry the worker's
timestamps), switched on for the run with a broadcast `enable_events` and off again
after it; the application records no claim or ready time (`uploaded_at` is the start
of the upload only). Without a broker to listen to (--base-url of a stack whose
Redis this machine cannot reach), only the client's view remains: the photos are
polled as ready through the API every 0.5 s, and queue wait and processing are one
step, "confirmed until ready". Timestamps of client and worker compare only on one
machine (or with synchronised clocks).

The stack: without --base-url it runs on `bin/prodstack` (gunicorn, Celery worker and
beat under supervisord on bin/services' PostgreSQL, Redis and radosgw), starting it if
it is not running (and stopping it again after, if it started it), and reads the demo
login and the broker from var/prodstack/env. On a machine shared with other people
using those services, hold their lock (see docs/production.md).

The photos: one real sample photo (samples/photos/camera/iphone_hdr_NO.jpg, 3264x2448)
cropped to 3:2, upscaled to 6000x4000, given sensor-like grain and saved as a quality-92
JPEG (about 8 MB, as a 24 MP camera writes), once, into
var/benchmarks/upload_to_ready/ (git-ignored). Each photo is that JPEG with its own
EXIF block (camera, a DateTimeOriginal two seconds after the previous photo's, an
ImageUniqueID): the same pixels, so every photo costs the workers the same, but its own
bytes and SHA-256, so the duplicate check takes each as a new photo. Files are written
once and reused.

A gallery of its own is created for the run and deleted after it (--keep leaves it).
--quick: 12 photos, for a check that everything works (a minute or less).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "var" / "benchmarks" / "upload_to_ready"
SOURCE = REPO / "samples" / "photos" / "camera" / "iphone_hdr_NO.jpg"
PRODSTACK_ENV = REPO / "var" / "prodstack" / "env"
DEFAULT_URL = "http://127.0.0.1:8100"
DEMO_EMAIL = "demo@proofsheet.local"
SIZE = (6000, 4000)
QUICK_PHOTOS = 12
TIMEOUT = 60
POLL_SECONDS = 0.5
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PROCESS_PHOTO = "galleries.tasks.process_photo"


# --- The photos ---------------------------------------------------------------------------


def base_jpeg() -> bytes:
    """The 24 MP picture every photo shares, made once from a real sample photo."""
    path = WORK / "base_24mp.jpg"
    if path.exists():
        return path.read_bytes()
    from PIL import Image, ImageChops, ImageOps

    WORK.mkdir(parents=True, exist_ok=True)
    with Image.open(SOURCE) as source:
        photo = ImageOps.exif_transpose(source).convert("RGB")
    width, height = photo.size
    crop_height = width * 2 // 3  # 3:2, as a full-frame sensor
    top = (height - crop_height) // 2
    photo = photo.crop((0, top, width, top + crop_height))
    photo = photo.resize(SIZE, Image.Resampling.BICUBIC)
    # Sensor-like grain: what makes an upscaled photo weigh what a camera file weighs.
    # Image.effect_noise draws from C's rand(), so the grain is not the same from one
    # machine to the next; the base is made once and kept.
    grain = Image.effect_noise(SIZE, 6)
    photo = ImageChops.add(photo, Image.merge("RGB", (grain,) * 3), offset=-128)
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=92)  # no EXIF: each photo adds its own
    path.write_bytes(out.getvalue())
    return out.getvalue()


def exif_segment(index: int) -> bytes:
    """An APP1 (EXIF) segment of a camera's usual tags, its own for each photo."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Proofsheet benchmark"  # Make
    exif[0x0110] = "24 MP camera"  # Model
    exif[0x0112] = 1  # Orientation: upright
    taken = time.gmtime(time.mktime((2026, 6, 20, 14, 0, 0, 0, 0, 0)) + 2 * index)
    sub = exif.get_ifd(0x8769)  # the Exif IFD
    sub[0x9003] = time.strftime("%Y:%m:%d %H:%M:%S", taken)  # DateTimeOriginal
    sub[0xA420] = f"{index:032x}"  # ImageUniqueID
    sub[0xA002], sub[0xA003] = SIZE  # PixelXDimension, PixelYDimension
    payload = b"Exif\x00\x00" + exif.tobytes()
    return b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload


def make_photos(count: int) -> list[Path]:
    """photo_0001.jpg ...: the base JPEG with each photo's own EXIF after its SOI."""
    folder = WORK / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"photo_{i:04d}.jpg" for i in range(1, count + 1)]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"making {len(missing)} photos of 24 MP in {folder.relative_to(REPO)}/")
        base = base_jpeg()
        assert base[:2] == b"\xff\xd8"
        for path in missing:
            index = int(path.stem.split("_")[1])
            path.write_bytes(base[:2] + exif_segment(index) + base[2:])
    return paths


# --- The stack ----------------------------------------------------------------------------


def prodstack_env() -> dict[str, str]:
    """The exported settings of var/prodstack/env (bin/prodstack writes it)."""
    values: dict[str, str] = {}
    if PRODSTACK_ENV.exists():
        for line in PRODSTACK_ENV.read_text().splitlines():
            if line.startswith("export ") and "=" in line:
                name, _, value = line.removeprefix("export ").partition("=")
                parsed = shlex.split(value)
                values[name] = parsed[0] if parsed else ""
    return values


def prodstack(command: str) -> None:
    subprocess.run([str(REPO / "bin" / "prodstack"), command], check=True)


def prodstack_running() -> bool:
    return (
        subprocess.run(
            [str(REPO / "bin" / "prodstack"), "status"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ).returncode
        == 0
    )


# --- One photo ----------------------------------------------------------------------------


@dataclass
class Upload:
    path: Path
    photo_id: str = ""
    state: str = "waiting"  # confirmed, ready, failed
    message: str = ""
    # The client's clock (time.time()): each step's start and end.
    start_sent: float = 0.0
    start_done: float = 0.0
    upload_done: float = 0.0
    confirm_done: float = 0.0
    # The worker's (task events), or the poll's when there are none.
    task_started: float | None = None
    task_done: float | None = None
    ready_seen: float | None = None

    @property
    def ready_at(self) -> float | None:
        return self.task_done if self.task_done is not None else self.ready_seen


class Client:
    def __init__(self, base: str, email: str, password: str):
        self.base, self.email, self.password = base.rstrip("/"), email, password
        self.api = requests.Session()
        self._local = threading.local()
        self.sign_in()

    def sign_in(self) -> None:
        answer = requests.post(
            f"{self.base}/api/v1/auth/token/",
            json={"email": self.email, "password": self.password},
            timeout=TIMEOUT,
        )
        if answer.status_code != 200:
            raise SystemExit(f"signing in as {self.email}: HTTP {answer.status_code}")
        self.api.headers["Authorization"] = f"Bearer {answer.json()['access']}"

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        url = path if path.startswith("http") else f"{self.base}/api/v1{path}"
        answer = self.api.request(method, url, timeout=TIMEOUT, **kwargs)
        if answer.status_code == 401:  # the access token expired (15 min): again
            self.sign_in()
            answer = self.api.request(method, url, timeout=TIMEOUT, **kwargs)
        return answer

    def bucket(self) -> requests.Session:
        """A session per thread for the bucket: kept connections, no token."""
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def send(self, gallery_id: str, upload: Upload) -> Upload:
        """Start, send the bytes where the answer says, confirm."""
        data = upload.path.read_bytes()
        upload.start_sent = time.time()
        answer = self.call(
            "POST",
            f"/galleries/{gallery_id}/photos/uploads/",
            json={
                "filename": upload.path.name,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
        upload.start_done = time.time()
        if answer.status_code != 201:
            return failed(upload, f"start: HTTP {answer.status_code} {answer.text}")
        body = answer.json()
        upload.photo_id, target = body["photo"]["id"], body["upload"]
        if target["method"] != "POST":
            return failed(upload, f"a {target['method']} upload, not a presigned POST")
        stored = self.bucket().post(
            target["url"],
            data=target["fields"],
            files={"file": (upload.path.name, data, "image/jpeg")},
            timeout=TIMEOUT,
        )
        upload.upload_done = time.time()
        if stored.status_code >= 300:
            return failed(upload, f"bucket: HTTP {stored.status_code}")
        answer = self.call("POST", f"/uploads/{upload.photo_id}/complete/", json={})
        upload.confirm_done = time.time()
        if answer.status_code != 200:
            return failed(upload, f"confirm: HTTP {answer.status_code} {answer.text}")
        upload.state = "confirmed"
        return upload

    def photo_states(self, gallery_id: str) -> dict[str, str]:
        """Every photo of the gallery and its status (all pages), once at the end."""
        states: dict[str, str] = {}
        url = f"{self.base}/api/v1/galleries/{gallery_id}/photos/"
        while url:
            answer = self.call("GET", url)
            answer.raise_for_status()
            body = answer.json()
            states.update({p["id"]: p["status"] for p in body["results"]})
            url = body.get("next")
        return states


def polled_ready_times(uploads: list[Upload], counts: list[tuple[float, int]]) -> None:
    """Without task events: the k-th photo confirmed is taken as the k-th seen ready
    (the queue is first in, first out; with several workers, nearly so)."""
    moments: list[float] = []
    for when, count in counts:
        moments += [when] * max(0, count - len(moments))
    ready = sorted(
        (u for u in uploads if u.state == "ready"), key=lambda u: u.confirm_done
    )
    for upload, when in zip(ready, moments, strict=False):
        upload.ready_seen = when


def failed(upload: Upload, message: str) -> Upload:
    upload.state, upload.message = "failed", message[:300]
    return upload


# --- The worker's view: Celery task events ---------------------------------------------


class TaskEvents:
    """Listens to the worker's task events: when each photo's task started and ended."""

    def __init__(self, broker_url: str):
        from celery import Celery

        self.app = Celery("upload_to_ready", broker=broker_url)
        self.photo_of: dict[str, str] = {}  # task id -> photo id
        self.runs: dict[str, list[dict]] = {}  # photo id -> its tasks' runs
        self._started: dict[str, float] = {}
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._receiver = None
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self.error: str = ""

    def workers(self) -> dict[str, int]:
        """Each worker's name and number of processes (its pool's concurrency)."""
        stats = self.app.control.inspect(timeout=3).stats() or {}
        return {
            name: int(info.get("pool", {}).get("max-concurrency", 1))
            for name, info in stats.items()
        }

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)
        self.app.control.enable_events()

    def stop(self) -> None:
        try:
            self.app.control.disable_events()
        finally:
            if self._receiver is not None:
                self._receiver.should_stop = True
            self._thread.join(5)

    def _listen(self) -> None:
        try:
            with self.app.connection_for_read() as connection:
                self._receiver = self.app.events.Receiver(
                    connection,
                    handlers={
                        "task-received": self._received,
                        "task-started": self._began,
                        "task-succeeded": self._ended,
                        "task-failed": self._ended,
                        "*": lambda event: None,
                    },
                )
                self._ready.set()
                self._receiver.capture(limit=None, timeout=None, wakeup=True)
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            self.error = f"{type(error).__name__}: {error}"
            self._ready.set()

    def _received(self, event: dict) -> None:
        if event.get("name") != PROCESS_PHOTO:
            return
        found = UUID.search(str(event.get("args", "")))
        if found:
            with self._lock:
                self.photo_of[event["uuid"]] = found.group(0)

    def _began(self, event: dict) -> None:
        with self._lock:
            self._started[event["uuid"]] = event["timestamp"]

    def _ended(self, event: dict) -> None:
        with self._lock:
            photo = self.photo_of.get(event["uuid"])
            began = self._started.get(event["uuid"])
            if photo is None or began is None:
                return
            self.runs.setdefault(photo, []).append(
                {
                    "started": began,
                    "ended": event["timestamp"],
                    "ok": event["type"] == "task-succeeded",
                }
            )

    def apply(self, uploads: list[Upload]) -> None:
        """Each photo's processing: the longest of its tasks' runs (a second message
        for a photo already claimed or ready skips in a few ms)."""
        with self._lock:
            for upload in uploads:
                runs = self.runs.get(upload.photo_id)
                if runs:
                    run = max(runs, key=lambda r: r["ended"] - r["started"])
                    upload.task_started, upload.task_done = run["started"], run["ended"]


# --- The run ------------------------------------------------------------------------------


def cpu_times() -> tuple[float, float] | None:
    """(busy, total) jiffies of the whole machine, or None off Linux."""
    try:
        fields = [float(v) for v in Path("/proc/stat").read_text().split()[1:9]]
    except OSError:
        return None
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def busy_share(before, after) -> str:
    if before is None or after is None or after[1] == before[1]:
        return "n/a"
    return f"{100 * (after[0] - before[0]) / (after[1] - before[1]):.0f} %"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(args: argparse.Namespace) -> int:
    count = QUICK_PHOTOS if args.quick else args.photos
    paths = make_photos(count)
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    env = prodstack_env()
    started_stack = False
    if not args.base_url and not prodstack_running():
        print("starting bin/prodstack")
        prodstack("start")
        started_stack = True
        env = prodstack_env()
    base = args.base_url or env.get("SITE_URL", DEFAULT_URL)
    email = args.email or os.environ.get("DEMO_EMAIL") or DEMO_EMAIL
    password = (
        args.password
        or os.environ.get("DEMO_PASSWORD")
        or (env.get("DEMO_PASSWORD") if not args.base_url else None)
    )
    if not password:
        raise SystemExit("no password: --password or DEMO_PASSWORD")
    broker = args.broker_url or os.environ.get("CELERY_BROKER_URL")
    if not broker and not args.base_url:
        broker = env.get("REDIS_URL")
    try:
        return measure(args, base, email, password, broker, paths, megabytes)
    finally:
        if started_stack:
            print("stopping bin/prodstack (this run started it)")
            prodstack("stop")


def measure(args, base, email, password, broker, paths, megabytes) -> int:
    client = Client(base, email, password)
    events, workers = None, {}
    if broker:
        events = TaskEvents(broker)
        try:
            workers = events.workers()
            events.start()
        except Exception as error:  # noqa: BLE001 - the client's view remains
            print(f"no task events from {broker}: {error}")
            events = None
        if events is not None and events.error:
            print(f"no task events: {events.error}")
            events = None
    processes = sum(workers.values()) or args.worker_processes
    answer = client.call(
        "POST", "/galleries/", json={"title": f"Upload benchmark {time.ctime()}"}
    )
    answer.raise_for_status()
    gallery_id = answer.json()["id"]
    uploads = [Upload(path) for path in paths]
    print(
        f"uploading {len(paths)} photos ({megabytes:.0f} MB, 6000x4000) to {base}, "
        f"{args.parallel} at a time; workers: "
        + (", ".join(f"{n} x {c}" for n, c in workers.items()) or "unknown")
    )

    # The end of the run, as the photographer's page sees it: the gallery's counts of
    # ready photos and of uploads needing attention (one cheap request, every 0.5 s).
    counts: list[tuple[float, int]] = []  # (when, ready photos), at each change
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            try:
                gallery = client.call("GET", f"/galleries/{gallery_id}/").json()
                ready, problems = gallery["photo_count"], gallery["attention_count"]
            except (requests.RequestException, ValueError, KeyError):
                ready = problems = -1
            if ready >= 0 and (not counts or counts[-1][1] != ready):
                counts.append((time.time(), ready))
            sent = sum(u.state in ("confirmed", "failed") for u in uploads)
            failures = sum(u.state == "failed" for u in uploads)
            if sent == len(uploads) and ready + problems + failures >= len(uploads):
                done.set()
            done.wait(POLL_SECONDS)

    cpu_before = cpu_times()
    t0 = time.time()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with ThreadPoolExecutor(args.parallel) as pool:
        list(pool.map(lambda u: client.send(gallery_id, u), uploads))
    t_sent = time.time()
    cpu_sent = cpu_times()
    finished = done.wait(args.timeout)
    done.set()
    watcher.join(TIMEOUT)
    cpu_after = cpu_times()
    if events is not None:
        time.sleep(1)  # the last events
        events.stop()
        events.apply(uploads)
    states = client.photo_states(gallery_id)
    for upload in uploads:
        status = states.get(upload.photo_id)
        if upload.state == "confirmed" and status == "ready":
            upload.state = "ready"
        elif upload.state == "confirmed":
            failed(upload, f"status {status}")
    missed = [u for u in uploads if u.state == "ready" and u.task_done is None]
    if events is not None and missed:
        print(f"no task events for {len(missed)} photos: using the polled counts")
        for upload in uploads:
            upload.task_started = upload.task_done = None
        events = None
    if events is None:
        polled_ready_times(uploads, counts)

    ok = report(
        uploads,
        t0,
        t_sent,
        processes,
        events is not None,
        cpu=(busy_share(cpu_before, cpu_sent), busy_share(cpu_sent, cpu_after)),
    )
    if not finished:
        print(f"gave up waiting after {args.timeout} s")
    if args.keep:
        print(f"kept the gallery {gallery_id}")
    else:
        client.call("DELETE", f"/galleries/{gallery_id}/")
    return 0 if ok and finished else 1


def report(uploads, t0, t_sent, processes, with_events, cpu) -> bool:
    bad = [u for u in uploads if u.state != "ready"]
    for upload in bad[:10]:
        print(f"  NOT READY {upload.path.name}: {upload.state} {upload.message}")
    ready = [u for u in uploads if u.state == "ready" and u.ready_at is not None]
    if not ready:
        print("no photo became ready")
        return False
    last_ready = max(u.ready_at for u in ready)
    total = last_ready - t0
    rate = 60 * len(ready) / total
    steps: dict[str, list[float]] = {
        "start (quota, row, presign)": [u.start_done - u.start_sent for u in ready],
        "upload to the bucket": [u.upload_done - u.start_done for u in ready],
        "confirm": [u.confirm_done - u.upload_done for u in ready],
    }
    if with_events and all(u.task_started is not None for u in ready):
        steps["queue wait"] = [max(0.0, u.task_started - u.confirm_done) for u in ready]
        steps["processing (renditions)"] = [u.task_done - u.task_started for u in ready]
        first_task = min(u.task_started for u in ready)
        busy = max(u.task_done for u in ready) - first_task
        work = sum(steps["processing (renditions)"])
    else:
        steps["confirmed until ready (polled)"] = [
            u.ready_seen - u.confirm_done for u in ready
        ]
        busy = work = None
    per_photo = [u.ready_at - u.start_sent for u in ready]

    print()
    print(f"  photos ready                 {len(ready)} of {len(uploads)}")
    print(f"  all sent and confirmed after {t_sent - t0:7.1f} s")
    print(f"  last photo ready after       {total:7.1f} s")
    print(f"  photos per minute            {rate:7.1f}")
    print(
        f"  per worker core              {rate / processes:7.1f}   "
        f"({processes} worker processes on {os.cpu_count()} cores)"
    )
    if busy:
        print(
            f"  workers busy                 {busy:7.1f} s from first task to last; "
            f"{work / busy / processes:.0%} of {processes} processes' time in tasks"
        )
    print(f"  machine CPU busy             {cpu[0]} while uploading, {cpu[1]} after")
    print()
    print("  per photo, seconds             median      p95      max   share of wait")
    wait_total = sum(per_photo)
    for name, values in steps.items():
        print(
            f"  {name:<30} {statistics.median(values):6.2f} "
            f"{percentile(values, 0.95):8.2f} {max(values):8.2f} "
            f"{sum(values) / wait_total:10.0%}"
        )
    print(
        f"  {'start until ready':<30} {statistics.median(per_photo):6.2f} "
        f"{percentile(per_photo, 0.95):8.2f} {max(per_photo):8.2f}"
    )
    slowest = max(steps, key=lambda name: sum(steps[name]))
    print()
    print(
        f"  slowest step: {slowest} ({sum(steps[slowest]) / wait_total:.0%} of the wait)"
    )
    if "queue wait" in steps:
        processing = steps["processing (renditions)"]
        mean = sum(processing) / len(processing)
        print(
            f"  processing alone, back to back: {sum(processing) / processes:.1f} s "
            f"for {len(ready)} photos on {processes} processes ({mean:.2f} s each, "
            f"mean; {statistics.median(processing):.2f} s median)"
        )
        during = [
            u.task_done - u.task_started for u in ready if u.task_started < t_sent
        ]
        after = [
            u.task_done - u.task_started for u in ready if u.task_started >= t_sent
        ]
        if during and after:
            print(
                f"  processing while uploads ran  {statistics.median(during):.2f} s "
                f"median ({len(during)} photos); after: "
                f"{statistics.median(after):.2f} s ({len(after)} photos)"
            )
    return not bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=400)
    parser.add_argument("--parallel", type=int, default=3, help="uploads at once")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_PHOTOS} photos, a quick check"
    )
    parser.add_argument("--base-url", help="an already running stack")
    parser.add_argument("--broker-url", help="its Celery broker, for task events")
    parser.add_argument("--email")
    parser.add_argument("--password")
    parser.add_argument(
        "--worker-processes",
        type=int,
        default=2,
        help="worker processes, when the workers cannot be asked (no broker)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait")
    parser.add_argument("--keep", action="store_true", help="keep the gallery")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
