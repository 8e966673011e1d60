"""Coffee roulette through the real core: consent, rounds, pacing, check-ins, results, ghosting."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.console.community import COMMUNITY
from bot.errors import UserError
from bot.features.coffee.matching import pairs_of
from bot.features.coffee.records import (
    ROULETTE_AVOID,
    ROULETTE_GROUPS,
    ROULETTE_MEMBERS,
    ROULETTE_ROUNDS,
    ROULETTES,
)
from bot.features.coffee.roulette import round_days
from bot.features.followup.contacts import CONTACTS
from bot.io import GroupMessage, Later, MessageUpdate, Reply
from bot.messages import Message
from bot.outbox import enqueue_event
from store.base import OUTBOX
from tests.harness import Harness, plain

ENABLE = "/coffee roulette enable #coffee every week size 2"
FIRST_ROUND = timedelta(days=1, hours=1, minutes=1)  # enabled Tue 09:00 → Wed 10:00 UTC


@pytest.fixture
def big(tmp_path: Path) -> Iterator[Harness]:
    harness = Harness(tmp_path / "big", members=100)
    yield harness
    harness.close()


def texts(outputs: list[Any]) -> str:
    return "\n".join(plain(o.message) for o in outputs if isinstance(o, (Reply, MessageUpdate)))


def join_all(h: Harness, users: list[str]) -> None:
    for user in users:
        assert "You're in" in h.reply(user, "/coffee roulette join")


def intro_groups(h: Harness) -> list[GroupMessage]:
    return [g for g in h.recorder.groups() if "You've been matched" in plain(g.message)]


def checkins(h: Harness) -> list[GroupMessage]:
    return [g for g in h.recorder.groups() if g.message.buttons]


def member(h: Harness, user: str) -> dict[str, Any]:
    found = h.store.find(ROULETTE_MEMBERS, {"user": user})
    assert len(found) == 1
    return found[0]


# -- admin -----------------------------------------------------------------------------------


def test_only_admins_enable_and_bad_options_are_refused(h: Harness) -> None:
    before = h.snapshot()
    assert "Only a community admin" in h.reply("alice", ENABLE)
    assert "couldn't read “every blue moon”" in h.reply(
        "you", "/coffee roulette enable #coffee every blue moon"
    )
    assert "2 to 6 people" in h.reply("you", "/coffee roulette enable #coffee size 9")
    assert "name the channel" in h.reply("you", "/coffee roulette enable every week")
    assert h.snapshot() == before


def test_enable_announces_and_schedules_the_first_round(h: Harness) -> None:
    reply = h.reply("you", ENABLE)
    assert "Coffee roulette is on in #coffee: every week, groups of 2" in reply
    assert "Wed 2 Dec, 10:00" in reply
    assert "Nobody is signed up automatically" in reply
    [post] = h.recorder.posts("coffee")
    assert "/coffee roulette join" in plain(post)
    [doc] = h.store.find(ROULETTES)
    assert doc["every_days"] == 7 and doc["size"] == 2 and doc["state"] == "on"


def test_enable_with_a_start_time_and_update(h: Harness) -> None:
    h.reply("you", "/coffee roulette enable #coffee every 2 weeks size 3 starting fri 9am")
    [doc] = h.store.find(ROULETTES)
    assert doc["next_at"] == "2026-12-04T09:00:00.000000Z" and doc["size"] == 3
    reply = h.reply("you", "/coffee roulette enable #coffee every 3 weeks")
    assert "now runs every 3 weeks" in reply
    [doc] = h.store.find(ROULETTES)
    assert doc["every_days"] == 21 and doc["size"] == 3
    rounds = h.store.find(OUTBOX, {"event": "coffee.roulette_round", "state": "pending"})
    assert len(rounds) == 1


@pytest.mark.parametrize(
    ("text", "days"),
    [("every week", 7), ("every 2 weeks", 14), ("weekly", 7), ("monthly", 28), ("10 days", 10)],
)
def test_cadences(text: str, days: int) -> None:
    assert round_days(text) == days


def test_cadence_limits() -> None:
    with pytest.raises(UserError):
        round_days("every 13 weeks")


# -- members ----------------------------------------------------------------------------------


def test_nobody_is_enrolled_automatically(h: Harness) -> None:
    h.reply("you", ENABLE)
    h.advance(FIRST_ROUND)
    assert intro_groups(h) == []
    assert any("Not enough people" in plain(p) for p in h.recorder.posts("coffee"))


def test_join_leave_pause_and_avoid_are_private_replies(h: Harness) -> None:
    assert "isn't running" in h.reply("alice", "/coffee roulette join")
    h.reply("you", ENABLE)
    for line in (
        "/coffee roulette join",
        "/coffee roulette join",
        "/coffee roulette avoid @bob",
        "/coffee roulette pause until dec 20",
        "/coffee roulette",
        "/coffee roulette leave",
    ):
        out = h.cmd("alice", line)
        assert out and all(isinstance(o, Reply) and o.ephemeral for o in out)
    assert not h.recorder.to("bob")
    status = h.reply("bob", "/coffee roulette")
    assert "avoid" not in status.lower().replace("avoid @person", "")


def test_status_shows_my_state(h: Harness) -> None:
    h.reply("you", ENABLE)
    assert "You haven't joined" in h.reply("alice", "/coffee roulette status")
    assert "Admins:" not in h.reply("alice", "/coffee roulette")
    assert "Admins: /coffee roulette enable" in h.reply("you", "/coffee roulette")
    h.reply("alice", "/coffee roulette join")
    assert "already in" in h.reply("alice", "/coffee roulette join")
    assert "You're in." in h.reply("alice", "/coffee roulette")
    h.reply("alice", "/coffee roulette avoid @bob")
    assert "not to match you with one person" in h.reply("alice", "/coffee roulette")
    reply = h.reply("alice", "/coffee roulette pause until dec 20")
    assert "Paused until *Sun 20 Dec*".replace("*", "") in reply
    assert "paused until Sun 20 Dec" in h.reply("alice", "/coffee roulette")
    assert "Welcome back" in h.reply("alice", "/coffee roulette join")
    h.reply("alice", "/coffee roulette leave")
    assert "not in coffee roulette" in h.reply("alice", "/coffee roulette leave")
    assert "not in coffee roulette" in h.reply("alice", "/coffee roulette pause")


def test_avoid_yourself_and_unavoid(h: Harness) -> None:
    assert "can't avoid yourself" in h.reply("alice", "/coffee roulette avoid @alice")
    h.reply("alice", "/coffee roulette avoid @bob")
    assert len(h.store.find(ROULETTE_AVOID)) == 1
    h.reply("alice", "/coffee roulette unavoid @bob")
    assert h.store.find(ROULETTE_AVOID) == []


def test_which_roulette_when_there_are_two(h: Harness) -> None:
    h.reply("you", ENABLE)
    h.reply("you", "/coffee roulette enable #jobs every 2 weeks")
    assert "Which one do you mean" in h.reply("alice", "/coffee roulette join")
    assert "You're in" in h.reply("alice", "/coffee roulette join #jobs")
    assert member(h, "alice")["channel"] == "jobs"
    assert "isn't running in #wins" in h.reply("alice", "/coffee roulette join #wins")


# -- a round ------------------------------------------------------------------------------------


def test_a_round_groups_people_with_an_icebreaker_and_respects_avoid_lists(h: Harness) -> None:
    h.reply("you", ENABLE)
    join_all(h, ["you", "alice", "bob", "carol", "dan"])
    h.reply("alice", "/coffee roulette avoid @bob")
    h.reply("bob", "/rapport settings tz America/New_York")
    h.advance(FIRST_ROUND)
    groups = intro_groups(h)
    assert sorted(len(g.users) for g in groups) == [2, 3]
    assert sorted(u for g in groups for u in g.users) == ["alice", "bob", "carol", "dan", "you"]
    assert not any({"alice", "bob"} <= set(g.users) for g in groups)
    for g in groups:
        text = plain(g.message)
        assert "Ice-breaker:" in text and "before Wed 9 Dec" in text
        if "bob" in g.users:
            assert "(America/New_York)" in text  # zones differ: everyone's clock is shown
    [post] = [p for p in h.recorder.posts("coffee") if "round 1" in plain(p)]
    assert "5 people in 2 groups" in plain(post)


def test_the_whole_round_check_in_and_result(h: Harness) -> None:
    h.reply("you", ENABLE)
    join_all(h, ["you", "alice", "bob", "carol"])
    h.advance(FIRST_ROUND)
    assert len(intro_groups(h)) == 2
    h.advance(timedelta(days=3, hours=12))  # halfway through the week
    asks = checkins(h)
    assert len(asks) == 2
    assert "did you get to meet" in plain(asks[0].message)
    a, b = asks
    first, second = a.users
    stranger = b.users[0]
    assert "another group" in texts(h.press(stranger, h.button(a.message, "We met")))
    out = h.press(first, h.button(a.message, "We met"))
    assert f"@{first} says you met" in texts(out)
    assert "Already noted" in texts(h.press(second, h.button(a.message, "We met")))
    contacts = {(c["user"], c["other"]) for c in h.store.find(CONTACTS, {"source": "roulette"})}
    assert contacts == {(first, second), (second, first)}
    assert "still time" in texts(h.press(b.users[0], h.button(b.message, "Not yet")))
    assert "life happens" in texts(h.press(b.users[1], h.button(b.message, "Can't this round")))
    h.advance(timedelta(days=3, hours=12))
    results = [plain(p) for p in h.recorder.posts("coffee") if "wrapped up" in plain(p)]
    assert results == ["Coffee roulette round 1 wrapped up: 1 of 2 groups met. Thank you all! ☕"]
    [rnd] = h.store.find(ROULETTE_ROUNDS, {"no": 1})
    assert rnd["state"] == "closed" and rnd["met"] == 1
    assert "wrapped up already" in texts(h.press(b.users[0], h.button(b.message, "We met")))
    # Round 2 started at once, with new pairs.
    assert any("round 2" in plain(p) for p in h.recorder.posts("coffee"))


def test_no_repeat_pairs_across_rounds_while_avoidable(h: Harness) -> None:
    h.reply("you", ENABLE)
    join_all(h, ["you", "alice", "bob", "carol"])
    h.advance(FIRST_ROUND + timedelta(weeks=2, hours=1))  # rounds 1, 2 and 3
    by_round: dict[int, set[tuple[str, str]]] = {}
    for g in h.store.find(ROULETTE_GROUPS):
        by_round.setdefault(g["no"], set()).update(pairs_of(g["users"]))
    assert sorted(by_round) == [1, 2, 3]
    everything = by_round[1] | by_round[2] | by_round[3]
    assert len(everything) == 6  # three rounds, six different pairs: nobody met twice


def test_a_pause_ends_on_its_date(h: Harness) -> None:
    h.reply("you", ENABLE)
    join_all(h, ["you", "alice", "bob"])
    h.reply("bob", "/coffee roulette pause until dec 5")
    h.advance(FIRST_ROUND)
    assert all("bob" not in g.users for g in intro_groups(h))
    assert member(h, "bob")["state"] == "paused"
    h.advance(timedelta(weeks=1))
    assert member(h, "bob")["state"] == "active"
    round2 = [g for g in h.store.find(ROULETTE_GROUPS) if g["no"] == 2]
    assert any("bob" in g["users"] for g in round2)


def test_ghosting_three_rounds_pauses_kindly_and_rejoin_works(h: Harness) -> None:
    h.reply("you", ENABLE)
    join_all(h, ["alice", "bob"])
    h.advance(FIRST_ROUND + timedelta(weeks=3))  # rounds 1-3 and their closes
    for user in ("alice", "bob"):
        assert member(h, user)["state"] == "paused"
        dm = h.last_to(user)
        assert "paused your matches" in plain(dm) and "no harm done" in plain(dm)
    dm = h.last_to("alice")
    assert "someone else" in texts(h.press("bob", h.button(dm, "Rejoin roulette")))
    out = h.press("alice", h.button(dm, "Rejoin roulette"))
    assert "Welcome back" in texts(out)
    assert member(h, "alice")["state"] == "active" and member(h, "alice")["ignored"] == 0
    assert "isn't active" in texts(h.press("alice", h.button(dm, "Rejoin roulette")))


def test_answering_a_check_in_resets_the_quiet_count(h: Harness) -> None:
    h.reply("you", ENABLE)
    join_all(h, ["alice", "bob"])
    h.advance(FIRST_ROUND + timedelta(days=3, hours=12))
    h.advance(timedelta(weeks=1))  # round 2's check-in
    ask = checkins(h)[-1]
    h.press("alice", h.button(ask.message, "Not yet"))
    h.advance(timedelta(weeks=1, days=4))  # round 3 closes: bob ignored 3, alice answered in 2
    assert member(h, "bob")["state"] == "paused"
    assert member(h, "alice")["state"] == "active"
    assert member(h, "alice")["ignored"] == 1


def test_disable_stops_new_rounds_and_now_starts_one(h: Harness) -> None:
    h.reply("you", ENABLE)
    join_all(h, ["alice", "bob"])
    assert "Only a community admin" in h.reply("alice", "/coffee roulette now")
    assert "right now" in h.reply("you", "/coffee roulette now")
    assert len(intro_groups(h)) == 1  # the round ran at once
    assert "is off in #coffee" in h.reply("you", "/coffee roulette disable")
    h.advance(timedelta(weeks=3))
    assert len(intro_groups(h)) == 1
    results = [p for p in h.recorder.posts("coffee") if "wrapped up" in plain(p)]
    assert len(results) == 1  # the round under way still finished
    assert h.store.find(OUTBOX, {"event": "coffee.roulette_round", "state": "pending"}) == []


def test_an_extra_round_now_keeps_the_planned_rhythm(h: Harness) -> None:
    h.reply("you", "/coffee roulette enable #coffee every week size 2 starting monday 10am")
    join_all(h, ["alice", "bob", "carol", "dan"])
    said = h.reply("you", "/coffee roulette now")  # Tue 1 Dec; Monday's round stays
    assert "The next one comes as planned: Mon 7 Dec, 10:00" in said
    h.advance(timedelta(minutes=1))
    (roulette,) = h.store.find(ROULETTES)
    assert roulette["next_at"].startswith("2026-12-07T10:00")
    [rnd] = h.store.find(ROULETTE_ROUNDS, {"no": 1})
    # Members are asked to meet by the wrap-up, which comes before the next round.
    assert rnd["close"] < rnd["end"] == roulette["next_at"]
    post = next(plain(p) for p in h.recorder.posts("coffee") if "round 1" in plain(p))
    assert "4 people in 2 groups" in post


def test_one_deadline_for_a_round_everywhere(h: Harness) -> None:
    h.reply("you", ENABLE)
    join_all(h, ["alice", "bob"])
    h.advance(FIRST_ROUND)
    hello = plain(intro_groups(h)[0].message)
    h.advance(timedelta(days=3, hours=12))
    check = plain(checkins(h)[0].message)
    deadline = re.search(r"The round ends (.+?\))", check)
    assert deadline is not None and f"before {deadline.group(1)}" in hello
    [rnd] = h.store.find(ROULETTE_ROUNDS, {"no": 1})
    assert rnd["close"].startswith("2026-12-09T09:00")  # an hour before the next round


def test_an_extra_round_just_before_a_planned_one_pushes_that_one_back(h: Harness) -> None:
    h.reply("you", "/coffee roulette enable #coffee every week size 2 starting wed 10am")
    said = h.reply("you", "/coffee roulette now")  # Tue 09:00: a day before Wednesday's
    assert "The next one comes as planned: Wed 9 Dec, 10:00" in said


def test_counts_of_one_read_as_one(h: Harness) -> None:
    h.reply("you", ENABLE)
    join_all(h, ["alice", "bob"])
    h.advance(FIRST_ROUND)
    post = next(plain(p) for p in h.recorder.posts("coffee") if "round 1" in plain(p))
    assert "2 people in 1 group." in post
    h.advance(timedelta(weeks=1))
    result = next(plain(p) for p in h.recorder.posts("coffee") if "wrapped up" in plain(p))
    assert "0 of 1 group met" in result


def test_a_round_queues_every_group_at_once_in_match_order(big: Harness) -> None:
    """No pacing in the feature: the outbox delivers at the platform's pace."""
    big.reply("you", ENABLE)
    users = [m.id for m in big.directory.all() if not m.is_bot]
    join_all(big, users)
    big.advance(FIRST_ROUND + timedelta(minutes=5))
    groups = len(users) // 2
    records = big.store.find(ROULETTE_GROUPS, {}, order_by="index")
    intros = [
        i
        for i in big.store.find(OUTBOX, {"kind": "deliver"}, order_by="due")
        if i["out"]["kind"] == "group"
    ]
    assert len(intros) == groups > 50
    assert [sorted(i["out"]["users"]) for i in intros] == [sorted(g["users"]) for g in records]
    sent = [p for p in big.recorder.sent if isinstance(p.output, GroupMessage)]
    assert [sorted(p.output.users) for p in sent] == [sorted(g["users"]) for g in records]
    assert big.store.find(OUTBOX, {"event": "coffee.roulette_open"}) == []
    # The mid-round check-in asks every group in one go as well.
    big.advance(timedelta(days=3, hours=12, minutes=5))
    asked = [p for p in big.recorder.sent if isinstance(p.output, GroupMessage)][groups:]
    assert len(asked) == groups and all(p.output.message.buttons for p in asked)


