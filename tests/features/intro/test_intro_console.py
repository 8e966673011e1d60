"""/intro through the console adapter's scripted mode: the transcripts people see,
every transition and every refusal, read back from the store the console leaves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.features.followup.contacts import CONTACTS
from bot.features.intro import flow
from store.base import OUTBOX
from store.tinydb_store import TinyDBStore
from tests.harness import console

WHY = "I'm switching into data engineering and would love to hear how Bob's team works"


def in_order(out: str, *snippets: str) -> None:
    """Each snippet appears in the transcript, after the one before."""
    pos = 0
    for snippet in snippets:
        found = out.find(snippet, pos)
        assert found >= 0, f"{snippet!r} missing after position {pos} in:\n{out}"
        pos = found + len(snippet)


def stored(data: Path, table: str) -> list[dict]:
    store = TinyDBStore(data)
    try:
        return store.find(table)
    finally:
        store.close()


def intro_id(out: str) -> str:
    found = re.search(r"Your request is (\w+)", out)
    assert found, out
    return found.group(1)


def test_full_double_opt_in_transcript(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = console(
        [
            ":as carol",
            f"/intro @alice @bob {WHY}",
            ":as alice",
            ":press Make the intro",
            ":as bob",
            ":press Happy to connect",
            ":as carol",
            "/intro list",
        ],
        data,
    )
    id = intro_id(out)
    in_order(
        out,
        f"carol> /intro @alice @bob {WHY}",
        "  (only @carol can see this)",
        "    Sent! I've asked @alice privately whether they'd introduce you to @bob.",
        f"    Your request is {id} — /intro cancel {id} withdraws it.",
        "  [DM to @alice]",
        "    @carol would love an intro to @bob, and thinks you're the right person to make it.",
        f"    Why they'd like to meet: “{WHY}”",
        "    [1] Make the intro   [2] Not now",
        "alice> :press Make the intro",
        "  (the message with the button now says)",
        "    You chose Make the intro. Thank you! I've asked @bob whether they're happy to connect",
        "  [DM to @bob]",
        "    @alice would like to introduce you to @carol.",
        f"    Why @carol would like to meet: “{WHY}”",
        "    [3] Happy to connect   [4] No thanks",
        "  [DM to @carol]",
        "    Good news: @alice is happy to introduce you to @bob.",
        "bob> :press Happy to connect",
        "    You chose Happy to connect. Lovely — I've started a conversation with the three",
        "  [group conversation: carol, alice, bob]",
        "    Meet each other! @alice is introducing @carol and @bob.",
        f"    @carol would like to meet because: “{WHY}”",
        "    [5] Schedule a coffee chat",
        "carol> /intro list",
        f"    {id} @bob through @alice — introduced",
    )
    # Bob heard nothing before Alice said yes.
    assert out.index("[DM to @bob]") > out.index("alice> :press Make the intro")
    (intro,) = stored(data, flow.INTROS)
    assert [e["state"] for e in intro["history"]] == [
        "requested",
        "asked_connector",
        "asked_target",
        "introduced",
    ]
    contacts = {(c["user"], c["other"]) for c in stored(data, CONTACTS)}
    assert contacts == {("carol", "alice"), ("alice", "carol"), ("carol", "bob"), ("bob", "carol")}


def test_outside_target_blurb(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = console(
        [
            f'/intro @alice "someone on the data team at Acme" {WHY}',
            ":as alice",
            ":press Make the intro",
        ],
        data,
    )
    in_order(
        out,
        "    @you would love an intro to someone outside the community: "
        "“someone on the data team at Acme”, and thinks you might know them.",
        "alice> :press Make the intro",
        "    You chose Make the intro. Thank you! I've sent you a note you can forward",
        "  [DM to @alice]",
        "    Here's a note for “someone on the data team at Acme”.",
        f"    Hi! I'd like to introduce you to you, someone I know from our community. "
        f"In their words: “{WHY}”",
        "  [DM to @you]",
        "    Good news: @alice is making your intro to “someone on the data team at Acme”",
    )
    assert "[group conversation" not in out
    (intro,) = stored(data, flow.INTROS)
    assert intro["state"] == flow.MADE_OUTSIDE


def test_connector_says_not_now(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = console([f"/intro @alice @bob {WHY}", ":as alice", ":press Not now"], data)
    in_order(
        out,
        "alice> :press Not now",
        "    You chose Not now. No problem at all. I'll let @you know kindly, without any detail.",
        "  [DM to @you]",
        "    Your intro to @bob isn't going to happen this time.",
        "never a verdict on you.",
    )
    assert "[DM to @bob]" not in out
    assert stored(data, flow.INTROS)[0]["state"] == flow.DECLINED


def test_target_says_no_thanks(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = console(
        [
            f"/intro @alice @bob {WHY}",
            ":as alice",
            ":press Make the intro",
            ":as bob",
            ":press No thanks",
        ],
        data,
    )
    in_order(
        out,
        "bob> :press No thanks",
        "    You chose No thanks. That's completely fine.",
        "  [DM to @alice]",
        "    @bob isn't able to connect with @you right now.",
        "  [DM to @you]",
        "    Your intro to @bob isn't going to happen this time.",
    )
    assert "[group conversation" not in out
    (intro,) = stored(data, flow.INTROS)
    assert intro["state"] == flow.DECLINED and intro["declined_by"] == "target"


def test_reminder_then_expiry(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = console(
        [f"/intro @alice @bob {WHY}", ":advance 3d", ":advance 11d", ":as alice", ":press 3"],
        data,
    )
    in_order(
        out,
        "you> :advance 3d",
        "  [DM to @alice]",
        "    A gentle nudge: a little while ago @you asked whether you'd introduce them to @bob.",
        "    Whenever you have a moment — either answer is fine.",
        "    [3] Make the intro   [4] Not now   [5] Snooze a week",
        "  The clock moved forward. It is now Fri 2026-12-04",
        "you> :advance 11d",
        "  [DM to @you]",
        "    Your request for an intro to @bob through @alice has been open for 14 days",
        "alice> :press 3",
        "    This request is expired now, so there's nothing more to do.",
    )
    assert out.count("A gentle nudge") == 1
    (intro,) = stored(data, flow.INTROS)
    assert intro["state"] == flow.EXPIRED


def test_expiry_while_waiting_for_the_target(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = console(
        [f"/intro @alice @bob {WHY}", ":as alice", ":press 1", ":advance 15d"],
        data,
    )
    assert "has been open for 14 days, so I've closed it" in out
    assert "A gentle nudge" not in out  # the connector had answered
    assert stored(data, flow.INTROS)[0]["state"] == flow.EXPIRED


def test_thank_the_connector_nudge(tmp_path: Path) -> None:
    out = console(
        [
            f"/intro @alice @bob {WHY}",
            ":as alice",
            ":press 1",
            ":as bob",
            ":press 3",
            ":advance 1d",
            ":advance 1d",
        ],
        tmp_path / "data",
    )
    first, second = out.split("bob> :advance 1d")[1:]
    assert "thanked" not in first
    in_order(
        second,
        "  [DM to @you]",
        "    @alice introduced you to @bob recently. Have you thanked them yet?",
        "    [6] Done   [7] Snooze a week   [8] Stop reminding me about this",
    )


def test_cancel_in_two_sessions(tmp_path: Path) -> None:
    """The console keeps its store: a request made in one session is cancelled in the next."""
    data = tmp_path / "data"
    first = console([f"/intro @alice @bob {WHY}", ":as alice", ":press 1"], data)
    id = intro_id(first)
    out = console(
        [
            "/intro cancel",
            "/intro cancel nothere",
            ":as carol",
            f"/intro cancel {id}",
            ":as you",
            f"/intro cancel {id}",
            f"/intro cancel {id}",
            ":as bob",
            ":press 3",
        ],
        data,
        start="2026-12-02T09:00:00+00:00",
    )
    in_order(
        out,
        "you> /intro cancel\n",
        f"    Which request? Give its id, like /intro cancel {id}. Your open requests: {id}.",
        "you> /intro cancel nothere",
        "    I couldn't find an intro request of yours with the id “nothere”.",
        f"carol> /intro cancel {id}",
        f"    I couldn't find an intro request of yours with the id “{id}”.",
        f"you> /intro cancel {id}",
        f"    Done: I've withdrawn your request {id} for an intro to @bob.",
        "  [DM to @alice]",
        "    @you has withdrawn their request for an intro to @bob.",
        "  [DM to @bob]",
        "    @you has withdrawn their intro request, so there's nothing for you to answer.",
        f"you> /intro cancel {id}",
        f"    Request {id} isn't open any more (withdrawn), so there's nothing to withdraw.",
        "bob> :press 3",
        "    This request is withdrawn now",
    )
    (intro,) = stored(data, flow.INTROS)
    assert intro["state"] == flow.CANCELLED
    assert intro["history"][-1]["by"] == "you"


def test_cancel_before_the_connector_answers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = console([f"/intro @alice @bob {WHY}"], data)
    id = intro_id(first)
    out = console([f"/intro cancel {id}", ":as alice", ":press 1"], data)
    assert "[DM to @bob]" not in out
    in_order(out, "withdrawn your request", "[DM to @alice]", "This request is withdrawn now")


REFUSALS = [
    ("/intro @alice", "Whom would you like to meet?"),
    ("/intro @alice @bob", "Add a line about why you'd like to meet them"),
    ("/intro @you @bob hi there", "You can't introduce yourself through yourself"),
    ("/intro @alice @you hi there", "That's you!"),
    ("/intro @alice @alice hi there", "@alice can't introduce you to themselves"),
    ("/intro @rapport @bob hi there", "@rapport is a bot, so it can't make intros"),
    ("/intro @alice @rapport hi there", "@rapport is a bot — intros are for meeting people"),
    ("/intro @zed @bob hi there", "I couldn't find a member called “@zed”"),
    ("/intro @alice @zed hi there", "I couldn't find a member called “@zed”"),
    ("/intro @alice @bob " + "x" * 501, "That's a little long (501 characters)"),
]


@pytest.mark.parametrize(("line", "expected"), REFUSALS)
def test_refusals_store_nothing(tmp_path: Path, line: str, expected: str) -> None:
    data = tmp_path / "data"
    out = console([line], data)
    in_order(out, f"you> {line}", "  (only @you can see this)", expected, "    Example: /intro")
    assert stored(data, flow.INTROS) == []
    assert stored(data, OUTBOX) == []


def test_duplicate_and_too_many_store_nothing_more(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = console(
        [
            f"/intro @alice @bob {WHY}",
            "/intro @alice @bob once more, with feeling",
            f"/intro @carol @bob {WHY}",
            f"/intro @dan @bob {WHY}",
            f'/intro @alice "someone at Acme" {WHY}',
        ],
        data,
    )
    in_order(
        out,
        "you> /intro @alice @bob once more",
        "    You've already asked @alice about @bob, and that request",
        'you> /intro @alice "someone at Acme"',
        "    You have 3 intro requests waiting already.",
    )
    assert len(stored(data, flow.INTROS)) == 3
    # Three connector DMs and two timers each; nothing for the refused ones.
    assert len(stored(data, OUTBOX)) == 9


def test_only_the_right_person_can_press(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = console(
        [
            f"/intro @alice @bob {WHY}",
            ":as carol",
            ":press 1",
            ":as bob",
            ":press 2",
            ":as alice",
            ":press 1",
            ":as carol",
            ":press 3",
            ":as alice",
            ":press 4",
            ":as you",
            ":press 3",
        ],
        data,
    )
    in_order(
        out,
        "carol> :press 1",
        "    Only @alice can answer this one. Nothing changed.",
        "bob> :press 2",
        "    Only @alice can answer this one. Nothing changed.",
        "alice> :press 1",
        "  [DM to @bob]",
        "carol> :press 3",
        "    Only @bob can answer this one. Nothing changed.",
        "alice> :press 4",
        "    Only @bob can answer this one. Nothing changed.",
        "you> :press 3",
        "    Only @bob can answer this one. Nothing changed.",
    )
    (intro,) = stored(data, flow.INTROS)
    assert intro["state"] == flow.ASKED_TARGET
    assert "[group conversation" not in out


def test_pressing_twice_or_both_buttons_acts_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = console(
        [
            f"/intro @alice @bob {WHY}",
            ":as alice",
            ":press 1",
            ":press 1",
            ":press 2",
            ":as bob",
            ":press 3",
            ":press 3",
            ":press 4",
        ],
        data,
    )
    assert out.count("[DM to @bob]") == 1
    assert out.count("[group conversation: you, alice, bob]") == 1
    assert out.count("You've already answered this one — thank you! Nothing changed.") == 4
    (intro,) = stored(data, flow.INTROS)
    assert intro["state"] == flow.INTRODUCED
    assert len(intro["history"]) == 4
    assert len(stored(data, CONTACTS)) == 4


def test_requester_words_are_shown_as_typed(tmp_path: Path) -> None:
    nasty = "@everyone @here <!channel> <@U999> please"
    out = console([f"/intro @alice @bob {nasty}", ":as alice", ":press 1"], tmp_path / "data")
    assert out.count(f"“{nasty}”") == 3  # connector's DM, its update, the target's DM


def test_list_shows_what_waits_for_me(tmp_path: Path) -> None:
    out = console(
        [
            "/intro list",
            f"/intro @alice @bob {WHY}",
            ":as alice",
            "/intro list",
        ],
        tmp_path / "data",
    )
    id = intro_id(out)
    in_order(
        out,
        "You haven't asked for any intros yet.",
        "alice> /intro list",
        "    Waiting for your answer",
        f"    {id} @you would like to meet @bob — look for my message",
    )
