"""A bot process for the restart and crash tests (``tests/test_restart_nudges.py``).

It runs what ``rapport run`` runs — ``bootstrap()`` (store, core, nudge policy) and the
outbox worker — over a TinyDB data directory, on a clock read from a file. Instead of
sleeping it jumps from one due item to the next, as the scheduler's ticks would, until
``--until``; it writes the clock back after every tick, so a restarted process goes on
from where the last one stopped.

The platform is a fake that behaves like one with idempotency keys (Discord's nonce):
everything it accepts is appended to ``--log`` and fsynced before it answers, and a key
it already accepted is answered "sent" without a second message. Every call is also
written to ``--attempts``, so a test can see what was offered again after a crash.

    python -m tests.nudge_driver --data D --clock F --log L --attempts A --until ISO
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from bot.adapters.console.community import build_directory
from bot.bootstrap import bootstrap
from bot.clock import ManualClock, iso, parse_iso
from bot.config import Config
from bot.io import DirectMessage, recipients
from bot.outbox import DeliveryResult, OutboxWorker, Parcel, Sent
from store import Store
from store.base import OUTBOX

STEP = timedelta(seconds=1)  # how long after an item's due moment the tick runs


def append_line(path: Path, record: dict) -> None:
    """One JSON line, written in one call and fsynced: it is there, whole, or not at all."""
    data = (json.dumps(record, sort_keys=True) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue  # a line torn by a kill was never acknowledged
    return out


def write_clock(path: Path, moment: datetime) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(iso(moment), encoding="utf-8")
    os.replace(tmp, path)


def read_clock(path: Path) -> datetime:
    return parse_iso(path.read_text(encoding="utf-8").strip())


class IdempotentPlatform:
    """Accepts each idempotency key once; remembers across restarts through its log."""

    def __init__(
        self,
        log: Path,
        attempts: Path,
        clock: ManualClock,
        delay: float,
        *,
        dedupe: bool = True,
        kill_after_accept: int = 0,
    ) -> None:
        self.log = log
        self.attempts = attempts
        self.clock = clock
        self.delay = delay
        self.dedupe = dedupe  # False: a platform without idempotency keys
        self.kill_after_accept = kill_after_accept  # die right after accepting the Nth message
        self.accepted = {r["key"] for r in read_lines(log)}
        self.count = 0

    async def deliver(self, parcel: Parcel) -> DeliveryResult:
        now = iso(self.clock.now())
        append_line(
            self.attempts,
            {
                "key": parcel.key,
                "maybe_sent": parcel.maybe_sent,
                "attempt": parcel.attempt,
                "at": now,
            },
        )
        if self.dedupe and parcel.key in self.accepted:
            return Sent(parcel.key)  # the platform already has it: no second message
        if self.delay:
            time.sleep(self.delay)  # the network round trip
        out = parcel.output
        append_line(
            self.log,
            {
                "key": parcel.key,
                "at": now,
                "to": list(recipients(out)),
                "text": out.message.plain() if isinstance(out, DirectMessage) else "",
            },
        )
        self.accepted.add(parcel.key)
        self.count += 1
        if self.count == self.kill_after_accept:
            # The platform has the message; we die before hearing back or writing "sent".
            os.kill(os.getpid(), signal.SIGKILL)
        return Sent(parcel.key)


def next_wake(store: Store) -> datetime | None:
    """The next moment the outbox has work: a pending item's due, or a lease running out."""
    moments = []
    pending = store.find(OUTBOX, {"state": "pending"}, order_by="due", limit=1)
    if pending:
        moments.append(parse_iso(pending[0]["due"]))
    for item in store.find(OUTBOX, {"state": ["claimed", "sending"]}):
        moments.append(parse_iso(item["lease_until"]))
    return min(moments) if moments else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--clock", required=True, type=Path)
    parser.add_argument("--log", required=True, type=Path)
    parser.add_argument("--attempts", required=True, type=Path)
    parser.add_argument("--until", required=True)
    parser.add_argument("--members", type=int, default=0)
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--kill-after-accept", type=int, default=0)
    parser.add_argument("--no-dedupe", action="store_true")
    args = parser.parse_args(argv)

    until = datetime.fromisoformat(args.until)
    clock = ManualClock(read_clock(args.clock))
    core = bootstrap(
        Config(data_dir=str(args.data)), clock=clock, directory=build_directory(args.members)
    )
    platform = IdempotentPlatform(
        args.log,
        args.attempts,
        clock,
        args.delay_ms / 1000,
        dedupe=not args.no_dedupe,
        kill_after_accept=args.kill_after_accept,
    )
    worker = OutboxWorker(core, {"console": platform}, worker_id=f"driver-{os.getpid()}")
    loop = asyncio.new_event_loop()
    try:
        while True:
            loop.run_until_complete(worker.tick())
            write_clock(args.clock, clock.now())
            wake = next_wake(core.store)
            if wake is None or wake > until:
                break
            clock.set(max(wake, clock.now()) + STEP)
        clock.set(max(until, clock.now()))
        loop.run_until_complete(worker.tick())
        write_clock(args.clock, clock.now())
    finally:
        loop.close()
        core.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
