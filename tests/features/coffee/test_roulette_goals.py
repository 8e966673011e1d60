"""Roulette by goals: open-to-work members meet people who do what they're looking for,
on top of the usual rules (consent, avoid lists, no repeats)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.features.coffee.matching import Person, plan_round
from bot.features.coffee.records import ROULETTE_GROUPS, ROULETTES
from bot.features.network.goals import goal_matches
from bot.features.network.profiles import Profile
from tests.features.coffee.test_roulette_flow import FIRST_ROUND, intro_groups, join_all
from tests.harness import Harness, plain

GOALS = "/coffee roulette enable #coffee every week size 2 match goals"


def group_of(h: Harness, user: str) -> set[str]:
    [group] = [set(g.users) for g in intro_groups(h) if user in g.users]
    return group


def profiles(h: Harness, shared: bool = True) -> None:
    """Profiles that may be used (findable), or kept private (``shared=False``)."""
    on = " findable on" if shared else ""
    h.reply("alice", f'/rapport profile open on seeking "data engineer, analyst"{on}')
    h.reply("carol", f'/rapport profile role "Data Engineer" company Acme{on}')
    h.reply("dan", f'/rapport profile role "product designer"{on}')
    h.reply("bob", f'/rapport profile field "data"{on}')


def test_goal_matches_rank_roles_before_fields_and_skip_those_not_looking() -> None:
    found = goal_matches(
        {
            "alice": Profile("alice", open=True, seeking="data engineer or analyst"),
            "bob": Profile("bob", field="data"),
            "carol": Profile("carol", role="Data  Engineer"),
            "dan": Profile("dan", role="designer", seeking="data engineer"),  # not open to work
        }
    )
    assert list(found) == ["alice"]
    assert [(m.helper, m.what) for m in found["alice"]] == [
        ("carol", "data engineer"),
        ("bob", "data"),
    ]


def test_goal_matches_use_whole_words_and_put_exact_first() -> None:
    found = goal_matches(
        {
            "sam": Profile("sam", open=True, seeking="data engineer"),
            "a": Profile("a", role="Senior Data Engineer"),
            "b": Profile("b", role="data engineer"),
            "c": Profile("c", role="engineer"),
            "d": Profile("d", role="big data engineering"),  # a different word
            "e": Profile("e", role="engineer 19"),
        }
    )
    assert [m.helper for m in found["sam"]] == ["b", "c", "a"]


def test_the_planner_pairs_goals_across_zones_but_never_breaks_avoid_or_repeats() -> None:
    people = [Person("seeker", -8.0), *(Person(f"p{i}", 0.0) for i in range(6)), Person("pro", 9.0)]
    plan = plan_round(people, prefer={"seeker": ["pro"]}, seed=3)
    assert ("seeker", "pro") in plan.goals and ("seeker", "pro") in plan.groups
    avoided = plan_round(people, prefer={"seeker": ["pro"]}, avoid=[("pro", "seeker")], seed=3)
    assert avoided.goals == [] and not any({"seeker", "pro"} <= set(g) for g in avoided.groups)
    met = plan_round(people, prefer={"seeker": ["pro"]}, recent=[("seeker", "pro")], seed=3)
    assert met.goals == [] and met.repeats == 0
    # Two seekers, one pro: whoever has fewer other choices gets them.
    two = plan_round(people, prefer={"seeker": ["pro", "p0"], "p1": ["pro"]}, seed=3)
    assert sorted(two.goals) == [("p1", "pro"), ("seeker", "p0")]


def test_a_goals_round_pairs_the_seeker_and_says_why(h: Harness) -> None:
    reply = h.reply("you", GOALS)
    assert "Matching by goals" in reply
    assert h.store.find(ROULETTES)[0]["goals"] is True
    profiles(h)
    join_all(h, ["you", "alice", "bob", "carol", "dan"])
    h.advance(FIRST_ROUND)
    assert "carol" in group_of(h, "alice")
    [intro] = [g for g in intro_groups(h) if "alice" in g.users]
    assert "Why you two: @alice is exploring data engineer, and that's what @carol does." in (
        plain(intro.message)
    )
    others = [g for g in intro_groups(h) if "alice" not in g.users]
    assert not any("Why you two" in plain(g.message) for g in others)
    assert "Matching by goals" in h.reply("alice", "/coffee roulette")


def test_private_profiles_are_never_matched_or_told(h: Harness) -> None:
    h.reply("you", GOALS)
    profiles(h, shared=False)
    join_all(h, ["you", "alice", "bob", "carol", "dan"])
    h.advance(FIRST_ROUND)
    assert not any("Why you two" in plain(g.message) for g in intro_groups(h))
    assert all(not g.get("why") for g in h.store.find(ROULETTE_GROUPS))


def test_without_match_goals_nobody_is_told_why(h: Harness) -> None:
    h.reply("you", "/coffee roulette enable #coffee every week size 2")
    profiles(h)
    join_all(h, ["you", "alice", "bob", "carol", "dan"])
    h.advance(FIRST_ROUND)
    assert not any("Why you two" in plain(g.message) for g in intro_groups(h))
    assert all(not g.get("why") for g in h.store.find(ROULETTE_GROUPS))


def test_goals_never_repeat_a_pair_and_can_be_switched_off(h: Harness) -> None:
    h.reply("you", GOALS)
    profiles(h)
    join_all(h, ["you", "alice", "bob", "carol", "dan"])
    h.advance(FIRST_ROUND)
    assert "carol" in group_of(h, "alice")
    h.advance(timedelta(weeks=1))
    [second] = [g for g in h.store.find(ROULETTE_GROUPS, {"no": 2}) if "alice" in g["users"]]
    assert "carol" not in second["users"]  # met last round: someone new instead
    assert all(why[1] != "carol" for why in second["why"])
    reply = h.reply("you", "/coffee roulette enable #coffee every week match anyone")
    assert "Matching by goals" not in reply
    assert h.store.find(ROULETTES)[0]["goals"] is False


@pytest.mark.parametrize(
    "typed",
    ["match goals", "match by goals", "Match Goals", "matched by goals", "size 2 match goals"],
)
def test_ways_to_ask_for_goals(h: Harness, typed: str) -> None:
    assert "Matching by goals" in h.reply("you", f"/coffee roulette enable #coffee {typed}")


def test_an_unknown_match_word_is_refused_with_an_example(h: Harness) -> None:
    reply = h.reply("you", "/coffee roulette enable #coffee every week match vibes")
    assert "say `goals`" in reply or "say goals" in reply
    assert "match goals" in reply
    assert h.store.find(ROULETTES) == []
