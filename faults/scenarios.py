"""The faults of issue 11, one function each. Every scenario breaks one thing while
photographers upload and visitors browse, mends it the way a supervisor would (no
person steps in), waits for the recovery deadline, and ends with an audit."""

import hashlib
import http.client
import re
import secrets
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from botocore.exceptions import ClientError

from faults import photos
from faults.audit import Audit, audit, settle
from faults.client import Outcome, Photographer, Sample, Visitors
from faults.stack import Stack


@dataclass
class Browsed:
    """A ready, shared gallery that visitors browse and download."""

    photographer: Photographer
    email: str
    gallery_id: str
    token: str
    samples: list[Sample]


@dataclass
class Context:
    stack: Stack
    run: str
    folder: Path
    passwords: dict[str, str] = field(default_factory=dict)
    browsed: Browsed | None = None

    @property
    def stuck_after(self) -> int:
        return self.stack.setting("PHOTO_STUCK_AFTER_SECONDS", 300)

    @property
    def abandoned_after(self) -> int:
        return self.stack.setting("UPLOAD_ABANDONED_AFTER_SECONDS", 1800)

    @property
    def sweep(self) -> int:
        return self.stack.setting("RECOVERY_SWEEP_SECONDS", 60)

    def deadline(self, photos_left: int, abandoned: bool = False) -> float:
        """When, from now, everything must be back: the recovery deadline the settings
        give, plus the time the worker needs for what is left of the batch."""
        after = self.abandoned_after if abandoned else self.stuck_after
        return time.monotonic() + after + 2 * self.sweep + 15 + 0.5 * photos_left

    def email(self, scenario: str) -> str:
        return f"faults-{self.run}-{scenario.replace('_', '-')}@proofsheet.local"

    def create_accounts(self, scenarios: list[str]) -> None:
        """One photographer per scenario, so each audit counts only its own."""
        self.passwords = {self.email(s): secrets.token_urlsafe(12) for s in scenarios}
        lines = ["from accounts.models import User"]
        for email, password in self.passwords.items():
            lines.append(f"User.objects.create_user({email!r}, {password!r})")
        self.stack.manage("shell", stdin="\n".join(lines) + "\n")

    def photographer(self, scenario: str) -> Photographer:
        email = self.email(scenario)
        return Photographer(self.stack.url, email, self.passwords[email])

    def samples(self, scenario: str, count: int, **kwargs) -> list[Sample]:
        return photos.make(self.folder / scenario, scenario, count, self.run, **kwargs)

    def shared(self) -> Browsed:
        """The gallery visitors browse: the worker-kill batch, or a small one of its own."""
        if self.browsed is None:
            who = self.photographer("browsed")
            gallery = who.create_gallery("Browsed by the fault suite")
            batch = self.samples("browsed", 30)
            who.upload_all(gallery, batch)
            settle(self.stack, [gallery], batch, self.deadline(len(batch)))
            self.browsed = Browsed(
                who, who.email, gallery, who.create_link(gallery), batch
            )
        return self.browsed


