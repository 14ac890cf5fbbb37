"""Who used the machine's CPU during a load test: the stack, the load generator, or
other work. Other processes on a 2-core machine change every latency figure, so the
results say how much of the CPU the run actually had.

    python loadtest/cpu.py snapshot FILE           before the run
    python loadtest/cpu.py run FILE -- COMMAND...  run the load generator, noting its CPU
    python loadtest/cpu.py report FILE             after it: cores used per group
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
# First match wins; every word of a group's entry must be in the command line. The
# stack's gunicorn is told apart by its address, its worker by its name (other
# sessions on the machine may run their own).
WEB = os.environ.get("LOADTEST_WEB_ADDRESS", "127.0.0.1:8102")
DOWNLOADS = os.environ.get("LOADTEST_DOWNLOADS_ADDRESS", "127.0.0.1:8103")
GROUPS = [
    ("web (gunicorn)", (("gunicorn", f"--bind {WEB}"),)),
    ("ZIP downloads (gunicorn)", (("gunicorn", f"--bind {DOWNLOADS}"),)),
    ("proxy (nginx)", (("nginx",),)),
    ("worker (celery)", (("celery", "prodstack@"),)),
    ("PostgreSQL", (("postgres",),)),
    ("Redis", (("redis-server",),)),
    ("S3 (ceph radosgw, osd, mon)", (("radosgw",), ("ceph-osd",), ("ceph-mon",))),
    ("load generator (locust)", (("locust",),)),
]
OTHER = "everything else on the machine"


def processes() -> dict[str, tuple[str, int]]:
    """pid -> (group, CPU ticks used so far) for every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        # utime, stime, cutime, cstime (children that were reaped count too)
        ticks = sum(int(v) for v in stat[11:15])
        group = next(
            (
                name
                for name, entries in GROUPS
                if any(all(word in cmdline for word in entry) for entry in entries)
            ),
            OTHER,
        )
        found[entry.name] = (group, ticks)
    return found


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def snapshot(path: Path) -> None:
    busy, total = machine_ticks()
    path.write_text(
        json.dumps(
            {"time": time.time(), "busy": busy, "total": total, "procs": processes()}
        )
    )


def run(path: Path, command: list[str]) -> int:
    """Run the load generator; it is gone by the report, so its CPU is noted here."""
    code = subprocess.call(command)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    path.with_suffix(".generator").write_text(str(usage.ru_utime + usage.ru_stime))
    return code


def report(path: Path) -> None:
    before = json.loads(path.read_text())
    seconds = time.time() - before["time"]
    busy, total = machine_ticks()
    used: dict[str, float] = {}
    for pid, (group, ticks) in processes().items():
        _, earlier = before["procs"].get(pid, (group, 0))
        used[group] = used.get(group, 0) + max(ticks - earlier, 0) / TICKS
    generator = path.with_suffix(".generator")
    if generator.exists():
        used["load generator (locust)"] = float(generator.read_text())
    cores = os.cpu_count() or 1
    machine = (busy - before["busy"]) / max(total - before["total"], 1) * cores
    print(f"CPU during the run ({seconds:.0f} s; cores used on average, of {cores}):")
    ours = 0.0
    for group, _ in GROUPS:
        share = used.get(group, 0) / seconds
        ours += share
        print(f"  {group:<32}{share:5.2f}")
    # Short-lived processes are missed one by one, but not by the machine's own count.
    print(f"  {OTHER:<32}{max(machine - ours, 0):5.2f}")
    print(f"  {'the whole machine':<32}{machine:5.2f}")


if __name__ == "__main__":
    action, file = sys.argv[1], Path(sys.argv[2])
    if action == "run":
        sys.exit(run(file, sys.argv[sys.argv.index("--") + 1 :]))
    {"snapshot": snapshot, "report": report}[action](file)
