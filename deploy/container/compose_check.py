"""Does docker-compose.yml run what CI ran? Its app services against `podman inspect`.

    python deploy/container/compose_check.py COMPOSE_FILE CONTAINERS_JSON IMAGE_JSON

CONTAINERS_JSON is `podman inspect` of the containers bin/container ran, named
proofsheet-ci-<service>; IMAGE_JSON is `podman image inspect` of the image they ran.
For every service of docker-compose.yml built from the Dockerfile (`build:`), a container
of that service must have run the image with the same command line (the service's
`command`, or the image's CMD when it has none) and the same environment: every variable
the service sets, nothing else but the image's own variables and podman's, and the same
value wherever the file gives one outright (not `${...}`, which is the user's to set),
except for the variables that say where the services are (WHERE_IT_RUNS). Prints what
it compared; exits 1 naming each difference.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import yaml

PREFIX = "proofsheet-ci-"

#: Set by CI to other values than the file's, with the reason: they say where things are.
WHERE_IT_RUNS = {
    "DATABASE_URL": "CI's PostgreSQL, a database of its own",
    "REDIS_URL": "CI's Redis, a database number of its own",
    "AWS_STORAGE_BUCKET_NAME": "a bucket of its own on CI's radosgw",
    "AWS_ACCESS_KEY_ID": "CI's radosgw user",
    "PORT": "host networking: each process listens on a port of its own",
}

#: Variables podman itself puts in every container.
PODMAN_OWN = {"HOSTNAME", "HOME", "TERM", "container"}


def app_services(compose: dict) -> dict[str, dict]:
    """The services docker-compose.yml builds from the Dockerfile, merge keys applied."""
    return {
        name: service
        for name, service in compose["services"].items()
        if "build" in service
    }


def _env(entries: list[str] | None) -> dict[str, str]:
    pairs = (entry.partition("=") for entry in entries or [])
    return {name: value for name, _, value in pairs}


def _argv(value) -> list[str]:
    if value in (None, ""):
        return []
    return shlex.split(value) if isinstance(value, str) else list(value)


def _service_env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = _env(env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def compare(compose: dict, containers: list[dict], image: dict) -> tuple[list, list]:
    """(what matched, what differs), as lines for a person."""
    by_name = {c["Name"].lstrip("/"): c for c in containers}
    image_env = _env(image["Config"].get("Env"))
    image_cmd = _argv(image["Config"].get("Cmd"))
    image_entrypoint = _argv(image["Config"].get("Entrypoint"))
    seen, problems = [], []
    for name, service in app_services(compose).items():
        container = by_name.get(PREFIX + name)
        if container is None:
            problems.append(f"{name}: no container {PREFIX}{name} ran")
            continue
        if container.get("Image") != image["Id"]:
            problems.append(
                f"{name}: ran {container.get('ImageName')}, not the built image"
            )
        wanted = _argv(service.get("command")) or image_cmd
        ran = _argv(container["Config"].get("Cmd"))
        if ran != wanted:
            problems.append(
                f"{name}: ran {shlex.join(ran)!r}, the file says {shlex.join(wanted)!r}"
            )
        if _argv(container["Config"].get("Entrypoint")) != image_entrypoint:
            problems.append(f"{name}: an entrypoint of its own")
        env = _env(container["Config"].get("Env"))
        declared = _service_env(service)
        for var, value in sorted(declared.items()):
            if var not in env:
                problems.append(f"{name}: {var} is in the file, not in the run")
            elif "$" not in value and env[var] != value and var not in WHERE_IT_RUNS:
                problems.append(f"{name}: {var}={env[var]!r}, the file says {value!r}")
        for var in sorted(set(env) - set(declared) - PODMAN_OWN):
            if var not in image_env:
                problems.append(f"{name}: the run sets {var}, which the file does not")
            elif env[var] != image_env[var] and var not in WHERE_IT_RUNS:
                problems.append(
                    f"{name}: {var}={env[var]!r}, the image says {image_env[var]!r}"
                )
        differing = sorted(
            var
            for var in WHERE_IT_RUNS
            if var in env and env[var] != declared.get(var, image_env.get(var))
        )
        seen.append(
            f"{name}: {shlex.join(wanted)}; {len(declared)} variables of the file"
            + (f"; where it runs: {', '.join(differing)}" if differing else "")
        )
    return seen, problems


def main(argv: list[str]) -> int:
    compose_file, containers_json, image_json = argv
    compose = yaml.safe_load(Path(compose_file).read_text())
    containers = json.loads(Path(containers_json).read_text())
    (image,) = json.loads(Path(image_json).read_text())
    seen, problems = compare(compose, containers, image)
    for line in seen:
        print(f"  same as {compose_file}: {line}")
    for var, why in WHERE_IT_RUNS.items():
        print(f"  (may differ: {var}, {why})")
    for line in problems:
        print(f"  DIFFERS: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
