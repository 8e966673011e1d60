"""Rough edges a member hits in the core's own words: a family named alone, examples that
never show you the very act you were refused, an example that fits the subcommand."""

from __future__ import annotations

from tests.harness import Harness


def test_a_family_alone_lists_what_it_can_do(h: Harness) -> None:
    reply = h.reply("alice", "/rapport")
    assert "I don't know" not in reply
    assert "Here's what /rapport can do:" in reply and "/rapport help" in reply


def test_an_example_in_a_refusal_is_never_the_refused_act(h: Harness) -> None:
    reply = h.reply("alice", "/coffee @alice tomorrow 3pm")
    assert "Example:" in reply
    assert "/coffee @alice" not in reply.split("Example:")[1]


def test_the_example_fits_the_subcommand(h: Harness) -> None:
    reply = h.reply("alice", "/coffee roulette avoid zed")
    assert "Example: /coffee roulette avoid @" in reply


def test_two_messages_failing_for_one_reason_give_one_note_an_hour(h: Harness) -> None:
    from datetime import timedelta

    from tests.harness import plain

    # Two messages with nothing of their own to say when they fail (a request does: see
    # tests/features/test_undeliverable_requests.py): alice cancels two chats with bob.
    h.cmd("alice", "/coffee @bob tomorrow 3pm")
    h.cmd("bob", "/coffee @alice thu 3pm")
    h.recorder.closed.add("bob")  # bob's DMs close: both cancel notes to him fail
    for chat in h.store.find("coffee_chats"):
        h.cmd("alice", f"/coffee cancel {chat['id']}")
    h.advance(timedelta(minutes=5))
    assert h.store.count("outbox", {"user": "bob", "state": "failed"}) == 2  # both tried
    notes = [m for m in h.recorder.to("alice") if "@bob" in plain(m) and "DM" in plain(m)]
    assert len(notes) == 1, [plain(m) for m in notes]
