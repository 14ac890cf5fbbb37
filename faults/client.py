"""Photographers and visitors, over HTTP, as the web uploader and browsers behave.

`Photographer.upload` follows static/js/uploader.js step by step: start (with the
file's SHA-256, so a photo already there is skipped), the presigned POST straight to
the bucket, confirm; each step retried on network errors, 5xx and 429 three times
with a 1, 2, 4 s backoff, as the uploader does; then a poll until the photo is ready.
"""

import hashlib
import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

RETRIES = 3  # uploader.js
CONCURRENCY = 3  # uploader.js: three files at a time
TIMEOUT = 30


def transient(status: int) -> bool:
    return status == 0 or status == 429 or status >= 500


@dataclass
class Sample:
    """One file a photographer uploads."""

    path: Path
    data: bytes = field(repr=False)
    sha256: str

    @classmethod
    def read(cls, path: Path) -> "Sample":
        data = path.read_bytes()
        return cls(path=path, data=data, sha256=hashlib.sha256(data).hexdigest())

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Outcome:
    """What the uploader showed for one file."""

    sample: Sample
    state: str = "waiting"  # done, skipped, failed, sent (confirmed, not awaited)
    message: str = ""
    photo_id: str = ""


class Photographer:
    def __init__(self, base: str, email: str, password: str):
        self.base, self.email, self.password = base, email, password
        self.session = requests.Session()
        self.statuses: Counter = Counter()  # every answer our site gave, by status
        self.errors_5xx: list[str] = []
        self._lock = threading.Lock()
        self.sign_in()

    def sign_in(self) -> None:
        for attempt in range(10):
            try:
                answer = requests.post(
                    f"{self.base}/api/v1/auth/token/",
                    json={"email": self.email, "password": self.password},
                    timeout=TIMEOUT,
                )
                if answer.status_code == 200:
                    self.session.headers["Authorization"] = (
                        f"Bearer {answer.json()['access']}"
                    )
                    return
            except requests.RequestException:
                pass
            time.sleep(1 + attempt)
        raise RuntimeError(f"{self.email} could not sign in to the API")

    # --- one request, as the uploader sends it -----------------------------------------

    def _send(self, method: str, url: str, **kwargs) -> tuple[int, dict | str]:
        ours = url.startswith(self.base)
        try:
            if ours:
                answer = self.session.request(method, url, timeout=TIMEOUT, **kwargs)
            else:  # the bucket: no cookies, no token
                answer = requests.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as error:
            return 0, str(error)
        if ours:
            with self._lock:
                self.statuses[answer.status_code] += 1
                if answer.status_code >= 500:
                    self.errors_5xx.append(
                        f"{answer.status_code} {method} {url.removeprefix(self.base)}"
                    )
        try:
            body = answer.json()
        except ValueError:
            body = answer.text[:300]
        return answer.status_code, body

    def _with_retries(self, method: str, url: str, **kwargs) -> tuple[int, dict | str]:
        status, body = 0, "not sent"
        for attempt in range(RETRIES + 1):
            if attempt:
                time.sleep(2 ** (attempt - 1))
            status, body = self._send(method, url, **kwargs)
            if not transient(status):
                return status, body
        return status, body

    def api(self, method: str, path: str, **kwargs) -> tuple[int, dict | str]:
        return self._with_retries(method, f"{self.base}/api/v1{path}", **kwargs)

    # --- galleries, links ------------------------------------------------------------

    def create_gallery(self, title: str) -> str:
        status, body = self.api("POST", "/galleries/", json={"title": title})
        if status != 201:
            raise RuntimeError(f"creating a gallery: HTTP {status} {body}")
        return body["id"]

    def create_link(self, gallery_id: str, downloads: str = "original") -> str:
        status, body = self.api(
            "POST",
            f"/galleries/{gallery_id}/links/",
            json={"label": "Fault suite", "downloads": downloads},
        )
        if status != 201:
            raise RuntimeError(f"creating a share link: HTTP {status} {body}")
        return body["token"]

    # --- uploads ---------------------------------------------------------------------

    def start_upload(self, gallery_id: str, sample: Sample) -> tuple[int, dict | str]:
        """Ask for a place to send `sample` (the uploader's first request)."""
        return self.api(
            "POST",
            f"/galleries/{gallery_id}/photos/uploads/",
            json={
                "filename": sample.name,
                "size": len(sample.data),
                "sha256": sample.sha256,
            },
        )

    def upload(self, gallery_id: str, sample: Sample, wait: bool = True) -> Outcome:
        """One file, the uploader's way. Never raises: the outcome says what it showed."""
        outcome = Outcome(sample)
        status, body = self.start_upload(gallery_id, sample)
        if status == 409:
            outcome.state, outcome.message = "skipped", _detail(body)
            return outcome
        if status != 201:
            outcome.state, outcome.message = (
                "failed",
                f"start: HTTP {status} {_detail(body)}",
            )
            return outcome
        outcome.photo_id = body["photo"]["id"]
        target = body["upload"]
        if target["method"] != "POST":
            outcome.state, outcome.message = (
                "failed",
                f"unexpected target {target['method']}",
            )
            return outcome

        def post():
            return self._send(
                "POST",
                target["url"],
                data=target["fields"],
                files={"file": (sample.name, sample.data)},
            )

        status, body = 0, ""
        for attempt in range(RETRIES + 1):
            if attempt:
                time.sleep(2 ** (attempt - 1))
            status, body = post()
            if not transient(status):
                break
        if status == 0 or status >= 300:
            outcome.state = "failed"
            outcome.message = f"the storage refused the file (HTTP {status})"
            return outcome
        status, body = self.confirm(outcome.photo_id)
        if status != 200:
            outcome.state, outcome.message = (
                "failed",
                f"confirm: HTTP {status} {_detail(body)}",
            )
            return outcome
        outcome.state = "sent"
        if wait:
            self.wait(outcome)
        return outcome

    def confirm(self, photo_id: str) -> tuple[int, dict | str]:
        return self.api("POST", f"/uploads/{photo_id}/complete/", json={})

    def wait(self, outcome: Outcome, timeout: float = 600) -> None:
        """The uploader's poll until the photo is processed (it gives up at 10 min)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body = self.api("GET", f"/photos/{outcome.photo_id}/")
            if status != 200:
                outcome.state, outcome.message = "failed", "the photo disappeared"
                return
            if body["status"] == "ready":
                outcome.state = "done"
                return
            if body["status"] not in ("processing", "uploading"):
                outcome.state, outcome.message = (
                    "failed",
                    body.get("error") or body["status"],
                )
                return
            time.sleep(1.5)
        outcome.state, outcome.message = "failed", "still processing"

    def upload_all(
        self, gallery_id: str, samples: list[Sample], wait: bool = False
    ) -> list[Outcome]:
        """A batch, three files at a time, as the uploader pumps its queue."""
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            return list(
                pool.map(lambda s: self.upload(gallery_id, s, wait=wait), samples)
            )


def _detail(body) -> str:
    if isinstance(body, dict) and body.get("errors"):
        return " ".join(e.get("detail", "") for e in body["errors"])
    return str(body)[:200]


PHOTO_LINK = re.compile(r'href="(/s/[^/"]+/p/[0-9a-f-]{36}/)')


class Visitors:
    """Clients browsing a shared gallery (pages and the share API) in the background,
    and the photographer's own photo API; every answer's status is counted."""

    def __init__(self, base: str, token: str, photographer: Photographer | None = None):
        self.base, self.token, self.photographer = base, token, photographer
        self.statuses: Counter = Counter()
        self.bad: list[str] = []  # 5xx answers, and 503s without Retry-After
        self.unavailable = 0  # 503 with Retry-After: a service down, said properly
        self.photographer_5xx: list[str] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def _get(self, session: requests.Session, path: str, visitor: bool = True):
        try:
            answer = session.get(f"{self.base}{path}", timeout=TIMEOUT)
        except requests.RequestException as error:
            with self._lock:
                self.statuses["no answer"] += 1
                self.bad.append(f"no answer GET {path}: {type(error).__name__}")
            return None
        with self._lock:
            self.statuses[answer.status_code] += 1
            if answer.status_code >= 500:
                if answer.status_code == 503 and answer.headers.get("Retry-After"):
                    self.unavailable += 1
                elif visitor:
                    self.bad.append(f"{answer.status_code} GET {path}")
                else:
                    self.photographer_5xx.append(f"{answer.status_code} GET {path}")
        return answer

    def _browse(self, seed: int) -> None:
        rng = random.Random(seed)
        session = requests.Session()
        photo_pages: list[str] = []
        while not self._stop.is_set():
            choice = rng.random()
            if choice < 0.3 or not photo_pages:
                page = self._get(session, f"/s/{self.token}/")
                if page is not None and page.status_code == 200:
                    photo_pages = PHOTO_LINK.findall(page.text) or photo_pages
            elif choice < 0.5:
                self._get(session, rng.choice(photo_pages))
            elif choice < 0.7:
                self._get(session, f"/api/v1/share/{self.token}/")
            else:
                self._get(session, f"/api/v1/share/{self.token}/photos/")
            self._stop.wait(rng.uniform(0.2, 0.5))

    def _owner(self) -> None:
        session = self.photographer.session
        while not self._stop.is_set():
            self._get(session, "/api/v1/galleries/", visitor=False)
            self._stop.wait(1.0)

    def start(self, visitors: int = 4) -> "Visitors":
        targets = [lambda i=i: self._browse(i) for i in range(visitors)]
        if self.photographer is not None:
            targets.append(self._owner)
        for target in targets:
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=TIMEOUT + 5)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())
