"""Browser scenarios: a live Proofsheet, headless Chromium from Debian, screenshots on failure.

Without --base-url the session starts the embedded default itself (SQLite and media in a
temporary folder, gunicorn, a Celery worker on the filesystem queue, as bin/serve runs it)
on a free loopback port, and stops it at the end. With --base-url it uses that server.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "var" / "e2e"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# A closed network: nothing but the server under test.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
]

#: Every browser context opened in the session, so a failure can photograph its pages.
OPEN_CONTEXTS: list = []

#: Content-Security-Policy violations seen since the last test ended: any fails it.
CSP_VIOLATIONS: list[str] = []
# Reported by each document from its first script on (an init script runs before the
# page's own and is not subject to the page's policy).
_WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__e2eCspViolation(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ` +
    `${e.sourceFile || e.documentURI}:${e.lineNumber} (${e.sample || "no sample"})`
  );
}, true);
"""
_CSP_CONSOLE = re.compile(r"Content[ -]Security[ -]Policy", re.IGNORECASE)


def pytest_addoption(parser):
    parser.addoption(
        "--base-url",
        default=os.environ.get("E2E_BASE_URL", ""),
        help="run against this server instead of starting the embedded default",
    )


# --------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_healthy(url: str, procs: list, logs: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _healthy(url):
            return
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args[0]} exited early; see {logs}")
        time.sleep(0.3)
    raise RuntimeError(f"{url}/healthz did not answer in {seconds:.0f}s; see {logs}")


def _stop(proc: subprocess.Popen, grace: float = 15) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


#: How to reach the server's side: its environment (the embedded one), the folder its
#: emails are written to, and the command that runs its manage.py.
SERVER: dict = {}


