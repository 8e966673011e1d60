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

    h.recorder.closed.add("bob")  # bob's DMs are closed: both asks to him fail
    h.cmd("alice", "/intro @bob @carol would love to hear about her team")
    h.cmd("alice", "/intro @bob @dan curious how he switched careers")
    h.advance(timedelta(minutes=5))
    assert h.store.count("outbox", {"user": "bob", "state": "failed"}) == 2  # both tried
    notes = [m for m in h.recorder.to("alice") if "@bob" in plain(m) and "DM" in plain(m)]
    assert len(notes) == 1, [plain(m) for m in notes]
