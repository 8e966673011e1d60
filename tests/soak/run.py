"""The soak, long form: ``python -m tests.soak.run`` (``make soak``).

1,000 members live 60 days by default; the process is killed at random ticks (in
every way the short form knows, and several real SIGKILLs of a child process). It
prints deliveries, failures by reason, kills survived and peak memory, then every
broken invariant; the exit status is 1 if there is any.

    python -m tests.soak.run [--members 1000] [--days 60] [--seed 1] [--kills 40]
                             [--process-kills 8] [--trace-memory] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from tests.soak.checks import figures, problems
from tests.soak.world import Plan, World


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--days", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--process-kills", type=int, default=8)
    parser.add_argument("--activity", type=float, default=1.0)
    parser.add_argument("--keep-days", type=float, default=30, help="outbox housekeeping")
    parser.add_argument("--start", default="2027-03-01T09:00:00+00:00", help="crosses DST")
    parser.add_argument("--trace-memory", action="store_true", help="tracemalloc (slower)")
    parser.add_argument("--keep", type=Path, help="keep the data directory here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)  # the bot logs every expected failure

    plan = Plan(
        members=args.members,
        days=args.days,
        seed=args.seed,
        kills=args.kills,
        process_kills=args.process_kills,
        activity=args.activity,
        trace_memory=args.trace_memory,
        start=datetime.fromisoformat(args.start),
        keep=timedelta(days=args.keep_days),
    )
    base = args.keep or Path(tempfile.mkdtemp(prefix="rapport-soak-"))
    print(f"soak: {plan.members} members, {plan.days:g} days, seed {plan.seed} in {base}")
    world = World(plan, base / "data")
    try:
        world.run()
        found = problems(world)
        numbers = figures(world)
    finally:
        world.close()
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    memory = numbers.pop("memory by day")
    for name, value in numbers.items():
        print(f"{name:>42}: {json.dumps(value) if isinstance(value, dict) else value}")
    print(f"{'memory by day (day: RSS MB/k blocks/records)':>42}:")
    print("   " + ", ".join(f"{d}: {r}/{b}/{n}" for d, r, b, n in memory))
    if found:
        print(f"\n{len(found)} PROBLEMS:")
        for line in found[:50]:
            print("  -", line)
        return 1
    print("\nall invariants held")
    return 0


if __name__ == "__main__":
    sys.exit(main())