def test_an_old_paced_opening_event_opens_the_rest_once(big: Harness) -> None:
    """Events queued when rounds opened 40 groups a minute still finish the round."""
    big.reply("you", ENABLE)
    join_all(big, [m.id for m in big.directory.all() if not m.is_bot])
    big.advance(FIRST_ROUND + timedelta(minutes=5))
    rnd = big.store.find(ROULETTE_ROUNDS, {})[0]
    before = len(big.recorder.sent)
    with big.store.atomic():
        enqueue_event(
            big.store,
            COMMUNITY,
            Later(
                big.clock.now(),
                "coffee.roulette_open",
                {"round": rnd["id"], "offset": 40},
                f"roulette-open:{rnd['id']}:40",
                nudge=False,
            ),
        )
    big.advance(timedelta(minutes=1))
    reopened = big.recorder.sent[before:]
    assert len(reopened) == rnd["groups"] - 40  # the rest, at once, and nothing chained
    assert big.store.count(OUTBOX, {"event": "coffee.roulette_open", "state": "pending"}) == 0


def test_a_check_in_button_for_a_missing_group(h: Harness) -> None:
    from bot.messages import Button

    out = h.press("alice", Button("coffee.roulette_met", "We met", "nope"))
    assert "isn't active" in texts(out)
    out = h.press("alice", Button("coffee.roulette_rejoin", "Rejoin roulette", "nope"))
    assert "isn't active" in texts(out)