def _wait_ready_count(stack: Stack, gallery_id: str, count: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while True:
        with stack.db() as conn:
            ready = conn.execute(
                "SELECT count(*) FROM galleries_photo WHERE gallery_id::text = %s"
                " AND status = 'ready'",
                [gallery_id],
            ).fetchone()[0]
        if ready >= count or time.monotonic() > deadline:
            return ready
        time.sleep(0.3)


def _paced(who: Photographer, gallery: str, batch: list[Sample], every: float):
    """The batch, three at a time, one new file every `every` seconds (a photographer
    dropping folders in over a while), in the background. Returns the outcomes list
    (filled as files finish) and the thread."""
    outcomes: list[Outcome] = []

    def run():
        with ThreadPoolExecutor(3) as pool:
            futures = []
            for sample in batch:
                futures.append(pool.submit(who.upload, gallery, sample, False))
                time.sleep(every)
            outcomes.extend(f.result() for f in futures)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return outcomes, thread


def _upload_again(
    stack: Stack, who: Photographer, gallery: str, outcomes: list[Outcome], until: float
):
    """What the photographer does with the files the uploader showed as not uploaded:
    drops them in again, and again a little later while any is still refused."""
    notes = []
    pending = [o.sample for o in outcomes if o.state == "failed"]
    if pending:
        reasons = sorted({o.message[:80] for o in outcomes if o.state == "failed"})
        notes.append(
            f"{len(pending)} file(s) showed as not uploaded ({'; '.join(reasons)}): uploaded again"
        )
    while pending and time.monotonic() < until:
        again = who.upload_all(gallery, pending)
        refused = [o for o in again if o.state in ("failed", "skipped")]
        # Skipped is fine when the photo it points at is really there.
        pending = [
            o.sample for o in refused if not _really_there(stack, gallery, o.sample)
        ]
        if pending:
            reasons = sorted({o.message[:80] for o in refused})
            notes.append(f"{len(pending)} refused again ({'; '.join(reasons)})")
            time.sleep(10)
    if pending:
        notes.append(
            f"{len(pending)} file(s) could not be uploaded again before the deadline"
        )
    return notes, len(pending)


def _really_there(stack: Stack, gallery: str, sample: Sample) -> bool:
    """A 409 "already in this gallery" is fine when that photo is ready or on its way."""
    with stack.db() as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM galleries_photo WHERE gallery_id::text = %s AND sha256 = %s"
                " AND status IN ('ready', 'processing')",
                [gallery, sample.sha256],
            ).fetchone()
        )


# ---------------------------------------------------------------------------------------


def worker_sigkill(ctx: Context) -> Audit:
    """SIGKILL the Celery worker (and its pool) a few photos into a batch of 60; the
    supervisor starts it again; every photo must still become ready."""
    name = "worker_sigkill"
    who = ctx.photographer(name)
    gallery = who.create_gallery("Worker killed mid-batch")
    batch = ctx.samples(name, 60)
    outcomes = who.upload_all(gallery, batch)
    ready = _wait_ready_count(ctx.stack, gallery, 6, timeout=60)
    victims = ctx.stack.kill_worker()
    notes = [
        f"SIGKILL to the worker and its pool ({len(victims)} processes) at {ready}/60 ready"
    ]
    time.sleep(2)
    ctx.stack.restart_missing()
    waited = settle(ctx.stack, [gallery], batch, ctx.deadline(len(batch)))
    result = audit(ctx.stack, name, [gallery], [who.email], batch)
    result.notes = [
        *notes,
        f"settled {waited:.0f} s after the worker came back",
        *result.notes,
    ]
    _unconfirmed(result, outcomes)
    ctx.browsed = Browsed(who, who.email, gallery, who.create_link(gallery), batch)
    return result


def _unconfirmed(result: Audit, outcomes: list[Outcome]) -> None:
    failed = [o for o in outcomes if o.state == "failed"]
    if failed:
        result.problems.append(
            f"{len(failed)} upload(s) refused: {sorted({o.message[:80] for o in failed})}"
        )


