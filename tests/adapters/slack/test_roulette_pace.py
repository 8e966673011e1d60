"""A roulette round on Slack when Slack says "slow down" part-way: the 21st
``conversations.open`` answers 429 with ``Retry-After: 2``. The outbox pauses only that
method for two seconds and the round still completes with every group exactly once."""

from __future__ import annotations

import itertools
from datetime import timedelta

from bot.features.coffee.records import ROULETTE_GROUPS
from store.base import OUTBOX
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.rig import SlackRig

MEMBERS = [f"UR{i:03d}" for i in range(44)]  # 22 groups of two


def test_a_429_on_the_21st_open_delays_the_round_but_loses_and_repeats_nothing(
    rig: SlackRig,
) -> None:
    for uid in MEMBERS:
        rig.fake.add_user(uid, uid.lower(), tz="Europe/Berlin")
    rig.command("you", "/coffee", text="roulette enable <#CGENERAL|general> every week size 2")
    for uid in MEMBERS:
        rig.command(uid, "/coffee", text="roulette join")
    opens = itertools.count(1)
    rig.fake.rate_limit(
        "conversations.open",
        retry_after=2,
        times=1,
        when=lambda p: "," in str(p.get("users", "")) and next(opens) == 21,
    )
    rig.command("you", "/coffee", text="roulette now")
    rig.advance(timedelta(minutes=2))

    groups = rig.store.find(ROULETTE_GROUPS, {})
    assert len(groups) == 22
    for g in groups:
        posts = rig.fake.posts_to(FakeSlack.group_channel(g["users"]))
        assert len(posts) == 1, g["users"]  # exactly once
    limited = [c for c in rig.fake.of("conversations.open") if not c.ok]
    assert len(limited) == 1  # one 429, and the outbox did not ask again too soon
    assert rig.sleeps == []  # waited out by the outbox, not a sleeping thread
    assert rig.store.count(OUTBOX, {"state": "failed"}) == 0
