"""deploy/container/compose_check.py: CI's container run against docker-compose.yml.

bin/container runs the image's containers and hands `podman inspect` to the check; here
the inspect records are written as a run that followed the file would leave them, then
changed the way a drifted script or compose file would.
"""

import importlib.util
import json
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "compose_check", ROOT / "deploy" / "container" / "compose_check.py"
)
compose_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compose_check)

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE_CMD = json.loads(
    re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.M).group(1)
)
IMAGE = {
    "Id": "sha256:built",
    "Config": {
        "Cmd": DOCKERFILE_CMD,
        "Entrypoint": None,
        "Env": ["PATH=/opt/python/bin:/usr/bin", "PORT=8000", "PYTHONUNBUFFERED=1"],
    },
}


def followed_run() -> list[dict]:
    """The inspect records of a run that did what docker-compose.yml says."""
    containers = []
    for name, service in compose_check.app_services(COMPOSE).items():
        env = {"PATH": "/opt/python/bin:/usr/bin", "PORT": "8000", "HOSTNAME": "ci"}
        for var, value in service["environment"].items():
            env[var] = "set-by-ci" if "$" in str(value) else str(value)
        command = service.get("command")
        containers.append(
            {
                "Name": f"proofsheet-ci-{name}",
                "Image": "sha256:built",
                "ImageName": "localhost/proofsheet:ci",
                "Config": {
                    "Cmd": shlex.split(command) if command else DOCKERFILE_CMD,
                    "Entrypoint": "",
                    "Env": [f"{k}={v}" for k, v in env.items()],
                },
            }
        )
    return containers


def container(run: list[dict], service: str) -> dict:
    (found,) = (c for c in run if c["Name"] == f"proofsheet-ci-{service}")
    return found


def set_env(record: dict, var: str, value: str | None) -> None:
    env = [e for e in record["Config"]["Env"] if not e.startswith(f"{var}=")]
    record["Config"]["Env"] = env + ([f"{var}={value}"] if value is not None else [])


def problems(run: list[dict]) -> list[str]:
    return compose_check.compare(COMPOSE, run, IMAGE)[1]


def test_every_service_built_from_the_dockerfile_is_checked():
    assert set(compose_check.app_services(COMPOSE)) == {
        "migrate",
        "web",
        "downloads",
        "worker",
        "beat",
    }


def test_a_run_that_followed_the_file_has_no_differences():
    seen, found = compose_check.compare(COMPOSE, followed_run(), IMAGE)
    assert found == []
    assert len(seen) == 5


def test_a_worker_started_with_another_command_line_is_named():
    run = followed_run()
    container(run, "worker")["Config"]["Cmd"] = ["celery", "-A", "config", "worker"]
    assert problems(run) == [
        "worker: ran 'celery -A config worker', the file says "
        "'nice -n 10 celery -A config worker --loglevel=INFO --concurrency=2'"
    ]


def test_the_web_must_run_the_images_own_command_as_the_file_gives_none():
    run = followed_run()
    container(run, "web")["Config"]["Cmd"] = ["gunicorn", "config.wsgi"]
    assert problems(run) == [
        f"web: ran 'gunicorn config.wsgi', the file says {shlex.join(DOCKERFILE_CMD)!r}"
    ]


def test_a_variable_of_the_file_left_out_of_the_run_is_named():
    run = followed_run()
    set_env(container(run, "downloads"), "WEB_TIMEOUT", None)
    assert problems(run) == ["downloads: WEB_TIMEOUT is in the file, not in the run"]


def test_a_variable_only_the_run_sets_is_named():
    run = followed_run()
    set_env(container(run, "beat"), "AWS_S3_ADDRESSING_STYLE", "path")
    assert problems(run) == [
        "beat: the run sets AWS_S3_ADDRESSING_STYLE, which the file does not"
    ]


def test_a_value_the_file_fixes_must_be_the_same_in_the_run():
    run = followed_run()
    set_env(container(run, "web"), "TRUSTED_PROXY_COUNT", "0")
    assert problems(run) == ["web: TRUSTED_PROXY_COUNT='0', the file says '1'"]


def test_where_the_services_and_ports_are_may_differ():
    run = followed_run()
    set_env(container(run, "web"), "DATABASE_URL", "postgres://127.0.0.1:54329/x")
    set_env(container(run, "web"), "PORT", "8402")
    seen, found = compose_check.compare(COMPOSE, run, IMAGE)
    assert found == []
    assert "where it runs: DATABASE_URL, PORT" in seen[1]


def test_a_service_that_never_ran_and_one_on_another_image_are_named():
    run = [c for c in followed_run() if c["Name"] != "proofsheet-ci-beat"]
    container(run, "migrate")["Image"] = "sha256:other"
    assert problems(run) == [
        "migrate: ran localhost/proofsheet:ci, not the built image",
        "beat: no container proofsheet-ci-beat ran",
    ]


@pytest.mark.parametrize("service", ["web", "worker"])
def test_the_check_reads_the_files_written_by_bin_container(tmp_path, service, capsys):
    run = followed_run()
    set_env(container(run, service), "DEBUG", "true")
    (tmp_path / "containers.json").write_text(json.dumps(run))
    (tmp_path / "image.json").write_text(json.dumps([IMAGE]))
    status = compose_check.main(
        [
            str(ROOT / "docker-compose.yml"),
            str(tmp_path / "containers.json"),
            str(tmp_path / "image.json"),
        ]
    )
    assert status == 1
    assert f"DIFFERS: {service}: DEBUG='true', the file says 'false'" in (
        capsys.readouterr().err
    )
