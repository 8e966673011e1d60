"""A request the bot could not deliver (the other person's DMs closed, or gone) is
reported to whoever made it, every time, and the request is closed, not left waiting.

The core's generic "I couldn't send @bob a direct message" note is said once an hour
per person and reason: a second request to the same unreachable person must still be
reported, by the family whose request it was (its ``on_failed`` handler)."""

from __future__ import annotations

from datetime import timedelta

from bot.adapters.console.community import COMMUNITY
from bot.features.coffee.records import CHATS
from bot.features.intro import flow
from bot.io import HomeOpened
from tests.features.intro.test_intro import WHY, ask, state
from tests.harness import Harness, plain


def told(h: Harness, user: str) -> list[str]:
    return [plain(m) for m in h.recorder.to(user)]


def test_a_coffee_invite_that_cannot_reach_the_invitee_is_closed_and_said_so(
    h: Harness,
) -> None:
    h.recorder.closed.add("bob")
    assert "Invite sent to @bob" in h.reply("alice", "/coffee @bob tomorrow 3pm")
    (chat,) = h.store.find(CHATS)
    chat = h.store.get(CHATS, chat["id"])
    assert chat["state"] == "cancelled" and chat["undelivered"] == "dms_closed"
    (note,) = told(h, "alice")
    assert "couldn't get your coffee invite" in note and "@bob" in note
    assert chat["id"] in note and "DMs are closed" in note
    listed = h.reply("alice", "/coffee list")
    assert "waiting for @bob" not in listed
    # Nothing is left to say when the proposed time passes unanswered.
    h.advance(timedelta(days=2))
    assert len(told(h, "alice")) == 1
    # A new invite to the same person is not refused as "already pending".
    h.recorder.closed.discard("bob")
    assert "Invite sent to @bob" in h.reply("alice", "/coffee @bob fri 3pm")


def test_an_intro_whose_connector_cannot_be_reached_is_reported_even_after_another_failure(
    h: Harness,
) -> None:
    h.recorder.closed.add("alice")
    h.reply("you", "/coffee @alice tomorrow 3pm")  # the first failure: a coffee invite
    intro = ask(h)  # the second: alice, the connector, can't get the ask either
    assert state(h, intro) == flow.UNREACHABLE
    notes = told(h, "you")
    assert len(notes) == 2, notes
    assert "couldn't reach @alice" in notes[1] and intro["id"] in notes[1]
    assert "@bob" in notes[1]
    listed = h.reply("you", "/intro list")
    assert f"{intro['id']} @bob through @alice — closed: I couldn't reach @alice" in listed
    home = h.core.handle_home(HomeOpened(COMMUNITY, "you"))
    assert home is not None
    shown = [
        plain(m) for s in home.sections for m in s.items if "couldn't reach @alice" in plain(m)
    ]
    assert len(shown) == 1 and "said yes" not in shown[0]
    # No note to forward (the connector is the one who can't be reached), and a new ask
    # to the same connector is not refused as a duplicate.
    assert all(not m.buttons for m in h.recorder.to("you"))
    h.recorder.closed.discard("alice")
    again = ask(h, f"/intro @alice @bob {WHY}")
    assert state(h, again) == flow.ASKED_CONNECTOR
