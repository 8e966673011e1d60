"""Scripted console sessions: what a person trying rapport sees for coffee chats and roulette."""

from __future__ import annotations

from pathlib import Path

from tests.harness import console

CHAT = """
:as alice
/rapport settings tz Europe/Berlin
:as bob
/rapport settings tz America/New_York
:as alice
/coffee @bob tomorrow 3pm "moving into backend work"
:as carol
:press Accept
:as bob
:press Accept
/coffee list
:advance 1d4h
:advance 3h
:as alice
:press Yes
:press In 2 weeks
:advance 15d
"""


def test_a_coffee_chat_from_invite_to_keep_in_touch(tmp_path: Path) -> None:
    out = console(CHAT, tmp_path)
    # The invite, in Bob's zone, with Alice's time alongside.
    assert "When: Wed 2 Dec, 09:00 (America/New_York) — your time" in out
    assert "That's Wed 15:00 for @alice (Europe/Berlin)" in out
    assert "[1] Accept   [2] Suggest another time   [3] Decline" in out
    # Carol can't see Bob's button; Bob accepts and both get a calendar file.
    assert "There's no button “Accept”" in out
    assert out.count("(attached: coffee-chat.ics)") == 2
    assert "confirmed" in out
    # The reminder with preparation and three questions, then the check-in.
    assert "Coffee with @bob soon: Wed 15:00 your time (Europe/Berlin)." in out
    assert "Three open-ended questions to have ready:" in out or "picked for that" in out
    assert "Did your chat with @bob happen?" in out
    assert "[4] Pick a new time" in out  # on each confirmation
    assert "[6] Yes   [7] Rescheduled   [8] Didn't happen" in out
    # Yes: the keep-in-touch offer, and the thank-you nudge with the standard buttons.
    assert "Send @bob a short thank-you." in out
    assert "[15] Done   [16] Snooze a week   [17] Stop reminding me about this" in out
    # In 2 weeks is a follow-up, whose reminder comes two weeks later with the same buttons.
    assert "I'll remind you to check in with @bob around Wed 16 Dec" in out
    assert "/followup list shows it" in out
    assert "Time to follow up with @bob." in out
    assert "Your note: “after our coffee chat on Wed 2 Dec”" in out
    assert "[18] Done   [19] Snooze a week   [20] Stop reminding me about this" in out


COUNTER = """
/coffee @alice tomorrow 10am
:as alice
:press Suggest another time
yesterday 2pm
thu 2pm
:as you
:press Accept
/coffee cancel {id}
"""


def test_a_counter_proposal_and_a_kind_cancellation(tmp_path: Path) -> None:
    first = console("/coffee @alice tomorrow 10am\n", tmp_path / "one")
    chat_id = first.split("(id ")[1].split(")")[0]
    out = console(
        COUNTER.replace("{id}", chat_id).replace("/coffee @alice tomorrow 10am\n", "", 1),
        tmp_path / "one",
    )
    # The form asks for the time line by line; a past time is asked for again.
    assert "── Suggest another time ──" in out
    assert "When, in your time (UTC) — e.g. thu 4pm" in out
    assert "✗ " in out and out.count("When, in your time (UTC)") == 2
    assert "@alice suggests a new time for your coffee chat." in out
    assert "@you accepted — your coffee chat is on!" in out
    assert "Invite sent to @you" in out
    assert f"Cancelled chat {chat_id}. I've let @alice know, kindly." in out
    assert "@you had to cancel your coffee chat on Thu 3 Dec, 14:00 (UTC)" in out


ROULETTE = """
/coffee roulette enable #coffee every week size 2
/coffee roulette join
:as alice
/coffee roulette join
:as bob
/coffee roulette join
/coffee roulette avoid @alice
:as carol
/coffee roulette join
:as dan
/coffee roulette join
/coffee roulette
:advance 1d2h
:advance 3d12h
:as carol
:press We met
:advance 3d10h30m
"""


def test_a_roulette_round_in_the_console(tmp_path: Path) -> None:
    out = console(ROULETTE, tmp_path)
    assert "Coffee roulette is on in #coffee: every week, groups of 2" in out
    assert "[#coffee]\n    Coffee roulette is here!" in out
    assert "won't be matched with @alice" in out
    assert "Coffee roulette, round 1: 5 people in 2 groups." in out
    assert out.count("You've been matched for coffee roulette!") == 2
    assert "Ice-breaker:" in out
    assert "Halfway check-in: did you get to meet?" in out
    assert "@carol says you met — lovely!" in out
    assert "Coffee roulette round 1 wrapped up: 1 of 2 groups met." in out
    groups = [
        block for block in out.split("[group conversation: ")[1:] if "You've been matched" in block
    ]
    assert not any("alice" in g.split("]")[0] and "bob" in g.split("]")[0] for g in groups)


def test_a_form_can_be_left_without_sending_it(tmp_path: Path) -> None:
    out = console(
        [
            "/coffee @alice tomorrow 10am",
            ":as alice",
            ":press Suggest another time",
            ":cancel",
            "/coffee list",
        ],
        tmp_path,
    )
    assert "Form closed; nothing was sent." in out
    assert "suggests a new time" not in out
