"""proofsheet: upload a shoot, bring the client's picks back into the catalog."""

from __future__ import annotations

import argparse
import getpass
import hashlib
import io
import os
import re
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import requests
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from proofsheet_cli.api import (
    Client,
    CLIError,
    error_message,
    save_credentials,
    sign_in,
)

console = Console(stderr=True, highlight=False)
out = Console(highlight=False)

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif"}
# How long to wait for the server's verdict on one photo after sending it.
PROCESSING_WAIT_SECONDS = 300
DONE = {"ready", "rejected", "failed"}


# --- login ------------------------------------------------------------------------


def login(args) -> int:
    server = args.server.rstrip("/") + "/"
    email = args.email or input("Email: ")
    password = os.environ.get("PROOFSHEET_PASSWORD") or getpass.getpass("Password: ")
    refresh = sign_in(server, email, password)
    path = save_credentials(server, refresh)
    out.print(f"Signed in to {server} as {email}. Token kept in {path}.")
    return 0


# --- upload -----------------------------------------------------------------------


@dataclass
class Outcome:
    path: Path
    status: str  # uploaded, already there, rejected, failed
    detail: str = ""


def _gallery(client: Client, title: str) -> dict:
    found = client.all_pages("galleries/", search=title)
    exact = [g for g in found if g["title"] == title]
    if not exact:
        close = ", ".join(f'"{g["title"]}"' for g in found[:5])
        hint = f" Did you mean {close}?" if close else ""
        raise CLIError(f'You have no gallery called "{title}".{hint}')
    if len(exact) > 1:
        raise CLIError(
            f'{len(exact)} of your galleries are called "{title}": rename one.'
        )
    return exact[0]


def _set_id(client: Client, gallery: dict, name: str | None) -> str | None:
    if not name:
        return None
    for photo_set in gallery["sets"]:
        if photo_set["name"] == name:
            return photo_set["id"]
    created = client.json(
        "POST", f"galleries/{gallery['id']}/sets/", json={"name": name}
    )
    console.print(f'Made the set "{name}" in "{gallery["title"]}".')
    return created["id"]


def _photos(folder: Path) -> tuple[list[Path], list[Path]]:
    """Photos under `folder` (hidden files and folders left out), and the rest."""
    photos, others = [], []
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            (photos if path.suffix.lower() in PHOTO_SUFFIXES else others).append(path)
    return photos, others


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _send(client: Client, target: dict, path: Path, advance) -> list[dict]:
    """Send the bytes where the server said; the parts of a multipart upload."""
    method = target["method"]
    if method in ("PUT", "POST"):
        data = path.read_bytes()  # one photo at a time per job: tens of MB at most
        if method == "PUT":
            response = client.request("PUT", target["url"], data=data)
            if not response.ok:
                raise CLIError(error_message(response))
        else:
            response = requests.post(
                target["url"],
                data=target["fields"],
                files={"file": (path.name, data)},
                timeout=600,
            )
            if not response.ok:
                raise CLIError(
                    f"the storage refused the file (HTTP {response.status_code})"
                )
        advance(len(data))
        return []
    parts = []
    with path.open("rb") as file:
        for number, url in enumerate(target["part_urls"], start=1):
            chunk = file.read(target["part_size"])
            response = requests.put(url, data=chunk, timeout=600)
            if not response.ok:
                raise CLIError(f"the storage refused part {number}")
            advance(len(chunk))
            parts.append({"part_number": number, "etag": response.headers["ETag"]})
    return parts


def _upload_one(
    client: Client, gallery_id: str, set_id, path: Path, advance
) -> Outcome:
    size = path.stat().st_size
    start = client.request(
        "POST",
        f"galleries/{gallery_id}/photos/uploads/",
        json={
            "filename": path.name,
            "size": size,
            "sha256": _sha256(path),
            "set": set_id,
        },
    )
    if start.status_code == 409:
        advance(size)
        return Outcome(path, "already there")
    if not start.ok:
        advance(size)
        return Outcome(path, "rejected", error_message(start))
    body = start.json()
    photo = body["photo"]
    try:
        parts = _send(client, body["upload"], path, advance)
    except CLIError as error:
        client.request("DELETE", f"uploads/{photo['id']}/")
        return Outcome(path, "failed", str(error))
    if body["upload"]["method"] != "PUT" or parts:
        done = client.request(
            "POST", f"uploads/{photo['id']}/complete/", json={"parts": parts}
        )
        if not done.ok:
            return Outcome(path, "rejected", error_message(done))
        photo = done.json()
    deadline = time.monotonic() + PROCESSING_WAIT_SECONDS
    while photo["status"] not in DONE and time.monotonic() < deadline:
        time.sleep(0.5)
        photo = client.json("GET", f"photos/{photo['id']}/")
    if photo["status"] == "ready":
        return Outcome(path, "uploaded")
    if photo["status"] in ("rejected", "failed"):
        return Outcome(path, photo["status"], photo.get("error") or "")
    return Outcome(path, "failed", "still processing; look in the gallery later")