@pytest.fixture(scope="session")
def base_url(request):
    given = request.config.getoption("--base-url").rstrip("/")
    if given:
        if not _healthy(given):
            pytest.exit(f"{given}/healthz does not answer", returncode=2)
        # bin/prodstack's defaults; another server says where with these two.
        SERVER.update(
            env=dict(os.environ),
            mail=Path(
                os.environ.get("E2E_MAIL_DIR") or ROOT / "var" / "prodstack" / "mail"
            ),
            manage=os.environ.get("E2E_MANAGE", "bin/prodstack manage").split(),
        )
        yield given
        return

    home = Path(tempfile.mkdtemp(prefix="proofsheet-e2e-"))
    logs = SHOTS / "server"
    logs.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_READ_DOT_ENV_FILE": "false",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": url,
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "MEDIA_ROOT": str(home / "media"),
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "false",
        "LOG_LEVEL": "WARNING",
        # Every email the site sends, one file each, for `mailbox` to read.
        "EMAIL_URL": f"filemail:///{home / 'mail'}",  # environ drops one /
    }
    SERVER.update(env=env, mail=home / "mail", manage=None)
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME"):
        env.pop(name, None)
    bin_ = ROOT / ".venv" / "bin"
    manage = [str(bin_ / "python"), "manage.py"]
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            manage + step, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )

    procs = []
    try:
        for name, cmd in (
            (
                "worker",
                [
                    str(bin_ / "celery"),
                    "-A",
                    "config",
                    "worker",
                    "--concurrency=2",
                    "--loglevel=WARNING",
                ],
            ),
            (
                "web",
                [
                    str(bin_ / "gunicorn"),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                    "--timeout",
                    "120",
                ],
            ),
        ):
            out = open(logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
            procs.append(
                subprocess.Popen(
                    cmd,
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        _wait_healthy(url, procs, logs)
        yield url
    finally:
        for proc in reversed(procs):
            _stop(proc)
        shutil.rmtree(home, ignore_errors=True)


# ------------------------------------------------------------ the server's side


@pytest.fixture(scope="session")
def manage(base_url):
    """Run one of the server's management commands; its output."""

    def run(*args: str) -> str:
        if SERVER["manage"] is None:
            command = [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args]
        else:
            command = [*SERVER["manage"], *args]
        done = subprocess.run(
            command, cwd=ROOT, env=SERVER["env"], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    return run


@pytest.fixture(scope="session")
def mailbox(base_url):
    """The emails the server has sent to an address, oldest first, as
    `email.message.EmailMessage`s (the file backend writes each to a file)."""
    folder: Path = SERVER["mail"]

    def to(address: str) -> list:
        found = []
        for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime):
            # A file may hold several messages, each ending in a line of dashes.
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if not raw.strip():
                    continue
                message = email.message_from_bytes(raw, policy=email.policy.default)
                if address.lower() in (message["To"] or "").lower():
                    found.append(message)
        return found

    return to


# ------------------------------------------------------------- the API's side


def upload_photo(
    api: requests.Session,
    base_url: str,
    gallery: str,
    name: str,
    data: bytes,
    *,
    set_id: str | None = None,
) -> str:
    """Upload one photo to a gallery through the API, as the CLI sends it, with `api`
    signed in as its photographer; the photo's id. The embedded default takes a PUT to
    the API itself; S3 a presigned POST, then the API hears it arrived."""
    started = {
        "filename": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if set_id is not None:
        started["set"] = set_id

    def post(path: str, **kwargs):
        response = api.post(base_url + "/api/v1/" + path, timeout=60, **kwargs)
        assert response.ok, f"POST {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    start = post(f"galleries/{gallery}/photos/uploads/", json=started)
    target, photo = start["upload"], start["photo"]
    if target["url"].startswith("/"):
        target["url"] = base_url + target["url"]
    if target["method"] == "PUT":
        sent = api.put(target["url"], data=data, timeout=60)
    else:
        sent = requests.post(
            target["url"],
            data=target["fields"],
            files={"file": (name, data)},
            timeout=60,
        )
        post(f"uploads/{photo['id']}/complete/", json={"parts": []})
    assert sent.ok, sent.text
    return photo["id"]


# ------------------------------------------------------------- ordered stories


class Story(dict):
    """What a scenario's steps hand on to each other; a failed step stops the ones
    after it."""

    failed = False


@pytest.fixture(scope="module")
def story():
    return Story()


@pytest.fixture(autouse=True)
def _in_order(request):
    """In a module marked `story`, each test is a step: once one fails, the later
    ones are skipped (their pages are saved by the failing one)."""
    if request.node.get_closest_marker("story") is None:
        yield
        return
    story = request.getfixturevalue("story")
    if story.failed:
        pytest.skip("an earlier step failed")
    yield
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        story.failed = True


def phone_page(new_context, *, slideshow_seconds: int | None = None, **options):
    """A phone's browser of its own (390 x 844, touch): a page in it."""
    context = new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        **{"device_scale_factor": 2, **options},
    )
    if slideshow_seconds:
        # The slideshow's interval, remembered as a visitor's choice would be.
        context.add_init_script(
            "try { localStorage.setItem('proofsheet.slideshow.seconds', "
            f"'{slideshow_seconds}'); }} catch (e) {{}}"
        )
    return context.new_page()


# -------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: apt-get install -y chromium", returncode=2)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def new_context(browser, base_url):
    """Open a browser context (one person's browser) that closes with the module."""
    made = []

    def _new(**options):
        context = browser.new_context(
            base_url=base_url, accept_downloads=True, **options
        )
        context.set_default_timeout(15_000)
        _watch_csp(context)
        made.append(context)
        OPEN_CONTEXTS.append(context)
        return context

    yield _new
    for context in made:
        OPEN_CONTEXTS.remove(context)
        context.close()


def _watch_csp(context) -> None:
    """Record every CSP violation in the context's pages: events and console errors."""

    def on_violation(source, text):
        CSP_VIOLATIONS.append(f"{source['page'].url}: {text}")

    def on_console(message):
        if message.type == "error" and _CSP_CONSOLE.search(message.text):
            CSP_VIOLATIONS.append(f"console on {message.page.url}: {message.text}")

    context.expose_binding("__e2eCspViolation", on_violation)
    context.add_init_script(_WATCH_CSP)
    context.on("console", on_console)


@pytest.fixture
def csp_violations():
    """The violations seen so far in this test (a test that provokes one clears it)."""
    return CSP_VIOLATIONS


@pytest.fixture(autouse=True)
def _no_csp_violations():
    """Fail the test at teardown if any page broke the Content-Security-Policy."""
    CSP_VIOLATIONS.clear()
    yield
    for context in OPEN_CONTEXTS:
        for page in context.pages:
            # A round trip delivers the reports still on their way (a closed or
            # crashed page has none to deliver).
            with contextlib.suppress(Exception):
                page.evaluate("0")
    seen, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    if seen:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(seen), pytrace=False
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
    if report.failed and report.when in ("setup", "call"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name)[:120]
        shots = []
        for c, context in enumerate(OPEN_CONTEXTS):
            for p, page in enumerate(context.pages):
                path = SHOTS / f"{stem}-{c}-{p}.png"
                try:
                    page.screenshot(path=str(path), full_page=True, timeout=10_000)
                    shots.append(f"{path} ({page.url})")
                except Exception as error:  # noqa: BLE001 - a crashed page must not hide the failure
                    shots.append(f"{path}: no screenshot ({error})")
        if shots:
            report.sections.append(("screenshots", "\n".join(shots)))
            print("\nScreenshots:\n" + "\n".join(shots), file=sys.stderr)
