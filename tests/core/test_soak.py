"""The soak, short form: 150 members for three weeks across both spring DST changes,
killed ten times in the process and twice for real (SIGKILL of a child process).

``tests/soak/world.py`` lives the weeks through the real core, outbox worker and nudge
policy; ``tests/soak/checks.py`` judges them: nothing delivered twice, everything due
handled or held for a documented reason, quiet hours and daily caps kept for every
delivered nudge, no typed ping rendered live, no handler crash, the store opened after
every kill, and memory levelling off once finished outbox items are forgotten (kept
five days here, a month in production). The long form is ``python -m tests.soak.run``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.soak.checks import figures, problems
from tests.soak.world import Plan, World

PLAN = Plan(
    members=150,
    days=21,
    seed=7,
    kills=10,
    process_kills=2,
    start=datetime(2027, 3, 8, 9, 0, tzinfo=UTC),  # US clocks change on the 14th, EU on the 28th
    keep=timedelta(days=5),
)


@pytest.mark.slow
def test_three_weeks_of_a_busy_community_lose_nothing(tmp_path: Path) -> None:
    world = World(PLAN, tmp_path / "data")
    try:
        world.run()
        found = problems(world)
        numbers = figures(world)
    finally:
        world.close()
    assert not found, "\n".join(found[:20]) + f"\n{numbers}"
    kills = numbers["kills survived"]
    assert sum(kills.values()) >= 8 and kills.get("SIGKILL", 0) >= 1, kills
    assert numbers["deliveries"] > 500 and numbers["nudges delivered"] > 50, numbers
    assert numbers["re-offers absorbed (maybe_sent)"] >= 1, numbers


# -- the checks catch what they claim to ------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path):
    world = World(Plan(members=20, days=2, seed=3, kills=0, process_kills=0), tmp_path / "d")
    world.run()
    yield world
    world.close()


def test_the_checks_pass_a_clean_run_and_catch_each_kind_of_loss(small: World) -> None:
    from store.base import OUTBOX

    assert problems(small) == []
    sent = small.store.find(OUTBOX, {"state": "sent"})[0]
    small.store.update(
        OUTBOX, sent["id"], {"state": "pending", "due": "2000-01-01T00:00:00.000000Z"}
    )
    small.platform.duplicates.append("k")
    small.report.crashes.append("alice: /intro")
    found = "\n".join(problems(small))
    assert "due and not handled" in found
    assert "the platform got" in found
    assert "delivered twice: k" in found
    assert "a handler crashed" in found


def test_a_nudge_delivered_in_quiet_hours_is_caught(small: World) -> None:
    from store.base import OUTBOX
    from tests.soak.platform import Accepted

    small.command("alice", "/rapport settings tz UTC")
    small.command("alice", "/rapport settings quiet 21:00-08:00")
    event = small.store.insert(
        OUTBOX, {"key": "x", "kind": "deliver", "nudge": True, "user": "alice", "state": "sent"}
    )
    late = Accepted(
        "x", event["id"], "2026-12-01T23:30:00.000000Z", ("alice",), "DirectMessage", {}, 1, False
    )
    small._check_nudge(late)
    assert any("quiet hours" in p for p in small.report.nudge_problems)


def test_memory_that_grows_without_records_is_a_leak(small: World) -> None:
    from tests.soak.checks import memory
    from tests.soak.world import Sample

    small.report.memory = [Sample(d, 0, 0, 300_000 + d * 100_000, 1000, 500) for d in range(15)]
    assert any("more than its" in p for p in memory(small))
