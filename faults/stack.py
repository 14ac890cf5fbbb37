"""The running production-like stack, as the fault suite reaches and breaks it.

Everything comes from what `bin/prodstack` and `bin/services` keep on disk: the env
file the stack's processes run with, the pid files gunicorn and Celery write (under
supervisord), the services' pid files and logs.
"""

import os
import shlex
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
import psycopg
from botocore.config import Config

ROOT = Path(__file__).resolve().parent.parent


def read_env_file(path: Path) -> dict[str, str]:
    """The `export NAME=value` lines bin/prodstack writes, as a dict."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line.startswith("export "):
            continue
        name, _, value = line.removeprefix("export ").partition("=")
        values[name] = " ".join(shlex.split(value)) if value else ""
    return values


def _pid(path: Path) -> int | None:
    try:
        pid = int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None
    return None if state == "Z" else pid


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@dataclass
class Stack:
    dir: Path
    env: dict[str, str]

    @classmethod
    def load(cls) -> "Stack":
        folder = Path(os.environ.get("PRODSTACK_DIR") or ROOT / "var" / "prodstack")
        env_file = folder / "env"
        if not env_file.is_file():
            raise SystemExit(
                f"no {env_file}: start the stack first (bin/prodstack start)"
            )
        return cls(dir=folder.resolve(), env=read_env_file(env_file))

    # --- where things are -------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.env["SITE_URL"].rstrip("/")

    @property
    def bucket(self) -> str:
        return self.env["AWS_STORAGE_BUCKET_NAME"]

    def setting(self, name: str, default: int) -> int:
        value = self.env.get(name) or os.environ.get(name)
        return int(value) if value else default

    @property
    def services_dir(self) -> Path:
        return Path(os.environ.get("SERVICES_DIR", "/tmp/proofsheet-services"))

    @property
    def rgw_log(self) -> Path:
        return self.services_dir / "logs" / "ceph-client.rgw.a.log"

    # --- clients of the services ------------------------------------------------------

    def db(self) -> psycopg.Connection:
        url = self.env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
        return psycopg.connect(url, autocommit=True, connect_timeout=5)

    def s3(self):
        return boto3.client(
            "s3",
            endpoint_url=self.env["AWS_S3_ENDPOINT_URL"],
            region_name=self.env["AWS_S3_REGION_NAME"],
            aws_access_key_id=self.env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["AWS_SECRET_ACCESS_KEY"],
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 2},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    # --- breaking and mending ---------------------------------------------------------

    def services(self, command: str, name: str) -> None:
        """`bin/services stop|start NAME`: one backing service."""
        subprocess.run([str(ROOT / "bin" / "services"), command, name], check=True)

    def outage(self, name: str, seconds: float) -> None:
        """One backing service stopped for `seconds`, then started again (as a
        supervisor would), whatever happens meanwhile."""
        self.services("stop", name)
        try:
            time.sleep(seconds)
        finally:
            self.services("start", name)

    def prodstack(self, *args: str, check: bool = True) -> int:
        """`bin/prodstack ARGS` with this process's environment (the short deadlines)."""
        return subprocess.run(
            [str(ROOT / "bin" / "prodstack"), *args],
            check=check,
            stdout=subprocess.DEVNULL,
        ).returncode

    def manage(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [str(ROOT / "bin" / "prodstack"), "manage", *args],
            input=stdin,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)}: {done.stderr[-2000:]}")
        return done.stdout

    def pid(self, name: str) -> int | None:
        """A live process of the stack by its pid file: worker, beat, gunicorn..."""
        return _pid(self.dir / f"{name}.pid")

    def kill_worker(self) -> list[int]:
        """SIGKILL the Celery worker and its pool processes, as a machine that dies."""
        main = self.pid("worker")
        if main is None:
            raise RuntimeError("the Celery worker is not running")
        victims = [main, *_children(main)]
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        for _ in range(50):
            if self.pid("worker") is None:
                break
            time.sleep(0.1)
        return victims

    def download_workers(self) -> list[int]:
        master = self.pid("downloads")
        if master is None:
            raise RuntimeError("the download workers are not running")
        return _children(master)

    def worker_serving(self, port: int) -> int | None:
        """The download worker process holding an established connection on `port`."""
        wanted = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == "01":  # ESTABLISHED
                    wanted.add(fields[9])
        for pid in self.download_workers():
            try:
                links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
            except OSError:
                continue
            if any(
                link[len("socket:[") : -1] in wanted
                for link in links
                if link.startswith("socket:[")
            ):
                return pid
        return None

    def restart_missing(self) -> None:
        """Whatever of the stack is not running started again: supervisord has
        usually done it already; `bin/prodstack start` then checks the stack is whole."""
        self.prodstack("start")
