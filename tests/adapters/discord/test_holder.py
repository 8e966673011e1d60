"""Several ``rapport discord`` processes over one PostgreSQL: one gateway holder per shard set.

Real processes, the fake gateway and REST API, the real database. A standby takes over
within seconds of the holder's death; an interaction that reaches two processes (two
sessions during a takeover, or a resent copy) is run once and answered as a repeat.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import psycopg
import pytest

from bot.adapters.discord.holder import lock_keys
from store.sql_store import SQLStore
from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import TOKEN, FakeDiscord
from tests.adapters.discord.fake_gateway import FakeGateway
from tests.adapters.discord.process import RapportProcess
from tests.adapters.discord.test_gateway import ANA, BO, CY, answered, dm
from tests.pg import libpq_url, pg_schema, pg_url

__all__ = ["pg_schema", "pg_url"]

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def db(pg_url: str, pg_schema: str) -> Iterator[str]:
    """The store's URL in a fresh schema, created (and migrated) before any process starts."""
    url = f"{pg_url}?schema={pg_schema}"
    SQLStore(url).close()
    yield url


def spawn(tmp_path: Path, name: str, fake: FakeDiscord, db: str, **env: str) -> RapportProcess:
    return RapportProcess(tmp_path / f"{name}.log", fake, RAPPORT_DATABASE_URL=db, **env)


def says(proc: RapportProcess, words: str) -> bool:
    return words in proc.output()


# "another process holds the gateway; standing by" holds those words too
HOLDS = "this process holds the gateway"
LOCK_CONNECTION = "rapport-discord-gateway"  # the application_name of the lock's connection


def server_now(db: str) -> datetime:
    with psycopg.connect(libpq_url(db), autocommit=True) as conn:
        return conn.execute("SELECT clock_timestamp()").fetchone()[0]  # type: ignore[index]


def asked_for_lock_since(db: str, since: datetime) -> bool:
    """Whether a process asked PostgreSQL for the gateway lock after ``since`` (a
    standby's try; the holder's connection only checks it is alive, with SELECT 1)."""
    with psycopg.connect(libpq_url(db), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
            " AND query LIKE %s AND query_start > %s",
            (LOCK_CONNECTION, "%pg_try_advisory_lock%", since),
        ).fetchone()
    return bool(row and row[0])


def test_one_process_holds_the_gateway_and_a_standby_takes_over_within_seconds(
    tmp_path: Path, fake: FakeDiscord, gateway: FakeGateway, db: str
) -> None:
    with spawn(tmp_path, "a", fake, db) as a, spawn(tmp_path, "b", fake, db) as b:
        (first,) = gateway.wait_sessions(1, timeout=30)
        holder, standby = (a, b) if says(a, HOLDS) else (b, a)
        try:
            gateway.wait(lambda: says(standby, "standing by"), 30, "the standby")
        except AssertionError as e:  # what each process said, to tell why
            said = {"holder": holder.output()[-3000:], "standby": standby.output()[-3000:]}
            raise AssertionError(f"{e}: {said}") from None
        # The standby asks again every RETRY_SECONDS: wait for a try after this moment,
        # seen on the server, and it must have failed too.
        since = server_now(db)
        gateway.wait(lambda: asked_for_lock_since(db, since), 15, "the standby's next try")
        assert len(gateway.sessions) == 1, "only one process may identify"

        ask = p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers")
        gateway.interaction(ask)
        gateway.wait(lambda: answered(fake, ask), 15, "the holder's reply")
        asked = dm(fake, gateway, BO, 1)

        holder.kill()
        killed = time.monotonic()
        (second,) = gateway.wait(
            lambda: [s for s in gateway.live() if s is not first], 10, "the standby's IDENTIFY"
        )
        takeover = time.monotonic() - killed
        print(f"takeover: {takeover:.2f}s from SIGKILL to the new holder's IDENTIFY")
        assert takeover < 10
        assert says(standby, HOLDS)

        # The killed holder's interaction comes again, to the new session: a repeat.
        gateway.interaction(ask, to=[second])
        gateway.wait(lambda: len(answered(fake, ask)) == 2, 15, "the repeat's answer")
        assert answered(fake, ask)[0]["data"] == answered(fake, ask)[1]["data"]

        # The next interaction is handled by the new holder.
        make = p.press(asked, p.button(asked, "Make the intro")["custom_id"], BO)
        gateway.interaction(make)
        gateway.wait(lambda: answered(fake, make), 15, "the new holder's answer")
        dm(fake, gateway, CY, 1)
        assert len(fake.dms_to(BO["id"])) == 1  # the request was made once
        assert standby.stop() == 0, standby.output()


def test_disjoint_shard_sets_each_hold_their_own_and_a_shared_interaction_runs_once(
    tmp_path: Path, fake: FakeDiscord, gateway: FakeGateway, db: str
) -> None:
    shards = {"DISCORD_SHARD_COUNT": "2"}
    with (
        spawn(tmp_path, "s0", fake, db, DISCORD_SHARD_IDS="0", **shards) as s0,
        spawn(tmp_path, "s1", fake, db, DISCORD_SHARD_IDS="1", **shards) as s1,
    ):
        sessions = gateway.wait_sessions(2, timeout=30)
        assert sorted(s.shard for s in sessions) == [(0, 2), (1, 2)]
        assert says(s0, f"{HOLDS} (shards 0 of 2)")
        assert says(s1, f"{HOLDS} (shards 1 of 2)")

        # The same INTERACTION_CREATE reaches both processes at once.
        ask = p.slash("intro", ["ask"], ANA, connector=BO, target=CY, why="data careers")
        gateway.interaction(ask, to=sessions)
        gateway.wait(lambda: len(answered(fake, ask)) == 2, 15, "both answers")
        first, second = answered(fake, ask)
        assert first["data"]["content"] == second["data"]["content"]
        dm(fake, gateway, BO, 1)
        # Both have answered, so both have committed: what is stored is final (no
        # waiting to see whether a second DM turns up): one intro, one DM queued.
        store = SQLStore(db)
        try:
            assert store.count("intros") == 1
            assert store.count("outbox", {"kind": "deliver", "user": BO["id"]}) == 1
        finally:
            store.close()
        assert len(fake.dms_to(BO["id"])) == 1, "the request ran once"
        assert s0.stop() == 0 and s1.stop() == 0


def test_lock_keys_belong_to_the_bot_and_the_shard() -> None:
    one, two = lock_keys(TOKEN, [0, 1], 2)
    assert one != two
    assert lock_keys(TOKEN, [0], 2) == [one]
    assert lock_keys(TOKEN, [0], 1) != [one]
    assert lock_keys("another bot", [0], 2) != [one]
    assert all(-(2**63) <= k < 2**63 for k in (one, two))
