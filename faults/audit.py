"""The audit that closes every scenario: database rows vs bucket objects vs each
account's bytes used, for the galleries and accounts the scenario made.

- ready: files of the batch with a ready photo whose original and renditions are all
  in the bucket;
- failed: files that ended failed or rejected (their reasons are listed): a person
  would have to act, so they miss the target too;
- stuck: photos still uploading or processing after the recovery deadline;
- lost: files the photographer sent that have no ready, failed or stuck photo, and
  ready photos whose objects are missing from the bucket;
- orphaned objects: objects under the galleries' folders that no photo names, and
  unfinished multipart uploads there;
- quota drift: |bytes used - bytes of the account's photos whose original is in the
  bucket|, summed over the accounts.
"""

import time
from collections import Counter
from dataclasses import dataclass, field

from faults.client import Sample
from faults.stack import Stack

SETTLED = {"ready", "failed", "rejected"}


@dataclass
class Audit:
    scenario: str
    photos: int = 0
    ready: int = 0
    failed: int = 0
    failed_reasons: Counter = field(default_factory=Counter)
    stuck: int = 0
    stuck_states: Counter = field(default_factory=Counter)
    lost: int = 0
    orphaned: int = 0
    drift: int = 0
    visitor_5xx: int | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not (
            self.failed
            or self.stuck
            or self.lost
            or self.orphaned
            or self.drift
            or self.visitor_5xx
            or self.problems
        )


def _rows(stack: Stack, gallery_ids: list[str]) -> list[dict]:
    with stack.db() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id::text, gallery_id::text, status, error, sha256, size, original,"
            " renditions FROM galleries_photo WHERE gallery_id::text = ANY(%s)",
            [gallery_ids],
        )
        names = [c.name for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _accounts(stack: Stack, emails: list[str]) -> list[tuple[str, int, list[str]]]:
    with stack.db() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT u.email, u.storage_used, array_remove(array_agg(g.id::text), NULL)"
            " FROM accounts_user u LEFT JOIN galleries_gallery g ON g.owner_id = u.id"
            " WHERE u.email = ANY(%s) GROUP BY u.email, u.storage_used",
            [emails],
        )
        return cur.fetchall()


def bucket_objects(stack: Stack, gallery_ids: list[str]) -> tuple[set[str], list[str]]:
    """Object keys under the galleries' folders, and their unfinished multipart uploads."""
    s3, keys, uploads = stack.s3(), set(), []
    for gallery_id in gallery_ids:
        prefix = f"photos/{gallery_id}/"
        for page in s3.get_paginator("list_objects_v2").paginate(
            Bucket=stack.bucket, Prefix=prefix
        ):
            keys.update(item["Key"] for item in page.get("Contents", []))
        listed = s3.list_multipart_uploads(Bucket=stack.bucket, Prefix=prefix)
        uploads += [item["Key"] for item in listed.get("Uploads", [])]
    return keys, uploads


def settle(
    stack: Stack, gallery_ids: list[str], samples: list[Sample], deadline: float
):
    """Wait until every file of the batch has a settled photo and none is uploading
    or processing, or the deadline (time.monotonic()) passes. Returns seconds waited."""
    started = time.monotonic()
    wanted = {s.sha256 for s in samples}
    while True:
        try:
            rows = _rows(stack, gallery_ids)
        except Exception:  # noqa: BLE001 - the database may still be coming back
            rows = None
        if rows is not None:
            busy = [r for r in rows if r["status"] not in SETTLED]
            settled = {r["sha256"] for r in rows if r["status"] in SETTLED}
            if not busy and wanted <= settled:
                return time.monotonic() - started
        if time.monotonic() >= deadline:
            return time.monotonic() - started
        time.sleep(1)


