"""Several rapport processes over one PostgreSQL database (issue #10).

Real OS processes (``tests/outbox_process.py``) bootstrap the real core against one
schema: each outbox item is delivered exactly once, the same scheduled slot is stored
once however many processes schedule it, a roulette round happens once, and each
process's APScheduler keeps nothing but the tick job in memory.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from apscheduler.jobstores.memory import MemoryJobStore

from bot.adapters.console.community import COMMUNITY, build_directory, parse_parts
from bot.bootstrap import bootstrap
from bot.clock import ManualClock
from bot.config import Config
from bot.core import Rapport
from bot.features.coffee.records import ROULETTE_ROUNDS, ROULETTES
from bot.io import CommandInvocation, DirectMessage
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import enqueue_delivery
from bot.scheduler import HOUSEKEEPING_JOB, TICK_JOB, start_scheduler
from store.base import OUTBOX
from store.sql_store import SQLStore
from tests.harness import START, Harness
from tests.outbox_process import fill_outbox, run_processes
from tests.pg import pg_schema, pg_url

__all__ = ["pg_schema", "pg_url"]  # fixtures, used by name

ITEMS = 2_000  # enough that all three processes take a share; quick enough for make test


@pytest.mark.postgres
@pytest.mark.slow
def test_three_processes_deliver_each_item_exactly_once(
    pg_url: str, pg_schema: str, tmp_path: Path
) -> None:
    """5,000 due DMs, three processes ticking at once: each key reaches the platform once,
    every item ends ``sent``, and by the worker whose file holds its key."""
    url = f"{pg_url}?schema={pg_schema}"
    keys = fill_outbox(url, ITEMS, START)
    assert len(keys) == ITEMS
    outs = [tmp_path / f"delivered-{w}.txt" for w in range(3)]
    now = START.isoformat()
    summaries = run_processes(
        [
            f"deliver --url {url} --out {out} --now {now} --worker w{w} --batch 50".split()
            for w, out in enumerate(outs)
        ]
    )
    delivered = [out.read_text(encoding="utf-8").split() for out in outs]
    counts = Counter(k for got in delivered for k in got)
    assert set(counts) == keys
    assert [k for k, n in counts.items() if n > 1] == []
    assert sum(s["done"] for s in summaries) == ITEMS
    assert sum(1 for got in delivered if got) >= 2, [len(got) for got in delivered]
    with SQLStore(url) as store:
        items = store.find(OUTBOX)
        assert Counter(d["state"] for d in items) == {"sent": ITEMS}
        by_worker = {f"w{w}": set(got) for w, got in enumerate(delivered)}
        assert all(d["key"] in by_worker[d["worker"]] for d in items)


def run_command(core: Rapport, user: str, line: str) -> None:
    command, _, rest = line.lstrip("/").partition(" ")
    directory = build_directory()
    core.handle_command(
        CommandInvocation(
            COMMUNITY,
            user,
            command,
            parse_parts(rest, directory),
            channel="general",
            is_admin=user == "you",
        )
    )


@pytest.mark.postgres
def test_two_processes_schedule_the_same_slots_and_one_round(
    pg_url: str, pg_schema: str, tmp_path: Path
) -> None:
    """Tip slots have fixed keys: scheduled by both processes, each is stored once.
    Two items for the same roulette round: the compare-and-set lets one of them run."""
    url = f"{pg_url}?schema={pg_schema}"
    core = bootstrap(
        Config(database_url=url), clock=ManualClock(START), directory=build_directory()
    )
    run_command(core, "you", "/coffee roulette enable #coffee every 7 days")
    for user in ("you", "alice", "bob", "carol", "dan"):
        run_command(core, user, "/coffee roulette join #coffee")
    (roulette,) = core.store.find(ROULETTES)
    assert roulette["round_no"] == 0
    core.store.close()

    slots = 300
    outs = [tmp_path / f"keys-{w}.txt" for w in range(2)]
    now, rid = START.isoformat(), roulette["id"]
    summaries = run_processes(
        [
            f"race --url {url} --out {out} --now {now} --slots {slots} --roulette {rid}".split()
            for out in outs
        ]
    )
    mine = [set(out.read_text(encoding="utf-8").split()) for out in outs]
    assert not mine[0] & mine[1]
    assert sum(s["done"] for s in summaries) == slots
    with SQLStore(url) as store:
        tips = [d for d in store.find(OUTBOX) if d.get("event") == "tips.post"]
        assert len(tips) == slots
        assert len({d["key"] for d in tips}) == slots
        assert {d["key"] for d in tips} == {f"{COMMUNITY.key}|{k}" for k in mine[0] | mine[1]}
        rounds = store.find(ROULETTE_ROUNDS)
        assert [r["no"] for r in rounds] == [1]
        assert store.get(ROULETTES, roulette["id"])["round_no"] == 1
        race_items = [d for d in store.find(OUTBOX) if d["key"].startswith("console:local|race")]
        assert sorted(d["state"] for d in race_items) in (["done", "done"], ["done", "failed"])


def test_each_process_keeps_its_scheduler_state_in_memory(h: Harness) -> None:
    """APScheduler 3 must never share a job store: only the in-memory one is used, and
    its jobs carry no item data — what is due lives in rapport's outbox table."""
    with h.store.atomic():
        enqueue_delivery(
            h.store, COMMUNITY, DirectMessage("alice", Message(fmt("hi"))), due=h.clock.now()
        )

    async def run() -> None:
        scheduler = start_scheduler(h.worker, seconds=3600)
        try:
            stores = scheduler._jobstores  # APScheduler 3 has no public accessor
            assert set(stores) == {"default"}
            assert all(type(s) is MemoryJobStore for s in stores.values())
            jobs = scheduler.get_jobs()
            assert {j.id for j in jobs} == {TICK_JOB, HOUSEKEEPING_JOB}
            for job in jobs:  # only this process's live objects, never records or ids
                assert job.kwargs == {}
                assert all(arg is h.worker or arg is scheduler for arg in job.args), job.args
            for _ in range(200):  # the first tick finds the item in the outbox table
                if h.recorder.sent:
                    break
                await asyncio.sleep(0.01)
            assert len(h.recorder.sent) == 1
        finally:
            scheduler.shutdown(wait=False)

    h.loop.run_until_complete(run())
