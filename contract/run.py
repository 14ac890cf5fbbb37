"""Check the live API against its own OpenAPI schema with schemathesis.

    python contract/run.py [--prodstack | --base-url URL [--email E --password P ...]]
        [--max-examples 25] [--seed 20250614] [--budget SECONDS] [--only PASSES]

Without options it starts the embedded default on a free loopback port (fresh
SQLite and media in a temporary folder, DEBUG off, plain http; passwords hash fast, see
contract/settings.py), migrates, seeds a photographer, a gallery of 10 photos, an open
link and a password link, and stops the server at the end.

With --prodstack it checks the production-like stack that `bin/prodstack start` runs
(PRODSTACK_PORT, 8100): it seeds the same through `bin/prodstack manage`, for a
photographer of this run's own (contract-<random>@proofsheet.local, links of random
tokens), and removes that photographer with everything it made at the end (--keep
keeps it). Failed logins of the check lock out 127.0.0.1 (django-axes): the lock-outs
of loopback are lifted before and after, so the stack stays usable.

With --base-url it checks a running site, which must already hold the seeded
photographer (seed_gallery --password ...) and the links: see --email, --password,
--open-token, --locked-token, --link-password.

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
operation, and each pass is cut at its share of --budget seconds (300 on the embedded
default, 600 on another site, where passwords really hash and photos go to S3). Exits
non-zero on any failure.
"""

import argparse
import json
import os
import shutil
import signal
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
PRODSTACK = ROOT / "bin" / "prodstack"

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
# Each pass's share of --budget, as its usual time (2 cores, embedded default: about
# 20, 20, 100, 10 and 10 s): the photographer's 36 operations are most of the work.
PASS_WEIGHTS = {
    "visitor": 2,
    "locked": 2,
    "photographer": 8,
    "deletes": 1,
    "signout": 1,
}


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


def run_manage(command: list[str], env: dict | None = None) -> str:
    """Run a manage.py command; its output, or leave with what it printed."""
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{' '.join(command[:3])} failed.")
    return result.stdout


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

    def __init__(self, args) -> None:
        self.args = args
        self.dir = Path(tempfile.mkdtemp(prefix="proofsheet-contract-"))
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_READ_DOT_ENV_FILE": "false",
            # config.settings with a fast password hasher (see contract/settings.py).
            "DJANGO_SETTINGS_MODULE": "contract.settings",
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
        return run_manage([str(PYTHON), "manage.py", *args], env=self.env)

    def start(self) -> None:
        log(f"Embedded default in {self.dir}")
        self.manage("migrate", "--no-input")
        seed(self.manage, self.args)
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


def seed(manage, args) -> None:
    """The photographer, a gallery of PHOTOS photos, its open and password links."""
    for token, password in ((args.open_token, ""), (args.locked_token, LINK_PASSWORD)):
        # The same gallery twice: the second run reuses it and adds a link.
        manage(
            "seed_gallery",
            f"--photos={PHOTOS}",
            "--sets=2",
            f"--email={args.email}",
            f"--password={args.password}",
            f"--link-token={token}",
            *([f"--link-password={password}"] if password else []),
        )


# Removes the check's photographer with its galleries (the stack's worker deletes the
# files): by id, as the check may change its email, or by email if it never signed in.
REMOVE_PHOTOGRAPHER = """
from django.db.models import Q
from accounts.models import User
from accounts.services import user_remove
for user in User.objects.filter(Q(pk={pk!r}) | Q(email__iexact={email!r})):
    user_remove(user=user)
"""


class Prodstack:
    """The production-like stack of `bin/prodstack start`, seeded for this run."""

    def __init__(self, args) -> None:
        self.base = f"http://127.0.0.1:{os.environ.get('PRODSTACK_PORT', '8100')}"
        run = os.urandom(4).hex()
        args.email = f"contract-{run}@proofsheet.local"
        args.open_token = f"contract-open-{run}"
        args.locked_token = f"contract-locked-{run}"
        args.link_password = LINK_PASSWORD
        self.args = args
        self.photographer: int | None = None

    def manage(self, *args: str) -> str:
        return run_manage([str(PRODSTACK), "manage", *args])

    def start(self) -> None:
        log(f"Production-like stack on {self.base} (bin/prodstack start runs it)")
        try:
            urllib.request.urlopen(self.base + "/healthz", timeout=10).read()
        except (urllib.error.URLError, OSError) as error:
            raise SystemExit(
                f"The stack does not answer at {self.base}/healthz ({error}): "
                "run bin/prodstack start first."
            ) from None
        self.manage("axes_reset_ip", "127.0.0.1")
        seed(self.manage, self.args)
        log(f"Seeded {self.args.email}")

    def stop(self, keep: bool) -> None:
        if not keep:
            code = REMOVE_PHOTOGRAPHER.format(
                pk=self.photographer, email=self.args.email
            )
            self.manage("shell", "-c", code)
            log(f"Removed {self.args.email} and what it made")
        self.manage("axes_reset_ip", "127.0.0.1")


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
    me = call(api, "GET", "/me/", headers=owner)
    galleries = results(call(api, "GET", "/galleries/", headers=owner))
    # The one the open link shows.
    gallery = next(
        g
        for g in galleries
        if any(
            link["token"] == args.open_token
            for link in results(
                call(api, "GET", f"/galleries/{g['id']}/links/", headers=owner)
            )
        )
    )
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
        "me": me["id"],
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
    process = subprocess.Popen(command, cwd=work)
    try:
        ok = process.wait(timeout=args.pass_budget) == 0
    except subprocess.TimeoutExpired:
        # Interrupted, schemathesis still reports the failures it found so far.
        print(
            f"!! {name} ran out of its {args.pass_budget:.0f} s budget: interrupted",
            flush=True,
        )
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        ok = False
    log(f"{name}: {'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--prodstack",
        action="store_true",
        help="seed and check the production-like stack (bin/prodstack start)",
    )
    parser.add_argument("--base-url", help="check this running site instead")
    parser.add_argument("--email", default=EMAIL)
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--open-token", default=OPEN_TOKEN)
    parser.add_argument("--locked-token", default=LOCKED_TOKEN)
    parser.add_argument("--link-password", default=LINK_PASSWORD)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20250614)
    parser.add_argument(
        "--budget",
        type=float,
        help="seconds for all passes together (300 embedded, 600 on another site)",
    )
    parser.add_argument(
        "--only",
        help="comma-separated passes: visitor,locked,photographer,deletes,signout",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary site (--prodstack: the seeded photographer)",
    )
    args = parser.parse_args()
    if args.prodstack and args.base_url:
        parser.error("--prodstack checks the stack's own URL: no --base-url with it")
    if args.budget is None:
        args.budget = 600.0 if args.prodstack or args.base_url else 300.0

    started = time.monotonic()
    if args.prodstack:
        site = Prodstack(args)
    elif args.base_url:
        site = None
    else:
        site = Embedded(args)
    ok = False
    try:
        if site:
            site.start()
        base = (args.base_url or site.base).rstrip("/")
        work = Path(tempfile.mkdtemp(prefix="proofsheet-contract-run-"))
        found = fixtures(base, args)
        if isinstance(site, Prodstack):
            site.photographer = found["me"]
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
            # Its weight's share of what is left: what a pass leaves unused goes to
            # the ones after it.
            weights = [PASS_WEIGHTS[p[0]] for p in passes[index:]]
            args.pass_budget = max(30.0, left * weights[0] / sum(weights))
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
        if isinstance(site, Embedded):
            site.stop(keep=args.keep or not ok)
        elif site:
            site.stop(keep=args.keep)
    log(
        f"Contract check {'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
