"""One rapport process over a shared database, for the several-processes tests and bench.

It builds the real core with ``bootstrap(Config(database_url=URL))`` on a fixed manual
clock, prints ``ready`` and waits for a line on stdin, so the parent can start every
process at the same moment once they have all paid for their imports. Then:

``deliver``  runs ``OutboxWorker.tick()`` until nothing is claimable. The platform is a
             fake that appends each delivered idempotency key to ``--out`` (flushed and,
             unless ``--no-fsync``, fsynced before it answers "sent"), optionally after
             ``--delay-ms`` of simulated network time.
``race``     does what two processes might both do at once: schedules the same tip
             slots (``tips.schedule_tip``, each in its own atomic block, as the core
             queues a ``Later``) and, given ``--roulette``, runs round ``--round`` of it
             through its own outbox event. The keys it managed to insert go to ``--out``.

Last it prints one JSON line: ``{"worker", "done", "seconds"}``. The parent's side is
here too: ``fill_outbox`` (due items, bulk-loaded) and ``run_processes``.

    python -m tests.outbox_process deliver --url URL --out FILE --now ISO [--worker W]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.adapters.console.community import COMMUNITY, build_directory
from bot.bootstrap import bootstrap
from bot.clock import ManualClock, iso
from bot.config import Config
from bot.core import Rapport
from bot.io import DirectMessage, Later
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import OutboxWorker, Parcel, Sent, enqueue_delivery, enqueue_event
from store.base import OUTBOX
from store.copy import copy_store
from store.sql_store import SQLStore


class KeyFile:
    """A platform that writes down every idempotency key it is handed, durably."""

    def __init__(self, path: Path, *, fsync: bool = True, delay: float = 0.0) -> None:
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.fsync = fsync
        self.delay = delay
        self.count = 0

    async def deliver(self, parcel: Parcel) -> Sent:
        if self.delay:
            await asyncio.sleep(self.delay)  # the network round trip
        self.file.write(parcel.key + "\n")
        self.file.flush()
        if self.fsync:
            os.fsync(self.file.fileno())
        self.count += 1
        return Sent(parcel.key)

    def close(self) -> None:
        self.file.close()


async def deliver_all(worker: OutboxWorker) -> int:
    """Tick until a tick finds nothing to claim; how many items this worker handled."""
    handled = 0
    while True:
        r = await worker.tick()
        n = r.sent + r.retried + r.failed + r.deferred + r.events
        if n == 0:
            return handled
        handled += n


def race(core: Rapport, out: Path, slots: int, roulette: str | None, round_no: int) -> int:
    """Schedule ``slots`` daily tip slots and (optionally) run a roulette round."""
    from bot.features.tips import commands as tips
    from bot.features.tips.schedule import parse_cadence

    store = core.store
    now = core.clock.now()
    cadence = parse_cadence("daily 9:00", now=now, default_tz="UTC")
    mine = []
    after = now
    for _ in range(slots):
        later = tips.schedule_tip("jobs", cadence, after)
        with store.atomic():
            if enqueue_event(store, COMMUNITY, later) is not None:
                mine.append(later.key)
        after = later.at
    if roulette:
        # A second item for the same round, as a "/coffee roulette now" racing the
        # scheduled one would make: whichever runs second must find nothing to do.
        later = Later(
            now,
            "coffee.roulette_round",
            {"roulette": roulette, "no": round_no, "at": iso(now)},
            f"race-round:{os.getpid()}",
            nudge=False,
        )
        with store.atomic():
            item = enqueue_event(store, COMMUNITY, later)
        assert item is not None
        core.run_event(item)
    out.write_text("".join(k + "\n" for k in mine), encoding="utf-8")
    return len(mine)


# -- the parent's side ---------------------------------------------------------------


def fill_outbox(url: str, n: int, due: datetime) -> set[str]:
    """``n`` DMs due at ``due``, queued by the real ``enqueue_delivery`` (into a scratch
    in-memory store) and bulk-copied into the empty store at ``url``; their keys."""
    staging = SQLStore("sqlite://")
    with staging.atomic():
        for i in range(n):
            enqueue_delivery(
                staging,
                COMMUNITY,
                DirectMessage(f"u{i % 97}", Message(fmt("Hello {n}", n=str(i)))),
                due=due,
                key=f"item-{i}",
            )
    with SQLStore(url) as shared:
        copy_store(staging, shared)
    keys = {d["key"] for d in staging.find(OUTBOX)}
    staging.close()
    return keys


def run_processes(commands: list[list[str]], *, timeout: float = 120.0) -> list[dict]:
    """Start one process per argument list (``python -m tests.outbox_process …``), wait
    until every one is ready, start them all at once, and return their summaries.

    A process that fails raises ``RuntimeError`` with its stderr.
    """
    root = Path(__file__).resolve().parent.parent
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.outbox_process", *cmd],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for cmd in commands
    ]
    try:
        for p in procs:
            assert p.stdout is not None
            line = p.stdout.readline()
            if line.strip() != "ready":
                _, err = p.communicate(timeout=timeout)
                raise RuntimeError(f"a process did not start: {line!r}\n{err}")
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        summaries = []
        for p in procs:
            out, err = p.communicate(timeout=timeout)
            if p.returncode != 0:
                raise RuntimeError(f"a process exited with {p.returncode}:\n{err}")
            summaries.append(json.loads(out.strip().splitlines()[-1]))
        return summaries
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["deliver", "race"])
    parser.add_argument("--url", required=True, help="the shared database (RAPPORT_DATABASE_URL)")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--now", required=True, help="the fixed clock, ISO 8601 with offset")
    parser.add_argument("--worker", default=str(os.getpid()))
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--no-fsync", action="store_true")
    parser.add_argument("--slots", type=int, default=0)
    parser.add_argument("--roulette")
    parser.add_argument("--round", type=int, default=1)
    parser.add_argument("--members", type=int, default=0)
    args = parser.parse_args(argv)

    clock = ManualClock(datetime.fromisoformat(args.now))
    core = bootstrap(
        Config(database_url=args.url), clock=clock, directory=build_directory(args.members)
    )
    try:
        print("ready", flush=True)
        if not sys.stdin.readline():
            return 1  # the parent went away
        started = time.perf_counter()
        if args.mode == "deliver":
            platform = KeyFile(args.out, fsync=not args.no_fsync, delay=args.delay_ms / 1000)
            worker = OutboxWorker(
                core, {COMMUNITY.platform: platform}, worker_id=args.worker, batch=args.batch
            )
            try:
                done = asyncio.run(deliver_all(worker))
            finally:
                platform.close()
        else:
            done = race(core, args.out, args.slots, args.roulette, args.round)
        seconds = time.perf_counter() - started
        print(json.dumps({"worker": args.worker, "done": done, "seconds": seconds}), flush=True)
        return 0
    finally:
        core.store.close()


if __name__ == "__main__":
    sys.exit(main())