def audit(
    stack: Stack,
    scenario: str,
    gallery_ids: list[str],
    emails: list[str],
    samples: list[Sample],
) -> Audit:
    result = Audit(scenario, photos=len(samples))
    rows = _rows(stack, gallery_ids)
    keys, multipart = bucket_objects(stack, gallery_ids)

    def stored(row) -> list[str]:
        names = [row["original"]] if row["original"] else []
        return names + [r["name"] for r in (row["renditions"] or {}).values()]

    by_sha: dict[str, list[dict]] = {}
    for row in rows:
        by_sha.setdefault(row["sha256"], []).append(row)
    for sample in samples:
        mine = by_sha.get(sample.sha256, [])
        ready = [r for r in mine if r["status"] == "ready"]
        if ready:
            missing = [n for r in ready for n in stored(r) if n not in keys]
            if missing or not ready[0]["original"]:
                result.lost += 1
                result.notes.append(
                    f"lost: {sample.name} is ready but the bucket lacks "
                    f"{', '.join(m.rsplit('/', 1)[-1] for m in missing) or 'its original'}"
                )
            else:
                result.ready += 1
            continue
        failed = [r for r in mine if r["status"] in ("failed", "rejected")]
        busy = [r for r in mine if r["status"] not in SETTLED]
        if failed and not busy:
            result.failed += 1
            result.failed_reasons[
                f"{failed[0]['status']}: {failed[0]['error'][:90]}"
            ] += 1
        elif not busy:
            result.lost += 1
            result.notes.append(f"lost: {sample.name} has no photo at all")
    wanted = {s.sha256 for s in samples}
    for row in rows:
        if row["status"] not in SETTLED and row["sha256"] in wanted:
            result.stuck += 1
            has = "with" if row["original"] in keys else "without"
            result.stuck_states[f"{row['status']} ({has} its original)"] += 1

    named = {n for row in rows for n in stored(row)}
    orphans = sorted(keys - named)
    result.orphaned = len(orphans) + len(multipart)
    if orphans:
        result.notes.append(
            f"orphaned: {len(orphans)} object(s), e.g. {', '.join(orphans[:3])}"
        )
    if multipart:
        result.notes.append(
            f"orphaned: {len(multipart)} unfinished multipart upload(s)"
        )

    for email, used, account_galleries in _accounts(stack, emails):
        account_rows = (
            rows
            if set(account_galleries) <= set(gallery_ids)
            else _rows(stack, account_galleries)
        )
        account_keys = keys
        if not set(account_galleries) <= set(gallery_ids):
            account_keys = bucket_objects(stack, account_galleries)[0]
        held = sum(
            r["size"]
            for r in account_rows
            if r["status"] != "rejected" and r["original"] in account_keys
        )
        if used != held:
            result.drift += abs(used - held)
            result.notes.append(
                f"quota drift: {email} uses {used:,} bytes, its stored photos hold {held:,}"
            )
    return result


COLUMNS = [
    ("scenario", 22),
    ("photos", 6),
    ("ready", 5),
    ("failed", 6),
    ("stuck", 5),
    ("lost", 4),
    ("orphaned objects", 16),
    ("quota drift", 11),
    ("visitor 5xx", 11),
    ("result", 6),
]


def table(audits: list[Audit]) -> str:
    def line(values) -> str:
        return (
            "| "
            + " | ".join(
                str(v).ljust(w) for v, (_, w) in zip(values, COLUMNS, strict=True)
            )
            + " |"
        )

    out = [
        line(name for name, _ in COLUMNS),
        "|" + "|".join("-" * (w + 2) for _, w in COLUMNS) + "|",
    ]
    for a in audits:
        out.append(
            line(
                [
                    a.scenario,
                    a.photos,
                    a.ready,
                    a.failed,
                    a.stuck,
                    a.lost,
                    a.orphaned,
                    f"{a.drift:,} B" if a.drift else 0,
                    "-" if a.visitor_5xx is None else a.visitor_5xx,
                    "PASS" if a.passed else "FAIL",
                ]
            )
        )
    details = []
    for a in audits:
        lines = [f"  failed ({n}x) {reason}" for reason, n in a.failed_reasons.items()]
        lines += [f"  stuck ({n}x) {state}" for state, n in a.stuck_states.items()]
        lines += [f"  MISSED: {p}" for p in a.problems]
        lost = [n for n in a.notes if n.startswith("lost: ")]
        kept = [n for n in a.notes if not n.startswith("lost: ")]
        lines += [f"  {note}" for note in lost[:3] + kept]
        if len(lost) > 3:
            lines.append(f"  ... and {len(lost) - 3} more lost")
        if lines:
            details.append(f"{a.scenario}:")
            details += lines
    return "\n".join(out + (["", *details] if details else []))
