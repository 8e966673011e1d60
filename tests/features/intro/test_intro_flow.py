"""The intro state machine on its own: which moves exist, and that each is stored."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.console.community import COMMUNITY
from bot.clock import iso
from bot.features.intro import flow
from tests.harness import START, Harness, plain


def test_every_state_is_reachable_from_requested() -> None:
    seen, todo = {flow.REQUESTED}, [flow.REQUESTED]
    while todo:
        for nxt in flow.ALLOWED.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(flow.STATES)


def test_final_states_have_no_way_out() -> None:
    finals = {s for s in flow.STATES if flow.is_final(s)}
    assert finals == {
        flow.INTRODUCED,
        flow.MADE_OUTSIDE,
        flow.DECLINED,
        flow.EXPIRED,
        flow.CANCELLED,
        flow.UNREACHABLE,
    }
    assert not any(flow.is_final(s) for s in flow.PENDING)


@pytest.mark.parametrize(
    ("frm", "to"),
    [
        (flow.REQUESTED, flow.INTRODUCED),  # never without both yeses
        (flow.ASKED_CONNECTOR, flow.INTRODUCED),  # never without the target's yes
        (flow.ASKED_TARGET, flow.MADE_OUTSIDE),
        (flow.ASKED_TARGET, flow.ASKED_CONNECTOR),
        (flow.INTRODUCED, flow.CANCELLED),
        (flow.DECLINED, flow.ASKED_TARGET),
        (flow.EXPIRED, flow.INTRODUCED),
        (flow.CANCELLED, flow.ASKED_CONNECTOR),
        (flow.REQUESTED, flow.UNREACHABLE),  # nothing was sent yet that could fail
        (flow.UNREACHABLE, flow.INTRODUCED),
    ],
)
def test_forbidden_moves(frm: str, to: str) -> None:
    assert not flow.can_move(frm, to)


def test_outside_phrases_compare_loosely() -> None:
    assert flow.normalise_phrase("  Someone at\tACME ") == flow.normalise_phrase("someone at acme")


def _new(h: Harness) -> dict:
    return flow.create(
        h.store,
        COMMUNITY,
        requester="you",
        connector="alice",
        target="bob",
        target_text=None,
        reason="why not",
        at=START,
    )


def test_each_transition_is_stored_with_who_and_when(h: Harness) -> None:
    intro = _new(h)
    assert intro["history"] == [{"state": "requested", "at": iso(START), "by": "you"}]
    steps = [
        (flow.ASKED_CONNECTOR, "you"),
        (flow.ASKED_TARGET, "alice"),
        (flow.INTRODUCED, "bob"),
    ]
    for i, (to, by) in enumerate(steps, start=1):
        intro = flow.transition(h.store, intro, to, by=by, at=START + timedelta(hours=i))
        assert intro is not None
    stored = h.store.get(flow.INTROS, intro["id"])
    assert stored["state"] == flow.INTRODUCED
    assert stored["history"][1:] == [
        {"state": to, "at": iso(START + timedelta(hours=i)), "by": by}
        for i, (to, by) in enumerate(steps, start=1)
    ]
    assert stored["updated"] == iso(START + timedelta(hours=3))


def test_a_forbidden_move_raises_and_changes_nothing(h: Harness) -> None:
    intro = _new(h)
    with pytest.raises(flow.InvalidTransition):
        flow.transition(h.store, intro, flow.INTRODUCED, by="bob", at=START)
    assert h.store.get(flow.INTROS, intro["id"])["state"] == flow.REQUESTED


def test_requested_can_be_cancelled(h: Harness) -> None:
    intro = _new(h)
    done = flow.transition(h.store, intro, flow.CANCELLED, by="you", at=START)
    assert done is not None and done["state"] == flow.CANCELLED


def test_ids_from_another_community_do_not_exist_here(h: Harness) -> None:
    from bot.io import Community

    intro = _new(h)
    assert flow.get(h.store, COMMUNITY, intro["id"].upper()) is not None
    assert flow.get(h.store, Community("slack", "T1"), intro["id"]) is None


def test_a_reason_loses_its_runs_of_spaces_but_keeps_its_lines(h: Harness) -> None:
    h.reply("carol", "/intro @alice @bob I'd love to   chat about   data")
    assert "“I'd love to chat about data”" in plain(h.last_to("alice"))


def test_a_form_with_no_friend_and_no_reason_names_nobody(h: Harness) -> None:
    from bot.io import Form, UserArg

    (form,) = h.cmd("carol", "/intro")
    assert isinstance(form, Form)
    (again,) = h.submit("carol", form, {"connector": UserArg("carol"), "why": "   "})
    assert isinstance(again, Form)
    assert "your friend will read" in again.errors["why"] and "@ " not in again.errors["why"]


def test_after_downtime_a_reminder_past_the_expiry_is_not_sent(h: Harness) -> None:
    h.reply("carol", "/intro @alice @bob I'd love to hear how your team works")
    h.clock.set(h.clock.now() + timedelta(days=16))  # the process was down for two weeks
    for _ in range(3):
        h.tick()
    to_alice = [plain(m) for m in h.recorder.to("alice")]
    assert not any("gentle nudge" in m or "still waiting" in m for m in to_alice[1:])
    assert any("open for" in plain(m) and "closed" in plain(m) for m in h.recorder.to("carol"))