class _SmallWindow(http.client.HTTPConnection):
    """A client that reads slowly: a small receive buffer, so the server cannot have
    sent the whole archive ahead of what the client has read."""

    def connect(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
        self.sock.settimeout(self.timeout)
        self.sock.connect((self.host, self.port))


def _get(url: str, headers: dict | None = None, small: bool = False):
    parts = urlsplit(url)
    kind = _SmallWindow if small else http.client.HTTPConnection
    conn = kind(parts.hostname, parts.port, timeout=60)
    conn.request(
        "GET",
        parts.path + (f"?{parts.query}" if parts.query else ""),
        headers=headers or {},
    )
    return conn, conn.getresponse()


def zip_resume(ctx: Context) -> Audit:
    """SIGKILL the download worker serving a gallery ZIP mid-stream; the visitor resumes
    with Range and If-Range; the archive must be byte-identical to an uninterrupted one."""
    name = "zip_killed_resumed"
    shared = ctx.shared()
    url = f"{ctx.stack.url}/s/{shared.token}/zip/"
    conn, whole = _get(url)
    reference = whole.read()
    conn.close()
    problems, notes = [], []
    if whole.status != 200:
        problems.append(f"the ZIP answered HTTP {whole.status}")
    etag = whole.getheader("ETag")
    accept = whole.getheader("Accept-Ranges")
    notes.append(
        f"ZIP of {len(reference):,} bytes; Accept-Ranges: {accept}; ETag: {etag}"
    )
    if accept != "bytes":
        problems.append(f"the ZIP says Accept-Ranges: {accept} (expected bytes)")
    if not etag:
        problems.append("the ZIP has no ETag (If-Range cannot protect a resume)")

    port = int(ctx.stack.env["PORT"]) + 3
    conn, cut = _get(url, small=True)
    received = bytearray(cut.read(256 * 1024))
    victim = None
    for _ in range(50):
        victim = ctx.stack.worker_serving(port)
        if victim:
            break
        time.sleep(0.05)
    if victim is None:
        problems.append("found no download worker serving the ZIP to kill")
    else:
        import os
        import signal

        os.kill(victim, signal.SIGKILL)
    try:
        while chunk := cut.read(64 * 1024):
            received += chunk
    except (http.client.HTTPException, OSError) as error:
        notes.append(f"the download broke off: {type(error).__name__}")
    conn.close()
    notes.append(
        f"worker {victim} killed; {len(received):,} of {len(reference):,} bytes had arrived"
    )
    if len(received) >= len(reference):
        problems.append("the kill came after the whole archive had been sent")
    time.sleep(1)  # gunicorn's master starts a new worker

    headers = {"Range": f"bytes={len(received)}-"}
    if etag:
        headers["If-Range"] = etag
    resumed_bytes = b""
    for _ in range(10):
        try:
            conn, resumed = _get(url, headers=headers)
            resumed_bytes = resumed.read()
            conn.close()
            break
        except OSError:
            time.sleep(1)
    else:
        problems.append("the resume got no answer")
        resumed = None
    if resumed is not None:
        notes.append(
            f"resume with Range: bytes={len(received)}-: HTTP {resumed.status}, "
            f"Content-Range: {resumed.getheader('Content-Range')}"
        )
        if resumed.status != 206:
            problems.append(
                f"Range ignored: HTTP {resumed.status} with {len(resumed_bytes):,} bytes"
                " instead of 206 with the rest"
            )
        else:
            joined = bytes(received) + resumed_bytes
            if joined != reference:
                problems.append(
                    f"the resumed archive differs from an uninterrupted one "
                    f"({len(joined):,} vs {len(reference):,} bytes, sha256 "
                    f"{hashlib.sha256(joined).hexdigest()[:12]} vs "
                    f"{hashlib.sha256(reference).hexdigest()[:12]})"
                )
    in_zip = [s for s in shared.samples if s.data and _in(reference, s)]
    result = audit(ctx.stack, name, [shared.gallery_id], [shared.email], in_zip)
    result.problems += problems
    result.notes = notes + result.notes
    return result


def _in(archive: bytes, sample: Sample) -> bool:
    return sample.name.encode() in archive


def double_confirm(ctx: Context) -> Audit:
    """Five concurrent confirms of each of 8 uploads: exactly one may render it."""
    name = "double_confirm"
    who = ctx.photographer(name)
    gallery = who.create_gallery("Confirmed five times at once")
    batch = ctx.samples(name, 8)
    log_start = ctx.stack.rgw_log.stat().st_size if ctx.stack.rgw_log.exists() else None
    ids, problems, statuses = {}, [], []
    for sample in batch:
        status, body = who.start_upload(gallery, sample)
        if status != 201:
            problems.append(f"start {sample.name}: HTTP {status}")
            continue
        target = body["upload"]
        status, _ = who._send(
            "POST",
            target["url"],
            data=target["fields"],
            files={"file": (sample.name, sample.data)},
        )
        ids[body["photo"]["id"]] = sample
    barrier_size = 5
    for photo_id in ids:
        barrier = threading.Barrier(barrier_size)

        def confirm(photo_id=photo_id, barrier=barrier):
            barrier.wait()
            return who.confirm(photo_id)[0]

        with ThreadPoolExecutor(barrier_size) as pool:
            statuses += list(pool.map(lambda _: confirm(), range(barrier_size)))
    bad = [s for s in statuses if s != 200]
    if any(s >= 500 for s in bad):
        problems.append(f"confirms answered {sorted(set(bad))}")
    settle(ctx.stack, [gallery], batch, ctx.deadline(len(batch)))
    time.sleep(2)  # files of a losing render are deleted by a task
    result = audit(ctx.stack, name, [gallery], [who.email], batch)
    result.notes.insert(
        0, f"{len(statuses)} confirms: statuses {sorted(set(statuses))}"
    )
    result.problems += problems + _renders(ctx, gallery, ids, log_start)
    return result


def _renders(ctx: Context, gallery: str, ids: dict, log_start: int | None) -> list[str]:
    """How many times each photo was rendered, from the S3 server's access log: each
    render writes every rendition once (PUT), so more PUTs than renditions means the
    photo was rendered more than once."""
    log = ctx.stack.rgw_log
    if log_start is None or not log.exists():
        return []
    with open(log, "rb") as handle:
        handle.seek(log_start)
        text = handle.read().decode(errors="replace")
    pattern = re.compile(
        rf'"PUT /{re.escape(ctx.stack.bucket)}/photos/{gallery}/([0-9a-f-]{{36}})/([^ ?"]+)'
    )
    puts: dict[str, int] = {}
    for photo_id, filename in pattern.findall(text):
        if not filename.startswith("original"):
            puts[photo_id] = puts.get(photo_id, 0) + 1
    with ctx.stack.db() as conn:
        kinds = dict(
            conn.execute(
                "SELECT id::text, renditions FROM galleries_photo WHERE gallery_id::text = %s",
                [gallery],
            ).fetchall()
        )
    twice = []
    for photo_id, count in puts.items():
        per_render = len(kinds.get(photo_id) or {}) or 1
        if count > per_render:
            twice.append(f"{count / per_render:.0f}x")
    if twice:
        return [
            f"{len(twice)} of {len(ids)} photos rendered more than once ({', '.join(twice)})"
        ]
    return []


def postgres_down(ctx: Context) -> Audit:
    """PostgreSQL stopped for 20 s while visitors browse a gallery of 10 photos: a 503
    with Retry-After, never a 500; everything answers again once it is back."""
    name = "postgres_down_browsing"
    who = ctx.photographer(name)
    gallery = who.create_gallery("PostgreSQL stopped while visitors browse")
    batch = ctx.samples(name, 10)
    who.upload_all(gallery, batch)
    settle(ctx.stack, [gallery], batch, ctx.deadline(len(batch)))
    visitors = Visitors(ctx.stack.url, who.create_link(gallery), who).start()
    time.sleep(4)
    ctx.stack.outage("postgres", 20)
    back = _until_ok(f"{ctx.stack.url}/s/{visitors.token}/", 30)
    time.sleep(4)
    visitors.stop()
    settle(ctx.stack, [gallery], batch, ctx.deadline(0))
    result = audit(ctx.stack, name, [gallery], [who.email], batch)
    _count_visitors(result, visitors)
    if back is None:
        result.problems.append(
            "the gallery page did not answer 200 within 30 s of PostgreSQL's return"
        )
    else:
        result.notes.insert(
            0, f"pages answered again {back:.1f} s after PostgreSQL came back"
        )
    return result


def _until_ok(url: str, timeout: float) -> float | None:
    import requests

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return time.monotonic() - started
        except requests.RequestException:
            pass
        time.sleep(0.5)
    return None


def _count_visitors(result: Audit, visitors: Visitors) -> None:
    result.visitor_5xx = len(visitors.bad)
    result.notes.insert(
        0,
        f"{visitors.total} visitor requests: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(visitors.statuses.items(), key=str))
        + f" ({visitors.unavailable} of them 503 with Retry-After)",
    )
    if visitors.bad:
        kinds = sorted({b.split(" ?")[0] for b in visitors.bad})
        result.notes.insert(1, f"visitor errors, e.g.: {'; '.join(kinds[:6])}")


def redis_down(ctx: Context) -> Audit:
    """Redis (cache and broker) stopped for 30 s while a photographer uploads 40 photos
    and visitors browse: no 5xx, and every photo becomes ready."""
    name = "redis_down_uploads"
    who = ctx.photographer(name)
    gallery = who.create_gallery("Redis stopped during uploads")
    batch = ctx.samples(name, 40)
    outcomes, uploading = _paced(who, gallery, batch, every=1.0)
    visitors = Visitors(ctx.stack.url, who.create_link(gallery), who).start()
    _wait_ready_count(ctx.stack, gallery, 4, timeout=30)
    ctx.stack.outage("redis", 30)
    uploading.join()
    time.sleep(3)
    visitors.stop()
    until = ctx.deadline(len(batch))
    notes, _ = _upload_again(ctx.stack, who, gallery, outcomes, until)
    settle(ctx.stack, [gallery], batch, until)
    result = audit(ctx.stack, name, [gallery], [who.email], batch)
    _count_visitors(result, visitors)
    result.notes[1:1] = notes
    mine = who.errors_5xx + visitors.photographer_5xx
    if mine:
        kinds = sorted({re.sub(r"[0-9a-f-]{36}", "<id>", e) for e in mine})
        result.problems.append(
            f"{len(mine)} 5xx to the photographer: {'; '.join(kinds[:4])}"
        )
    return result


def s3_down(ctx: Context) -> Audit:
    """S3 stopped for 20 s while a photographer uploads 24 photos: the abandoned uploads
    give their quota back, the same files upload again, nothing is lost on restart."""
    name = "s3_down_uploads"
    who = ctx.photographer(name)
    gallery = who.create_gallery("S3 stopped during uploads")
    batch = ctx.samples(name, 24)
    outcomes, uploading = _paced(who, gallery, batch, every=1.0)
    time.sleep(3)
    ctx.stack.outage("s3", 20)
    uploading.join()
    problems = []
    try:
        ctx.stack.s3().head_bucket(Bucket=ctx.stack.bucket)
    except ClientError as error:
        problems.append(
            f"the bucket {ctx.stack.bucket} is gone after S3 restarted "
            f"({error.response['Error']['Code']}): every photo's files were lost"
        )
    until = ctx.deadline(len(batch), abandoned=True)
    notes = []
    if not problems:
        notes, _ = _upload_again(ctx.stack, who, gallery, outcomes, until)
        settle(ctx.stack, [gallery], batch, until)
        result = audit(ctx.stack, name, [gallery], [who.email], batch)
    else:
        result = Audit(name, photos=len(batch))
        result.lost = len(batch)
    result.problems += problems
    result.notes[0:0] = notes
    return result


ALL = {
    "worker_sigkill": worker_sigkill,
    "zip_killed_resumed": zip_resume,
    "double_confirm": double_confirm,
    "postgres_down_browsing": postgres_down,
    "redis_down_uploads": redis_down,
    "s3_down_uploads": s3_down,
}
