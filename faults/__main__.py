"""python -m faults [SCENARIO...]: run the fault scenarios against the running
production-like stack, print the audit table, exit 1 if any target is missed.

bin/faults is the way in: it restarts the stack's processes with short recovery
deadlines first. `--list` names the scenarios."""

import argparse
import contextlib
import secrets
import sys
import tempfile
import time
import traceback
from pathlib import Path

from faults import scenarios
from faults.audit import Audit, table
from faults.stack import Stack


def _mend(stack: Stack) -> None:
    """Whatever a scenario that crashed left stopped, started again."""
    for service in ("postgres", "redis", "s3"):
        # A service that will not start shows in the next scenario's failure.
        with contextlib.suppress(Exception):
            stack.services("start", service)
    stack.prodstack("start", check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="SCENARIO", help="default: all")
    parser.add_argument("--list", action="store_true", help="name the scenarios")
    args = parser.parse_args()
    if args.list:
        for name, run in scenarios.ALL.items():
            print(f"{name}: {' '.join(run.__doc__.split())}")
        return 0
    unknown = [n for n in args.names if n not in scenarios.ALL]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)} (see --list)")
    chosen = args.names or list(scenarios.ALL)

    stack = Stack.load()
    run = time.strftime("%m%d%H%M%S") + secrets.token_hex(2)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="faults-") as folder:
        ctx = scenarios.Context(stack=stack, run=run, folder=Path(folder))
        print(
            f"[faults] run {run} on {stack.url}: photos stuck after "
            f"{ctx.stuck_after} s, uploads abandoned after {ctx.abandoned_after} s, "
            f"recovery sweep every {ctx.sweep} s",
            flush=True,
        )
        ctx.create_accounts([*scenarios.ALL, "browsed"])
        audits: list[Audit] = []
        for name in chosen:
            began = time.monotonic()
            print(f"[faults] {name} ...", flush=True)
            try:
                result = scenarios.ALL[name](ctx)
            except Exception as error:  # noqa: BLE001 - one scenario's crash is its FAIL
                traceback.print_exc()
                result = Audit(name)
                result.problems.append(
                    f"the scenario crashed: {type(error).__name__}: {error}"
                )
                _mend(stack)
            result.notes.append(f"took {time.monotonic() - began:.0f} s")
            print(
                f"[faults] {name}: {'PASS' if result.passed else 'FAIL'} "
                f"in {time.monotonic() - began:.0f} s",
                flush=True,
            )
            audits.append(result)
    print()
    print(f"Fault suite audit (run {run}, {time.monotonic() - started:.0f} s):")
    print(table(audits))
    missed = [a.scenario for a in audits if not a.passed]
    print()
    if missed:
        print(
            f"FAILED: {len(missed)} of {len(audits)} scenario(s) missed a target: {', '.join(missed)}"
        )
        return 1
    print(f"all {len(audits)} scenarios met every target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
