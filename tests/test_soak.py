"""The soak, short form: 100 members for two weeks, with kills (one a real SIGKILL).

``tests/soak/world.py`` lives the weeks through the real core, outbox worker and nudge
policy; ``tests/soak/checks.py`` judges them: nothing delivered twice, everything due
handled or held for a documented reason, quiet hours and daily caps kept for every
delivered nudge, no typed ping rendered live, no handler crash, the store opened after
every kill, and memory levelling off. The long form is ``python -m tests.soak.run``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.soak.checks import figures, problems
from tests.soak.world import Plan, World


@pytest.mark.slow
def test_two_weeks_of_a_busy_community_lose_nothing(tmp_path: Path) -> None:
    world = World(Plan(members=100, days=14, seed=7, kills=8, process_kills=1), tmp_path / "data")
    try:
        world.run()
        found = problems(world)
        numbers = figures(world)
    finally:
        world.close()
    assert not found, "\n".join(found[:20]) + f"\n{numbers}"
    assert sum(numbers["kills survived"].values()) >= 5, numbers
    assert numbers["deliveries"] > 300 and numbers["nudges delivered"] > 20, numbers
