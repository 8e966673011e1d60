"""A target the bot cannot reach (DMs closed, gone): the requester and the connector
are told kindly and at once, the request closes as "couldn't reach" (shown in
``/intro list`` and the home), its timers are called off, and the requester is offered
the forwardable note the connector would get for someone outside the community."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.adapters.console.community import COMMUNITY
from bot.features.intro import flow
from bot.io import HomeOpened
from bot.markup import Mention, to_plain
from bot.messages import Message
from store.base import OUTBOX
from tests.features.intro.test_intro import WHY, ask, flat, replies, state
from tests.harness import Harness, plain

NOTE = "Get a note to forward"


def unreachable(h: Harness) -> dict[str, Any]:
    """A request whose target has closed DMs, answered yes by the connector."""
    h.recorder.closed.add("bob")
    intro = ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    return intro


def note_offer(h: Harness) -> Message:
    (offer,) = [m for m in h.recorder.to("you") if NOTE in [b.label for b in m.buttons]]
    return offer


def test_the_requester_and_the_connector_hear_it_kindly_and_the_request_closes(
    h: Harness,
) -> None:
    intro = unreachable(h)
    assert state(h, intro) == flow.UNREACHABLE
    assert h.store.get(flow.INTROS, intro["id"])["history"][-1]["by"] == flow.SYSTEM
    told = plain(note_offer(h))
    assert "couldn't reach @bob" in told and "not about you" in told
    assert "you'll hear from me either way" not in told
    to_alice = plain(h.last_to("alice"))
    assert "couldn't reach @bob" in to_alice and "Thank you" in to_alice
    # The connector hears it once, in the intro's words, not the generic delivery note.
    assert not any("their DMs are closed to me" in plain(m) for m in h.recorder.to("alice"))
    # Its timers are called off: no "Silence usually means a busy season" two weeks on.
    expire = h.store.find_one(OUTBOX, {"key": f"{COMMUNITY.key}|intro:{intro['id']}:expire"})
    assert expire["state"] == "cancelled"
    sent = len(h.recorder.sent)
    h.advance(timedelta(days=15))
    assert len(h.recorder.sent) == sent
    assert state(h, intro) == flow.UNREACHABLE


def test_it_shows_in_the_list_and_the_home(h: Harness) -> None:
    intro = unreachable(h)
    listed = h.reply("you", "/intro list")
    assert f"{intro['id']} @bob through @alice — closed: I couldn't reach @bob" in listed
    assert "waiting for @bob" not in listed
    home = h.core.handle_home(HomeOpened(COMMUNITY, "you"))
    assert home is not None
    shown = [m for s in home.sections for m in s.items if "couldn't reach @bob" in plain(m)]
    assert len(shown) == 1
    assert [b.label for b in shown[0].buttons] == [NOTE]
    # Once the note is taken, the home still says what happened, without the button.
    h.press("you", h.button(shown[0], NOTE))
    home = h.core.handle_home(HomeOpened(COMMUNITY, "you"))
    shown = [m for s in home.sections for m in s.items if "couldn't reach @bob" in plain(m)]
    assert len(shown) == 1 and shown[0].buttons == ()


def test_the_requester_gets_the_note_once(h: Harness) -> None:
    intro = unreachable(h)
    offer = note_offer(h)
    out = h.press("you", h.button(offer, NOTE))
    assert "You chose Get a note to forward" in replies(out)
    blurb = h.last_to("you")
    text = plain(blurb)
    assert "@alice" in text  # who could pass it on
    assert "I'd like to introduce you to you" in text and WHY in text
    body = text.split("\n\n", 1)[1]  # what is forwarded: plain words, nothing to ping
    assert "@" not in body
    mentions = [s for s in flat(blurb.text) if isinstance(s, Mention)]
    assert all(to_plain((m,)) in text.split("\n\n", 1)[0] for m in mentions)
    again = h.press("you", h.button(offer, NOTE))
    assert "already" in replies(again)
    assert sum("I'd like to introduce you to" in plain(m) for m in h.recorder.to("you")) == 1
    # Only the requester may take it.
    assert "Only @you can answer this one" in replies(h.press("alice", h.button(offer, NOTE)))
    assert state(h, intro) == flow.UNREACHABLE


def test_a_target_who_can_be_reached_changes_nothing(h: Harness) -> None:
    intro = ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    assert state(h, intro) == flow.ASKED_TARGET
    assert "you'll hear from me either way" in plain(h.last_to("you"))


def test_a_request_already_closed_when_the_failure_comes_back_stays_as_it_is(
    h: Harness,
) -> None:
    h.recorder.closed.add("bob")
    intro = ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"), deliver=False)
    h.cmd("you", f"/intro cancel {intro['id']}", deliver=False)
    h.tick()
    assert state(h, intro) == flow.CANCELLED
    assert [m for m in h.recorder.to("you") if NOTE in [b.label for b in m.buttons]] == []
    # Nothing for the intro to say: the connector gets the core's plain delivery note.
    assert any("their DMs are closed to me" in plain(m) for m in h.recorder.to("alice"))
