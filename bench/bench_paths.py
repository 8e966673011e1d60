"""``/intro find`` and openings at community scale, through the whole core.

Prints p50/p99 of ``/intro find <company>`` on TinyDB at 10,000 members / 100,000 ties /
2,000 profiles, and on PostgreSQL at 150,000 members / 1,000,000 ties / 30,000 profiles
with ``--full`` (20,000 / 100,000 / 6,000 otherwise, said in the output), the time to
enqueue an opening's fan-out to 5,000 matching members, and peak RSS.
Targets: find p99 ≤ 50 ms (TinyDB) and ≤ 100 ms (PostgreSQL, full size); fan-out ≤ 2 s.
"""

from __future__ import annotations

import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.bootstrap import settle_memory
from bot.clock import ManualClock, iso
from bot.core import Rapport
from bot.directory import Member, StaticDirectory
from bot.features.followup.contacts import CONTACTS
from bot.features.network.profiles import PROFILES
from bot.io import CommandInvocation, Community
from store import Store, open_store

COMMUNITY = Community("console", "bench")
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
COMPANIES = [f"Company{i}" for i in range(500)]


def load(store: Store, members: int, ties: int, profiles: int, rng: random.Random) -> None:
    key = COMMUNITY.key
    batch = 20_000
    for start in range(0, ties, batch):
        with store.atomic():
            for n in range(start, min(ties, start + batch)):
                a, b = rng.randrange(members), rng.randrange(members)
                if a == b:
                    continue
                at = NOW - timedelta(days=rng.uniform(1, 400))
                store.insert(
                    CONTACTS,
                    {
                        "community": key,
                        "user": f"m{a}",
                        "other": f"m{b}",
                        "at": iso(at),
                        "source": "coffee",
                        "ref": f"t{n}",
                    },
                )
    with store.atomic():
        for i in rng.sample(range(members), profiles):
            store.insert(
                PROFILES,
                {
                    "key": f"{key}|m{i}",
                    "community": key,
                    "user": f"m{i}",
                    "role": "engineer",
                    "company": (company := rng.choice(COMPANIES)),
                    "company_norm": company.lower(),
                    "role_norm": "engineer",
                    "field_norm": "software",
                    "field": "software",
                    "seeking": "",
                    "fields": "",
                    "companies": "",
                    "helps": "",
                    "open": False,
                    "findable": rng.random() < 0.6,
                    "connector": rng.random() < 0.4,
                },
            )


def core_for(store: Store, members: int) -> Rapport:
    directory = StaticDirectory([Member(f"m{i}", f"m{i}") for i in range(0, members, 1)])
    return Rapport(store, ManualClock(NOW), directory=directory)


def find_latency(core: Rapport, members: int, runs: int, rng: random.Random) -> tuple[float, float]:
    times = []
    for n in range(runs):
        inv = CommandInvocation(
            COMMUNITY,
            f"m{rng.randrange(members)}",
            "intro",
            ("find " + rng.choice(COMPANIES),),
            request_id=f"find-{n}",
        )
        started = time.perf_counter()
        core.handle_command(inv)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def fanout(core: Rapport, store: Store, told: int) -> float:
    key = COMMUNITY.key
    with store.atomic():
        for i in range(told):
            store.insert(
                PROFILES,
                {
                    "key": f"{key}|seeker{i}",
                    "community": key,
                    "user": f"seeker{i}",
                    "role": "",
                    "company": "",
                    "field": "",
                    "seeking": "data engineer",
                    "fields": "",
                    "companies": "",
                    "helps": "",
                    "open": True,
                    "findable": False,
                    "connector": False,
                },
            )
    core.context(COMMUNITY, "m0").set_setting("openings_channel", "jobs")
    inv = CommandInvocation(
        COMMUNITY, "m0", "opening", ("data engineer at Acme",), request_id="opening-1"
    )
    started = time.perf_counter()
    core.handle_command(inv)
    return time.perf_counter() - started


def run(label: str, store: Store, members: int, ties: int, profiles: int) -> None:
    rng = random.Random(7)
    started = time.perf_counter()
    load(store, members, ties, profiles, rng)
    loaded = time.perf_counter() - started
    analyze = getattr(store, "analyze", None)
    if analyze is not None:  # what autovacuum does within a minute of a bulk load
        analyze()
    core = core_for(store, members)
    settle_memory()  # as rapport does once its store and core are built (bot.bootstrap)
    p50, p99 = find_latency(core, members, 200, rng)
    seconds = fanout(core, store, 5_000)
    print(
        f"{label:<10} {members:>8,} members {ties:>9,} ties {profiles:>6,} profiles "
        f"(loaded in {loaded:.0f} s): find p50 {p50:.1f} ms, p99 {p99:.1f} ms; "
        f"opening to 5,000: {seconds:.2f} s",
        flush=True,
    )


def main() -> None:
    full = "--full" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "data"))
        try:
            run("TinyDB", store, 10_000, 100_000, 2_000)
        finally:
            store.close()
    try:
        from bench.bench_scale import pg_schema, pg_url
    except ImportError:
        pg_url = None  # type: ignore[assignment]
    url = pg_url() if pg_url else None
    if url is None:
        print("PostgreSQL: not reachable, skipped")
    else:
        size = (150_000, 1_000_000, 30_000) if full else (20_000, 100_000, 6_000)
        with pg_schema(url, "paths") as scoped:
            store = open_store(url=scoped)
            try:
                run("PostgreSQL", store, *size)
            finally:
                store.close()
        if not full:
            print(
                "(PostgreSQL at 20,000 / 100,000 / 6,000; --full for 150,000 / 1,000,000 / 30,000)"
            )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("targets: find p99 ≤ 50 ms (TinyDB), ≤ 100 ms (PostgreSQL, full); fan-out ≤ 2 s")


if __name__ == "__main__":
    main()
