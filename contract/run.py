"""Check the live API against its own OpenAPI schema with schemathesis.

    python contract/run.py [--base-url URL] [--email E --password P]
        [--max-examples 25] [--seed 20250614] [--budget 300]

Without --base-url it starts the embedded default on a free loopback port (fresh
SQLite and media in a temporary folder, DEBUG off, plain http), migrates, seeds a
photographer, a gallery of 10 photos, an open link and a password link, and stops the
server at the end. With --base-url it checks a running site, which must already hold
the seeded photographer (seed_gallery --password ...) and the links: see --email,
--password, --open-token, --locked-token, --link-password.

It runs schemathesis against /api/v1/schema/ as each kind of client:

1. a visitor of the open link (no credentials; the link's token, a favourites list
   and a photo of it fill the path),
2. a visitor of the password link (the X-Share-Access token that unlock answered),
3. the photographer (a JWT from /api/v1/auth/token/), every operation but those in 4,
   with the seeded gallery, its photos, sets, links and lists filling the path,
4. the photographer again, last, for what deletes or signs out: DELETE operations
   ("deletes"), then me/delete and auth/logout ("signout"). They run last so a deleted gallery or link cannot
   starve the others of real objects.

Checks: everything schemathesis has that holds for this API — no 5xx, status codes,
content types, response headers and bodies (error bodies too) as documented. Deterministic (fixed seed), at most --max-examples cases per
operation, and each pass is cut at its share of --budget seconds. Exits non-zero on any
failure.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
SCHEMATHESIS = ROOT / ".venv" / "bin" / "schemathesis"
EMAIL = "contract@proofsheet.local"
PASSWORD = "contract-Photographer-2025"
LINK_PASSWORD = "lake-como"
OPEN_TOKEN = "contract-open-link"
LOCKED_TOKEN = "contract-locked-link"
PHOTOS = 10

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]
# Not run: negative_data_rejection and positive_data_acceptance. DRF is lenient by
# design (an empty ?page= is page 1, unknown multipart parts are ignored) and business
# rules answer 400 to schema-valid bodies (a blank name, an empty list sent); both
# checks flag that, which is not a broken contract.
# Operations that end a session or delete things: the photographer's last pass.
DESTRUCTIVE = r"^/api/v1/(me/delete|auth/logout)/$"


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(base: str, method: str, path: str, body=None, headers=None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raise SystemExit(
            f"{method} {path} answered {error.code}: {error.read()[:500]!r}"
        ) from None


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("The server stopped before it answered.")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {base} in {seconds:.0f} s.")


class Embedded:
    """The embedded default in a temporary folder, on a free loopback port."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="proofsheet-contract-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_READ_DOT_ENV_FILE": "false",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": "contract-check-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": self.base,
            "DATABASE_URL": f"sqlite:///{self.dir / 'db.sqlite3'}",
            "MEDIA_ROOT": str(self.dir / "media"),
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_HSTS_PRELOAD": "false",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "LOG_LEVEL": "WARNING",
        }
        for name in ("REDIS_URL", "CACHE_URL", "AWS_STORAGE_BUCKET_NAME"):
            self.env.pop(name, None)
        self.server: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"manage.py {args[0]} failed.")
        return result.stdout

    def start(self) -> None:
        log(f"Embedded default in {self.dir}")
        self.manage("migrate", "--no-input")
        for token, password in ((OPEN_TOKEN, ""), (LOCKED_TOKEN, LINK_PASSWORD)):
            # The same gallery twice: the second run reuses it and adds a link.
            self.manage(
                "seed_gallery",
                f"--photos={PHOTOS}",
                "--sets=2",
                f"--email={EMAIL}",
                f"--password={PASSWORD}",
                f"--link-token={token}",
                *([f"--link-password={password}"] if password else []),
            )
        self.log = open(self.dir / "server.log", "w")  # noqa: SIM115
        self.server = subprocess.Popen(
            [
                str(PYTHON),
                "-m",
                "gunicorn",
                "config.wsgi",
                f"--bind=127.0.0.1:{self.port}",
                "--workers=2",
                "--threads=4",
                "--timeout=60",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until_up(self.base, self.server)
        log(f"Serving on {self.base}")

    def stop(self, keep: bool) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
        if keep:
            log(f"Kept {self.dir} (server.log has the server's side)")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def results(body):
    """The items of a list answer, paginated or not."""
    return body["results"] if isinstance(body, dict) else body


def fixtures(base: str, args) -> dict:
    """Real objects for the path parameters, as each client sees them."""
    api = base + "/api/v1"
    tokens = call(
        api, "POST", "/auth/token/", {"email": args.email, "password": args.password}
    )
    owner = {"Authorization": f"Bearer {tokens['access']}"}
    galleries = call(api, "GET", "/galleries/", headers=owner)
    galleries = results(galleries)
    open_link = call(api, "GET", f"/share/{args.open_token}/")
    gallery = next(g for g in galleries if g["id"] == open_link.get("id", g["id"]))
    photos = call(api, "GET", f"/galleries/{gallery['id']}/photos/", headers=owner)
    photos = results(photos)
    sets = call(api, "GET", f"/galleries/{gallery['id']}/sets/", headers=owner)
    sets = results(sets)
    links = call(api, "GET", f"/galleries/{gallery['id']}/links/", headers=owner)
    links = results(links)
    unlocked = call(
        api,
        "POST",
        f"/share/{args.locked_token}/unlock/",
        {"password": args.link_password},
    )
    visitor_locked = {"X-Share-Access": unlocked["access_token"]}
    open_list = call(
        api, "POST", f"/share/{args.open_token}/favourite-lists/", {"name": "Emma"}
    )
    locked_list = call(
        api,
        "POST",
        f"/share/{args.locked_token}/favourite-lists/",
        {"name": "Noah"},
        headers=visitor_locked,
    )
    # The photographer sees the lists once they exist.
    lists = call(
        api, "GET", f"/galleries/{gallery['id']}/favourite-lists/", headers=owner
    )
    lists = results(lists)
    open_link_id = next(k["id"] for k in links if k.get("token") == args.open_token)
    return {
        "owner": owner,
        "gallery": gallery["id"],
        "photo": photos[0]["id"],
        "set": sets[0]["id"],
        "link": open_link_id,
        "list": lists[0]["id"] if lists else None,
        "visitor_locked": visitor_locked,
        "open_list": open_list["token"],
        "locked_list": locked_list["token"],
    }


def toml_value(value) -> str:
    return json.dumps(value)


def config(path: Path, per_operation: list[tuple[str, dict]], shared: dict) -> Path:
    """A schemathesis.toml: parameters for all operations, then per path pattern."""
    lines = ["[parameters]"]
    lines += [f"{toml_value(k)} = {toml_value(v)}" for k, v in shared.items()]
    for pattern, parameters in per_operation:
        lines += ["", "[[operations]]", f"include-path-regex = {toml_value(pattern)}"]
        lines += ["[operations.parameters]"]
        lines += [f"{toml_value(k)} = {toml_value(v)}" for k, v in parameters.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def run_pass(name: str, base: str, args, work: Path, *, headers, filters, cfg) -> bool:
    log(f"Pass: {name}")
    report = work / f"{name}.junit.xml"
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(cfg),
        "run",
        f"{base}/api/v1/schema/",
        "--url",
        base,
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(args.max_examples),
        "--seed",
        str(args.seed),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
        "--no-color",
        "--output-truncate",
        "false",
        *filters,
    ]
    for header, value in headers.items():
        command += ["-H", f"{header}: {value}"]
    started = time.monotonic()
    try:
        result = subprocess.run(command, cwd=work, timeout=args.pass_budget)
        ok = result.returncode == 0
    except subprocess.TimeoutExpired:
        print(f"!! {name} ran out of its {args.pass_budget:.0f} s budget", flush=True)
        ok = False
    log(f"{name}: {'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="check this running site instead")
    parser.add_argument("--email", default=EMAIL)
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--open-token", default=OPEN_TOKEN)
    parser.add_argument("--locked-token", default=LOCKED_TOKEN)
    parser.add_argument("--link-password", default=LINK_PASSWORD)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20250614)
    parser.add_argument(
        "--budget", type=float, default=300, help="seconds for all passes together"
    )
    parser.add_argument(
        "--only",
        help="comma-separated passes: visitor,locked,photographer,deletes,signout",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    args = parser.parse_args()

    started = time.monotonic()
    embedded = None if args.base_url else Embedded()
    ok = False
    try:
        if embedded:
            embedded.start()
        base = (args.base_url or embedded.base).rstrip("/")
        work = Path(tempfile.mkdtemp(prefix="proofsheet-contract-run-"))
        found = fixtures(base, args)
        share = r"^/api/v1/share/"
        visitor_params = {
            "path.token": args.open_token,
            "path.list_token": found["open_list"],
            "path.photo": found["photo"],
        }
        locked_params = {
            **visitor_params,
            "path.token": args.locked_token,
            "path.list_token": found["locked_list"],
        }
        # The first matching entry wins: specific patterns first.
        owner_ops = [
            (
                r"^/api/v1/galleries/\{gallery_pk\}/sets/\{id\}/",
                {"path.gallery_pk": found["gallery"], "path.id": found["set"]},
            ),
            (
                r"^/api/v1/galleries/\{gallery_pk\}/",
                {"path.gallery_pk": found["gallery"]},
            ),
            (r"^/api/v1/galleries/\{id\}/", {"path.id": found["gallery"]}),
            (r"^/api/v1/photos/\{id\}/", {"path.id": found["photo"]}),
            (r"^/api/v1/links/\{id\}/", {"path.id": found["link"]}),
        ]
        if found["list"]:
            owner_ops.append(
                (r"^/api/v1/favourite-lists/\{id\}/", {"path.id": found["list"]})
            )
        passes = [
            (
                "visitor",
                {},
                ["--include-path-regex", share],
                config(work / "visitor.toml", [], visitor_params),
            ),
            (
                "locked",
                found["visitor_locked"],
                ["--include-path-regex", share],
                config(work / "locked.toml", [], locked_params),
            ),
            (
                "photographer",
                found["owner"],
                [
                    # One pattern: a second --exclude-path-regex replaces the first.
                    "--exclude-path-regex",
                    f"{share}|{DESTRUCTIVE}",
                    "--exclude-method",
                    "DELETE",
                ],
                config(work / "photographer.toml", owner_ops, {}),
            ),
            (
                "deletes",
                found["owner"],
                ["--exclude-path-regex", share, "--include-method", "DELETE"],
                config(work / "deletes.toml", owner_ops, {}),
            ),
            (
                "signout",
                found["owner"],
                ["--include-path-regex", DESTRUCTIVE],
                config(work / "signout.toml", [], {}),
            ),
        ]
        if args.only:
            wanted = set(args.only.split(","))
            passes = [p for p in passes if p[0] in wanted]
        left = args.budget - (time.monotonic() - started)
        results = []
        for index, (name, headers, filters, cfg) in enumerate(passes):
            args.pass_budget = max(30.0, left / (len(passes) - index))
            pass_started = time.monotonic()
            results.append(
                run_pass(
                    name, base, args, work, headers=headers, filters=filters, cfg=cfg
                )
            )
            left -= time.monotonic() - pass_started
        ok = all(results)
        log(f"Reports in {work}")
    finally:
        if embedded:
            embedded.stop(keep=args.keep or not ok)
    log(
        f"Contract check {'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
