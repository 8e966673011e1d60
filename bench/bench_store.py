"""Foundation benchmark: command latency as the store grows, the tick's cost, peak RSS.

For stores of 1,000, 10,000 and 100,000 records it times a command that writes
(``/rapport settings quiet …``: a settings record, through the whole core) and one
that only reads (``/rapport settings``), then the outbox tick with 10,000 pending
items: a tick when none is due, and delivering all of them once due.
Targets: a writing command at 10,000 records p99 ≤ 20 ms, at 100,000 p99 ≤ 100 ms.
"""

from __future__ import annotations

import asyncio
import random
import resource
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.adapters.console.community import COMMUNITY
from bot.clock import ManualClock
from bot.config import Config
from bot.core import Rapport
from bot.directory import Member, StaticDirectory
from bot.io import CommandInvocation, DirectMessage
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import OutboxWorker, Parcel, Sent, enqueue_delivery
from bot.settings import SETTINGS, settings_key
from store.base import Store
from store.tinydb_store import TinyDBStore
from tests.harness import START

SIZES = (1_000, 10_000, 100_000)
SAMPLES = 400


class Null:
    async def deliver(self, parcel: Parcel) -> Sent:
        return Sent(parcel.id)


def settings_doc(i: int) -> dict:
    user = f"u{i}"
    return {
        "key": settings_key(COMMUNITY, user),
        "community": COMMUNITY.key,
        "user": user,
        "tz": "Europe/Berlin",
        "quiet": "21:00-08:00",
    }


def populate(store: Store, n: int, *, batch: int = 10_000) -> None:
    """n records: settings for n members, as a large community would have.

    In bulk when the store can (``SQLStore.insert_many``); TinyDB is compacted after.
    """
    bulk = getattr(store, "insert_many", None)
    with store.atomic():
        if bulk is None:
            for i in range(n):
                store.insert(SETTINGS, settings_doc(i))
        else:
            for start in range(0, n, batch):
                bulk(SETTINGS, [settings_doc(i) for i in range(start, min(n, start + batch))])
    compact = getattr(store, "compact", None)
    if compact is not None:
        compact()


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


WARMUP = 20  # untimed commands first (see time_commands)


def time_commands(store: Store, n: int, samples: int = SAMPLES) -> tuple[list[float], list[float]]:
    """Seconds per writing and per reading command, for random members of ``n``.

    ``WARMUP`` pairs run untimed first: a new process's first commands compile their
    statements, and on PostgreSQL prepare them on the server (from a statement's second
    use), which a process in service did long ago."""
    core = Rapport(store, ManualClock(START), Config(), StaticDirectory([Member("u1", "u1")]))
    rng = random.Random(n)
    writes, reads = [], []
    for i in range(-WARMUP, samples):
        user = f"u{rng.randrange(n)}"
        inv = CommandInvocation(
            COMMUNITY, user, "rapport", ("settings quiet 22:00-07:00",), request_id=f"w{i}"
        )
        t = time.perf_counter()
        core.handle_command(inv)
        wrote = time.perf_counter() - t
        inv = CommandInvocation(COMMUNITY, user, "rapport", ("settings",))
        t = time.perf_counter()
        core.handle_command(inv)
        if i >= 0:
            writes.append(wrote)
            reads.append(time.perf_counter() - t)
    return writes, reads


def run_size(n: int) -> tuple[float, ...]:
    with tempfile.TemporaryDirectory() as tmp:
        store = TinyDBStore(Path(tmp))
        populate(store, n)
        writes, reads = time_commands(store, n)
        t = time.perf_counter()
        store.compact()
        compact = (time.perf_counter() - t) * 1000
        store.close()
    return (
        pct(writes, 50),
        pct(writes, 99),
        max(writes) * 1000,
        pct(reads, 50),
        pct(reads, 99),
        compact,
    )


def tick_cost(pending: int = 10_000) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        store = TinyDBStore(Path(tmp))
        clock = ManualClock(START)
        core = Rapport(store, clock, Config(), StaticDirectory())
        with store.atomic():
            for i in range(pending):
                enqueue_delivery(
                    store,
                    COMMUNITY,
                    DirectMessage(f"u{i}", Message(fmt("hi"))),
                    due=START + timedelta(hours=1, seconds=i % 600),
                )
        worker = OutboxWorker(core, {"console": Null()}, max_per_tick=pending)
        loop = asyncio.new_event_loop()
        t = time.perf_counter()
        for _ in range(100):
            loop.run_until_complete(worker.tick())
        idle = (time.perf_counter() - t) / 100
        clock.advance(timedelta(hours=2))
        t = time.perf_counter()
        report = loop.run_until_complete(worker.tick())
        busy = time.perf_counter() - t
        assert report.sent == pending, report
        loop.close()
        store.close()
        return idle * 1000, busy, pending / busy


def main() -> None:
    print("command latency (ms), TinyDB store, through the whole core:")
    head = ("records", "write p50", "write p99", "write max", "read p50", "read p99", "compact")
    print("{:>9} | {:>9} | {:>9} | {:>9} | {:>8} | {:>8} | {:>7}".format(*head))
    for n in SIZES:
        w50, w99, wmax, r50, r99, compact = run_size(n)
        print(
            f"{n:>9,} | {w50:>9.2f} | {w99:>9.2f} | {wmax:>9.2f} | {r50:>8.2f} | {r99:>8.2f}"
            f" | {compact:>7.0f}",
            flush=True,
        )
    idle, busy, rate = tick_cost()
    print(f"tick with 10,000 pending, none due: {idle:.3f} ms")
    print(f"tick delivering 10,000 due items: {busy:.2f} s ({rate:,.0f} items/s, 2 fsyncs each)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MiB")
    print("compact: folding the journal into a new snapshot (ms); it happens once the journal")
    print("outgrows the snapshot, i.e. about once per 40,000 writes at 100,000 records.")
    print("targets: write p99 ≤ 20 ms at 10,000 records, ≤ 100 ms at 100,000")


if __name__ == "__main__":
    main()