def upload(args) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        raise CLIError(f"{folder} is not a folder.")
    client = Client.from_credentials()
    gallery = _gallery(client, args.gallery)
    set_id = _set_id(client, gallery, args.set)
    photos, others = _photos(folder)
    if others:
        kinds = sorted({p.suffix.lower() or "(no extension)" for p in others})
        console.print(
            f"Skipping {len(others)} files that are not photos: {', '.join(kinds)}"
        )
    if not photos:
        raise CLIError(f"No photos under {folder}.")
    total = sum(p.stat().st_size for p in photos)
    outcomes: list[Outcome] = []
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[done]}/{task.fields[files]} files"),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("Uploading", total=total, done=0, files=len(photos))

        def advance(count: int) -> None:
            progress.advance(task, count)

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {
                pool.submit(_upload_one, client, gallery["id"], set_id, p, advance): p
                for p in photos
            }
            for future in as_completed(futures):
                try:
                    outcome = future.result()
                except CLIError as error:
                    outcome = Outcome(futures[future], "failed", str(error))
                outcomes.append(outcome)
                if outcome.status in ("rejected", "failed"):
                    progress.console.print(
                        f"[red]✗[/red] {outcome.path.relative_to(folder)}: "
                        f"{outcome.detail or outcome.status}"
                    )
                progress.update(task, done=len(outcomes))
    counts = {
        s: sum(o.status == s for o in outcomes)
        for s in ("uploaded", "already there", "rejected", "failed")
    }
    out.print(
        f"{counts['uploaded']} uploaded, {counts['already there']} already there, "
        f"{counts['rejected']} rejected, {counts['failed']} failed "
        f'(gallery "{gallery["title"]}").'
    )
    return 1 if counts["rejected"] or counts["failed"] else 0


# --- picks ------------------------------------------------------------------------

NUMBERED = re.compile(r"^(?P<stem>.*) \(\d+\)$")


def picks(args) -> int:
    folder = Path(args.xmp)
    if not folder.is_dir():
        raise CLIError(f"{folder} is not a folder.")
    client = Client.from_credentials()
    response = client.request(
        "GET", f"favourite-lists/{args.list}/xmp/", params={"mapping": args.mapping}
    )
    if response.status_code == 404:
        raise CLIError(f"You have no favourites list {args.list}.")
    if not response.ok:
        raise CLIError(error_message(response))
    by_stem: dict[str, list[Path]] = {}
    for root, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if not f.startswith(".")]
        for name in files:
            path = Path(root) / name
            if path.suffix.lower() != ".xmp" and not name.startswith("."):
                by_stem.setdefault(path.stem.casefold(), []).append(path)
    written, unmatched, kept = 0, [], []
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        seen = set()
        for name in archive.namelist():
            stem = name.removesuffix(".xmp")
            numbered = NUMBERED.match(stem)
            if numbered and numbered["stem"].casefold() in seen:
                console.print(
                    f"Two picks are called {numbered['stem']}: wrote the first."
                )
                continue
            seen.add(stem.casefold())
            matches = by_stem.get(stem.casefold())
            if not matches:
                unmatched.append(stem)
                continue
            for directory in sorted({m.parent for m in matches}):
                target = directory / f"{Path(matches[0]).stem}.xmp"
                if target.exists() and not args.overwrite:
                    kept.append(target)
                    continue
                target.write_bytes(archive.read(name))
                written += 1
    for target in kept:
        console.print(
            f"[yellow]Kept[/yellow] {target.relative_to(folder)}: it exists (your own "
            "edits?). Run again with --overwrite to replace it."
        )
    for stem in unmatched:
        console.print(f"[red]No file[/red] called {stem} under {folder}.")
    out.print(
        f"{written} sidecars written, {len(kept)} kept, {len(unmatched)} picks unmatched."
    )
    return 1 if unmatched or kept else 0


# --- the command line ---------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="proofsheet", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    sub = commands.add_parser("login", help="sign in and keep a token")
    sub.add_argument("--server", required=True, help="e.g. https://photos.example.com")
    sub.add_argument("--email")
    sub.set_defaults(run=login)
    sub = commands.add_parser("upload", help="upload a folder of photos to a gallery")
    sub.add_argument("folder")
    sub.add_argument("--gallery", required=True, help="the gallery's title, exactly")
    sub.add_argument("--set", help="the set to put them in (made if missing)")
    sub.add_argument("--jobs", type=int, default=4, help="files sent at once (4)")
    sub.set_defaults(run=upload)
    sub = commands.add_parser("picks", help="write a list's picks as XMP sidecars")
    sub.add_argument("list", help="the favourites list's id")
    sub.add_argument(
        "--xmp", required=True, metavar="FOLDER", help="your shoot's folder"
    )
    sub.add_argument(
        "--mapping",
        default="rating-5",
        help="rating-1..rating-5, label-red/yellow/green/blue/purple, or pick",
    )
    sub.add_argument(
        "--overwrite", action="store_true", help="replace existing sidecars"
    )
    sub.set_defaults(run=picks)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except CLIError as error:
        console.print(f"[red]proofsheet:[/red] {error}")
        return 2
    except KeyboardInterrupt:
        console.print("Stopped. Run the same command again to go on where it stopped.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