def test_group_messages_mention_everyone(h: Harness) -> None:
    h.reply("you", ENABLE)
    join_all(h, ["alice", "bob"])
    h.advance(FIRST_ROUND)
    [g] = intro_groups(h)
    message: Message = g.message
    from bot.markup import Mention

    mentioned = {s.user for s in message.text if isinstance(s, Mention)}
    assert mentioned == {"alice", "bob"}


def test_each_round_is_planned_from_every_kept_round(tmp_path: Path) -> None:
    """Eleven weekly members: round 8 meets new faces first and never brings round 1 back
    (the planner used to see only the last six rounds, so round 1's pairs looked new)."""
    from bot.adapters.console.community import COMMUNITY
    from bot.features.coffee import roulette as rr
    from bot.features.coffee.matching import Person, plan_round
    from tests.features.coffee.test_roulette_matching import best_arrangement

    h = Harness(tmp_path / "eleven", members=6)
    try:
        h.reply("you", ENABLE)
        users = [m.id for m in h.directory.all() if not m.is_bot]
        assert len(users) == 11
        join_all(h, users)
        (doc,) = h.store.find(ROULETTES)
        # Seven rounds as they were held: no repeats while avoidable, each pair's last round.
        last: dict[tuple[str, str], int] = {}
        rounds: list[set[tuple[str, str]]] = []
        for no in range(1, 8):
            plan = plan_round([Person(u) for u in users], recent=dict(last), seed=no)
            for i, g in enumerate(plan.groups):
                h.store.insert(
                    ROULETTE_GROUPS,
                    {"community": COMMUNITY.key, "roulette": doc["id"], "no": no, "index": i}
                    | {"users": list(g), "round": f"r{no}", "met": True, "responded": []},
                )
            got = {p for g in plan.groups for p in pairs_of(g)}
            last.update(dict.fromkeys(got, no))
            rounds.append(got)
        h.store.update(ROULETTES, doc["id"], {"round_no": 7})
        ctx = h.core.context(COMMUNITY, "")
        with h.store.atomic():
            rr.start_round(ctx, {"roulette": doc["id"], "no": 8})
        round8 = {p for g in h.store.find(ROULETTE_GROUPS, {"no": 8}) for p in pairs_of(g["users"])}
        assert round8 and round8 != rounds[0]
        fewest, oldest = best_arrangement(sorted(users), 2, last)
        repeats = [p for p in round8 if p in last]
        assert len(repeats) == fewest
        assert sum(last[p] for p in repeats) == oldest
    finally:
        h.close()
