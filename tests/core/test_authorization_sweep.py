"""Every button the bot posts, pressed by everyone who shouldn't: refused, nothing changes.

The flows of ``tests.fuzz.flows`` run intros, coffee chats, roulette rounds,
follow-ups (and privacy and home views where they exist). Each button, the moment it
first appears and before its rightful owner answers it, is pressed by a stranger, by
the admin (who has no say over members' intros or chats), and by every other person
the flows involved who can't see it. Each press must get a clear refusal and leave
every table as it was, queue nothing and deliver nothing; the flow then goes on, so
the owner's own press still works afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.adapters.console.community import COMMUNITY
from bot.io import ButtonPress, MessageUpdate
from tests.fuzz.checks import check_outputs, diff, shown, state
from tests.fuzz.flows import ADMIN, STRANGER, Key, Tour, subcommand, tour
from tests.harness import Harness

# Buttons the flows must reach today; a new button is swept as soon as a flow posts it.
EXPECTED = {
    "intro.make",
    "intro.not_now",
    "intro.accept",
    "intro.decline",
    "coffee.accept",
    "coffee.other_time",
    "coffee.decline",
    "coffee.happened",
    "coffee.rescheduled",
    "coffee.missed",
    "coffee.keep_2w",
    "coffee.keep_1m",
    "coffee.keep_no",
    "coffee.schedule_from_intro",
    "coffee.roulette_met",
    "coffee.roulette_not_yet",
    "coffee.roulette_cant",
    "coffee.roulette_rejoin",
    "followup.done",
    "followup.snooze",
    "followup.stop",
}


# Buttons that act only on the presser's own things whoever presses them (none today).
SELF_SERVICE: set[str] = set()


class Sweep:
    def __init__(self) -> None:
        self.pressed: dict[Key, list[str]] = {}

    def __call__(self, t: Tour, key: Key) -> None:
        audience = t.audience[key]
        if audience is None:
            return  # a channel post: anyone may press it
        others = sorted(t.participants - audience - {ADMIN, STRANGER})
        wrong = [STRANGER, ADMIN, *others]
        self.pressed[key] = wrong
        for user in wrong:
            refuse(t, key, user)


def refuse(t: Tour, key: Key, user: str) -> None:
    """``user`` presses the button ``key``: a clear refusal, and nothing else happens."""
    h = t.h
    before = state(h.store)
    sent = len(h.recorder.sent)
    press = ButtonPress(
        community=COMMUNITY,
        user=user,
        action=key[0],
        value=key[1],
        request_id=f"sweep-{user}-{key[0]}-{key[1]}",
        is_admin=user == ADMIN,
    )
    out = t.watch.press(press)
    what = f"{user} pressed {key} (seen by {sorted(t.audience[key] or ())})"
    t.watch.assert_no_crash(what)
    check_outputs(out, what)
    assert not any(isinstance(o, MessageUpdate) for o in out), f"{what}: {out}"
    h.tick()
    after = state(h.store)
    assert after == before, f"{what} changed something:\n{diff(before, after)}"
    assert len(h.recorder.sent) == sent, f"{what} made the bot send something"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Harness]:
    h = Harness(tmp_path / "data", members=12)
    yield h
    h.close()


def test_every_posted_button_refuses_everyone_else_and_changes_nothing(world: Harness) -> None:
    sweep = Sweep()
    tour(world, on_new=sweep)
    actions = {key[0] for key in sweep.pressed}
    missing = EXPECTED - actions
    assert not missing, f"the flows no longer post {sorted(missing)}"
    never = set(world.core.buttons) - actions - SELF_SERVICE
    assert not never, (
        f"{sorted(never)} are registered but no flow in tests/fuzz/flows.py posts them: "
        "add a step that does, so the sweep can press them the wrong way"
    )
    assert sum(len(v) for v in sweep.pressed.values()) >= 3 * len(sweep.pressed)


def test_the_owner_can_still_answer_after_the_wrong_presses(world: Harness) -> None:
    """The sweep doesn't use a button up: after it, its owner's press does what it says."""
    t = Tour(world, on_new=Sweep())
    t.run("alice", "/intro @bob @carol I'd love to hear how she moved into data work")
    out = t.press("bob", t.find("intro.make", "bob"))
    assert any(isinstance(o, MessageUpdate) for o in out)
    assert t.find("intro.accept", "carol"), "carol was asked after bob said yes"


def test_the_connector_cannot_book_the_coffee_from_the_intro_group(world: Harness) -> None:
    """The group's Schedule a coffee chat button is for the two who were introduced."""
    t = Tour(world)
    t.run("alice", "/intro @bob @carol I'd love to hear how she moved into data work")
    t.press("bob", t.find("intro.make", "bob"))
    t.press("carol", t.find("intro.accept", "carol"))
    button = t.find("coffee.schedule_from_intro", "bob")
    refuse(t, (button.action, button.value), "bob")
    out = world.press("alice", button)
    assert [type(o).__name__ for o in out] == ["Form"]  # the booking form, bob picked


def test_a_privacy_delete_confirmation_is_only_for_the_person_who_asked(world: Harness) -> None:
    assert subcommand("rapport", "privacy")
    t = Tour(world)
    out = t.run("alice", "/rapport privacy delete")
    buttons = [b for m in shown(out) for b in m.buttons]
    assert buttons, "a delete asks for a confirmation with a button"
    for button in buttons:
        for user in ("bob", ADMIN, STRANGER):
            refuse(t, (button.action, button.value), user)
