"""Scale benchmark (issue #10): the foundation benchmark's commands on every store as
it grows, and outbox throughput with several processes over one PostgreSQL.

Commands: as in ``bench_store`` — a writing command (``/rapport settings quiet …``)
and a reading one (``/rapport settings``), through the whole core, for random members
of a store holding 10,000, 100,000 and 1,000,000 settings records. TinyDB stops where
loading would take too long (printed, with why); SQLite runs on a temp file;
PostgreSQL on ``RAPPORT_TEST_DATABASE_URL`` (default the local server) in a scratch
schema, only when it can be reached.

Outbox: 1, 2 and 4 real processes (``tests/outbox_process.py``, the real core through
``bootstrap``) share one outbox of due DMs and deliver it to a fake platform; every
item is checked to be delivered exactly once. Once with an instant platform (the cost
of the outbox itself: a claim per batch, then "sending" and "sent" committed for each
item) and once with 10 ms of simulated network time per send.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.bench_store import WARMUP, pct, populate, time_commands
from bot.bootstrap import settle_memory
from store.base import Store
from store.sql_store import SQLStore
from store.tinydb_store import TinyDBStore
from tests.harness import START

SIZES = (10_000, 100_000, 1_000_000)
SAMPLES = 1000  # p99 is then the 10th slowest, not the 2nd: steadier from run to run
TINYDB_MAX = 100_000  # beyond this, loading alone outgrows the benchmark (see main)
PROCESSES = (1, 2, 4)
OUTBOX_ITEMS = 1_000
SLOW_ITEMS = 400
SLOW_MS = 10.0
BATCH = 20  # items a worker claims at once (rapport's default is 100)

StoreAt = Callable[[Path], Store]


# -- stores ------------------------------------------------------------------------------


def pg_url() -> str | None:
    """The PostgreSQL server to use, or None (and why is printed) when unreachable."""
    from tests.pg import database_url, unavailable

    reason = unavailable()
    if reason is not None:
        print(f"PostgreSQL skipped: {reason}")
        return None
    return database_url()


@contextmanager
def pg_schema(url: str, prefix: str) -> Iterator[str]:
    """``url`` with a fresh scratch schema, dropped afterwards."""
    from tests.pg import drop_schema, new_schema_name

    schema = new_schema_name(prefix)
    try:
        yield f"{url}?schema={schema}"
    finally:
        drop_schema(url, schema)


def backends(url: str | None) -> list[tuple[str, StoreAt]]:
    found: list[tuple[str, StoreAt]] = [
        ("TinyDB", lambda tmp: TinyDBStore(tmp / "data")),
        ("SQLite", lambda tmp: SQLStore(f"sqlite:///{tmp / 'rapport.db'}")),
    ]
    if url is not None:
        from tests.pg import new_schema_name

        found.append(("PostgreSQL", lambda tmp: SQLStore(url, schema=new_schema_name("bench"))))
    return found


def analyze(store: Store) -> None:
    """Settle a bulk load as a database in service has settled: fresh planner statistics,
    and on PostgreSQL a vacuum (the visibility map and hint bits autovacuum would set a
    minute later; until then every first read of a row writes its page again) and a
    checkpoint (the million rows' dirty pages written out now, not during the timed
    commands). Without it the commands are timed against the load's own aftermath: the
    bare-commit floor alone doubled in such runs."""
    if not isinstance(store, SQLStore):
        return
    if store.engine.dialect.name != "postgresql":
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE records")
        return
    import sqlalchemy as sa

    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE) records")
        try:
            conn.exec_driver_sql("CHECKPOINT")  # a superuser's (or pg_checkpoint's) right
        except sa.exc.DBAPIError as e:
            print(f"(no CHECKPOINT before timing: {e.orig})")


# -- commands at size --------------------------------------------------------------------


@dataclass
class Row:
    load: float  # seconds to bulk-load the records
    grew: float  # MiB this process grew by while loading (the records TinyDB keeps in memory)
    writes: list[float]
    reads: list[float]
    compact: float | None = None  # ms for one TinyDB compaction at this size
    statements: float | None = None  # SQL statements per command (writing + reading, halved)
    floor: tuple[list[float], list[float]] | None = None  # a bare commit, a bare round trip


def floor(store: SQLStore, samples: int) -> tuple[list[float], list[float]]:
    """What the server and this disk give any command, without rapport: seconds for a bare
    transaction writing one row (BEGIN, INSERT, COMMIT — the commit waits for the WAL
    to reach the disk, as every writing command's must) and for one bare round trip."""
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("CREATE TABLE IF NOT EXISTS bench_floor_wal (doc jsonb)")
        raw.commit()
        writes, reads = [], []
        for i in range(samples):
            t = time.perf_counter()
            cur.execute("INSERT INTO bench_floor_wal VALUES (%s::jsonb)", (f'{{"n": {i}}}',))
            raw.commit()
            writes.append(time.perf_counter() - t)
            t = time.perf_counter()
            cur.execute("SELECT 1")
            cur.fetchall()
            raw.commit()
            reads.append(time.perf_counter() - t)
        cur.execute("DROP TABLE bench_floor_wal")
        raw.commit()
        return writes, reads
    finally:
        raw.close()


@contextmanager
def counting(store: Store) -> Iterator[list[int]]:
    """Count the SQL statements ``store`` sends (each is a round trip to the server)."""
    import sqlalchemy as sa

    seen = [0]
    if not isinstance(store, SQLStore):
        yield seen
        return

    def count(*args: object) -> None:
        seen[0] += 1

    sa.event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", count)


def command_row(make: StoreAt, n: int) -> Row:
    """Load ``n`` records into a new store and time the commands on it."""
    import psutil

    from store.sql_store import drop_schema

    me = psutil.Process()
    with tempfile.TemporaryDirectory() as tmp:
        store = make(Path(tmp))
        try:
            rss = me.memory_info().rss
            t = time.perf_counter()
            populate(store, n)
            analyze(store)
            load = time.perf_counter() - t
            settle_memory()  # as rapport does once its store is open (bot.bootstrap)
            grew = (me.memory_info().rss - rss) / 2**20
            with counting(store) as seen:
                writes, reads = time_commands(store, n, SAMPLES)
            row = Row(load, grew, writes, reads)
            if isinstance(store, SQLStore):
                row.statements = seen[0] / (2 * (SAMPLES + WARMUP))
                if store.engine.dialect.name == "postgresql":
                    row.floor = floor(store, SAMPLES)
            if isinstance(store, TinyDBStore):
                t = time.perf_counter()
                store.compact()
                row.compact = (time.perf_counter() - t) * 1000
        finally:
            store.close()
            if isinstance(store, SQLStore) and store.schema:
                drop_schema(store.url, store.schema)
    return row


def commands_table(url: str | None) -> None:
    print(f"command latency through the whole core (ms; {SAMPLES} of each per row):")
    head = ("store", "records", "load s", "RSS +MiB", "write p50", "write p99", "read p50")
    print(
        "{:<10} | {:>9} | {:>6} | {:>8} | {:>9} | {:>9} | {:>8} | read p99 | SQL/cmd".format(*head)
    )
    sizes = SIZES
    if "--size" in sys.argv:  # a quick run: python -m bench scale --size 10000
        sizes = (int(sys.argv[sys.argv.index("--size") + 1]),)
    for name, make in backends(url):
        last: Row | None = None
        for n in sizes:
            if name == "TinyDB" and n > TINYDB_MAX:
                print(f"{name:<10} | {n:>9,} | skipped: {tinydb_limit(last, n)}", flush=True)
                continue
            row = last = command_row(make, n)
            print(
                f"{name:<10} | {n:>9,} | {row.load:>6.1f} | {row.grew:>8.0f}"
                f" | {pct(row.writes, 50):>9.2f} | {pct(row.writes, 99):>9.2f}"
                f" | {pct(row.reads, 50):>8.2f} | {pct(row.reads, 99):>8.2f}"
                + ("" if row.statements is None else f" | {row.statements:>7.1f}"),
                flush=True,
            )
            if row.floor is not None:
                w, r = row.floor
                print(
                    f"{'  floor':<10} | {'':>9} | {'':>6} | {'':>8} | {pct(w, 50):>9.2f}"
                    f" | {pct(w, 99):>9.2f} | {pct(r, 50):>8.2f} | {pct(r, 99):>8.2f}"
                    "   (no rapport: one INSERT + COMMIT; one SELECT 1)",
                    flush=True,
                )


def tinydb_limit(last: Row | None, n: int) -> str:
    """Why TinyDB stops here, in figures from the largest size it ran."""
    why = "TinyDB keeps every record in memory and rewrites them all when it compacts"
    if last is None or last.compact is None:
        return why
    return (
        f"{why}. At {TINYDB_MAX:,}: {last.load:.0f} s to load, {last.grew:.0f} MiB,"
        f" {last.compact / 1000:.1f} s per compaction (commands wait); ~{n / TINYDB_MAX:.0f}x"
        " each here. Use SQL at this size"
    )


# -- outbox throughput ---------------------------------------------------------------------


def outbox_run(url: str, processes: int, items: int, delay_ms: float) -> tuple[float, list[int]]:
    """Seconds for ``processes`` workers to deliver ``items``, and each one's share."""
    from tests.outbox_process import fill_outbox, run_processes

    with pg_schema(url, "bench_outbox") as shared, tempfile.TemporaryDirectory() as tmp:
        keys = fill_outbox(shared, items, START)
        outs = [Path(tmp) / f"w{w}.txt" for w in range(processes)]
        summaries = run_processes(
            [
                [
                    "deliver",
                    *("--url", shared, "--out", str(out), "--now", START.isoformat()),
                    *("--worker", f"w{w}", "--batch", str(BATCH)),
                    *("--no-fsync", "--delay-ms", str(delay_ms)),
                ]
                for w, out in enumerate(outs)
            ],
            timeout=600,
        )
        counts = Counter(k for out in outs for k in out.read_text(encoding="utf-8").split())
        assert set(counts) == keys and set(counts.values()) == {1}, "not exactly once!"
    return max(s["seconds"] for s in summaries), [s["done"] for s in summaries]


def outbox_table(url: str) -> None:
    print("outbox throughput over one PostgreSQL, N rapport processes (each item exactly once):")
    head = ("platform", "processes", "items", "seconds", "items/s", "shares")
    print("{:<14} | {:>9} | {:>5} | {:>7} | {:>7} | {}".format(*head), flush=True)
    for label, items, delay in (
        ("instant", OUTBOX_ITEMS, 0.0),
        (f"{SLOW_MS:.0f} ms a send", SLOW_ITEMS, SLOW_MS),
    ):
        for n in PROCESSES:
            seconds, shares = outbox_run(url, n, items, delay)
            print(
                f"{label:<14} | {n:>9} | {items:>5,} | {seconds:>7.2f} | {items / seconds:>7.0f}"
                f" | {'/'.join(map(str, shares))}",
                flush=True,
            )


def main() -> None:
    import os

    url = pg_url()
    commands_table(url)
    print("targets (PostgreSQL, 1,000,000 records): writing command p99 ≤ 8 ms, reading p99 ≤ 4 ms")
    if "--size" in sys.argv:
        return
    if url is None:
        print("outbox throughput skipped: it needs PostgreSQL")
    else:
        outbox_table(url)
    print(f"(this machine: {os.cpu_count()} CPUs; the database server runs on it too)")


if __name__ == "__main__":
    main()
