"""/intro through the core: every transition, every refusal, button authorization,
scheduled reminders, and that a requester's words always stay plain text."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.adapters.console.community import COMMUNITY
from bot.clock import iso
from bot.features.followup.contacts import CONTACTS
from bot.features.intro import flow
from bot.features.intro import text as t
from bot.features.intro.commands import SCHEDULE_COFFEE
from bot.io import (
    CommandInvocation,
    DirectMessage,
    Form,
    GroupMessage,
    MessageUpdate,
    Reply,
    UserArg,
)
from bot.markup import Bold, Code, Italic, Mention, Plain, Span, Text, to_plain
from bot.messages import Message
from tests.harness import Harness, plain

WHY = "I'm moving into data engineering and would love to hear how Bob's team works"
DAY = timedelta(days=1)


# -- helpers --------------------------------------------------------------------------


def flat(text: Text) -> list[Span]:
    """Every span, with bold and italic runs opened up."""
    out: list[Span] = []
    for s in text:
        if isinstance(s, (Bold, Italic)):
            out.extend(flat(s.parts))
        else:
            out.append(s)
    return out


def only_intro(h: Harness) -> dict[str, Any]:
    intros = h.store.find(flow.INTROS)
    assert len(intros) == 1
    return intros[0]


def ask(h: Harness, line: str = f"/intro @alice @bob {WHY}", user: str = "you") -> dict[str, Any]:
    """Make a request and return its record."""
    before = {d["id"] for d in h.store.find(flow.INTROS)}
    out = h.cmd(user, line)
    new = [d for d in h.store.find(flow.INTROS) if d["id"] not in before]
    assert len(new) == 1, [plain(o.message) for o in out if isinstance(o, Reply)]
    return new[0]


def state(h: Harness, intro: dict[str, Any]) -> str:
    return h.store.get(flow.INTROS, intro["id"])["state"]


def replies(outputs: list[Any]) -> str:
    return "\n".join(plain(o.message) for o in outputs if isinstance(o, (Reply, MessageUpdate)))


def refused(h: Harness, user: str, line: str) -> str:
    """Run a command that must be refused; prove it stored and sent nothing."""
    before = h.snapshot()
    sent = len(h.recorder.sent)
    text = h.reply(user, line)
    assert h.snapshot() == before, text
    assert len(h.recorder.sent) == sent
    return text


def refused_press(h: Harness, user: str, message: Message, label: str) -> str:
    before = h.snapshot()
    sent = len(h.recorder.sent)
    out = h.press(user, h.button(message, label))
    assert h.snapshot() == before
    assert len(h.recorder.sent) == sent
    assert all(isinstance(o, Reply) for o in out)
    return replies(out)


# -- the happy path -----------------------------------------------------------------------


def test_full_double_opt_in(h: Harness) -> None:
    out = h.cmd("you", f"/intro @alice @bob {WHY}")
    intro = only_intro(h)
    assert "I've asked @alice privately whether they'd introduce you to @bob" in replies(out)
    assert f"/intro cancel {intro['id']}" in replies(out)
    assert intro["state"] == flow.ASKED_CONNECTOR
    assert [e["state"] for e in intro["history"]] == ["requested", "asked_connector"]

    # The connector hears who asks, whom, and why, with two buttons.
    ask_msg = h.last_to("alice")
    assert ask_msg.text[0] == Bold(
        (Mention("you"), Plain(" would love an intro to "), Mention("bob"))
    )
    assert WHY in plain(ask_msg)
    assert [b.label for b in ask_msg.buttons] == ["Make the intro", "Not now"]
    assert {b.value for b in ask_msg.buttons} == {intro["id"]}
    # The target hears nothing before the connector agrees.
    assert h.recorder.to("bob") == []

    out = h.press("alice", h.button(ask_msg, "Make the intro"))
    update = [o for o in out if isinstance(o, MessageUpdate)]
    assert len(update) == 1 and not update[0].message.buttons
    assert "You chose Make the intro" in plain(update[0].message)
    assert WHY in plain(update[0].message)  # the context stays; only the buttons go
    assert state(h, intro) == flow.ASKED_TARGET
    assert "Good news: @alice is happy to introduce you to @bob" in plain(h.last_to("you"))

    opt_in = h.last_to("bob")
    assert "@alice would like to introduce you to @you" in plain(opt_in)
    assert WHY in plain(opt_in)
    assert [b.label for b in opt_in.buttons] == ["Happy to connect", "No thanks"]
    assert h.recorder.groups() == []  # not before the target's yes

    out = h.press("bob", h.button(opt_in, "Happy to connect"))
    assert "You chose Happy to connect" in replies(out)
    assert not next(o for o in out if isinstance(o, MessageUpdate)).message.buttons
    done = h.store.get(flow.INTROS, intro["id"])
    assert done["state"] == flow.INTRODUCED
    assert [(e["state"], e["by"]) for e in done["history"]] == [
        ("requested", "you"),
        ("asked_connector", "you"),
        ("asked_target", "alice"),
        ("introduced", "bob"),
    ]
    assert all(e["at"] for e in done["history"])

    (group,) = h.recorder.groups()
    assert group.users == ("you", "alice", "bob")
    assert "Meet each other! @alice is introducing @you and @bob" in plain(group.message)
    assert WHY in plain(group.message)
    (coffee,) = group.message.buttons
    assert (coffee.action, coffee.label, coffee.value) == (
        SCHEDULE_COFFEE,
        "Schedule a coffee chat",
        intro["id"],
    )


def test_intro_logs_contacts_both_ways(h: Harness) -> None:
    intro = ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    assert h.store.find(CONTACTS) == []  # not before it's made
    h.clock.advance(timedelta(hours=1))
    h.press("bob", h.button(h.last_to("bob"), "Happy to connect"))
    contacts = h.store.find(CONTACTS)
    pairs = sorted((c["user"], c["other"]) for c in contacts)
    assert pairs == [("alice", "you"), ("bob", "you"), ("you", "alice"), ("you", "bob")]
    for c in contacts:
        assert c["community"] == COMMUNITY.key
        assert c["source"] == "intro"
        assert c["ref"] == intro["id"]
        assert c["at"] == iso(h.clock.now())


def test_outside_target_gets_a_ready_to_forward_blurb(h: Harness) -> None:
    intro = ask(h, f'/intro @alice "someone on the data team at Acme" {WHY}')
    assert intro["target"] is None
    assert intro["target_text"] == "someone on the data team at Acme"
    ask_msg = h.last_to("alice")
    assert "intro to someone outside the community: “someone on the data team at Acme”" in (
        plain(ask_msg)
    )

    out = h.press("alice", h.button(ask_msg, "Make the intro"))
    assert "I've sent you a note you can forward" in replies(out)
    assert state(h, intro) == flow.MADE_OUTSIDE
    blurb = h.last_to("alice")
    assert not blurb.buttons
    text = plain(blurb)
    assert "Here's a note for “someone on the data team at Acme”" in text
    assert "I'd like to introduce you to you" in text  # the requester's name, as text
    assert WHY in text
    # Forwarded outside: no mention spans, nothing platform-specific.
    assert not [s for s in flat(blurb.text) if isinstance(s, Mention)]
    assert "Good news: @alice is making your intro" in plain(h.last_to("you"))
    assert h.recorder.groups() == []
    pairs = sorted((c["user"], c["other"]) for c in h.store.find(CONTACTS))
    assert pairs == [("alice", "you"), ("you", "alice")]


# -- declines ---------------------------------------------------------------------------------


def test_connector_declines_kindly(h: Harness) -> None:
    intro = ask(h)
    out = h.press("alice", h.button(h.last_to("alice"), "Not now"))
    assert "You chose Not now. No problem at all" in replies(out)
    done = h.store.get(flow.INTROS, intro["id"])
    assert done["state"] == flow.DECLINED and done["declined_by"] == "connector"
    note = plain(h.last_to("you"))
    assert "Your intro to @bob isn't going to happen this time" in note
    assert "never a verdict on you" in note
    assert "alice" not in note  # not who, not why
    assert any(line in note for line in t.ENCOURAGEMENTS)
    assert h.recorder.to("bob") == []  # the target never heard of it


def test_target_declines_kindly(h: Harness) -> None:
    intro = ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    out = h.press("bob", h.button(h.last_to("bob"), "No thanks"))
    assert "You chose No thanks. That's completely fine" in replies(out)
    done = h.store.get(flow.INTROS, intro["id"])
    assert done["state"] == flow.DECLINED and done["declined_by"] == "target"
    assert "@bob isn't able to connect with @you right now" in plain(h.last_to("alice"))
    note = plain(h.last_to("you"))
    assert "isn't going to happen this time" in note and "No thanks" not in note
    assert h.recorder.groups() == []
    assert h.store.find(CONTACTS) == []


def test_encouragement_rotates_between_declines(h: Harness) -> None:
    seen = []
    for connector in ("alice", "carol", "dan"):
        ask(h, f"/intro @{connector} @bob {WHY}")
        h.press(connector, h.button(h.last_to(connector), "Not now"))
        note = plain(h.last_to("you"))
        seen.append(next(line for line in t.ENCOURAGEMENTS if line in note))
    assert len(set(seen)) == 3


# -- reminders, expiry, thanks ------------------------------------------------------------


def test_connector_is_reminded_once_after_three_days(h: Harness) -> None:
    intro = ask(h)
    h.advance(3 * DAY - timedelta(minutes=1))
    assert len(h.recorder.to("alice")) == 1
    h.advance(timedelta(minutes=2))
    reminder = h.last_to("alice")
    assert len(h.recorder.to("alice")) == 2
    assert "A gentle nudge" in plain(reminder) and WHY in plain(reminder)
    # Its own two answers, and only the nudge button that adds a meaning of its own: no
    # "Done" or "Stop" (a single reminder; either would just mean "not now, quietly").
    assert [b.label for b in reminder.buttons] == ["Make the intro", "Not now", "Snooze a week"]
    item = h.store.find_one("outbox", {"key": f"{COMMUNITY.key}|intro:{intro['id']}:remind"})
    assert item["nudge"] is True and item["user"] == "alice"
    h.advance(5 * DAY)
    assert len(h.recorder.to("alice")) == 2  # once only
    # The reminder's buttons work like the first message's.
    h.press("alice", h.button(reminder, "Make the intro"))
    assert state(h, intro) == flow.ASKED_TARGET


def test_no_reminder_once_the_connector_answered(h: Harness) -> None:
    ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    h.advance(4 * DAY)
    assert len(h.recorder.to("alice")) == 1


def test_unanswered_request_expires_and_the_requester_is_told(h: Harness) -> None:
    intro = ask(h)
    h.advance(14 * DAY - timedelta(minutes=1))
    assert state(h, intro) == flow.ASKED_CONNECTOR
    h.advance(timedelta(minutes=2))
    done = h.store.get(flow.INTROS, intro["id"])
    assert done["state"] == flow.EXPIRED
    assert done["history"][-1]["by"] == flow.SYSTEM
    note = plain(h.last_to("you"))
    assert "open for 14 days, so I've closed it" in note
    assert "not a no" in note
    # A late press changes nothing.
    text = refused_press(h, "alice", h.recorder.to("alice")[0], "Make the intro")
    assert "This request is expired now" in text


def test_request_waiting_for_the_target_expires_too(h: Harness) -> None:
    intro = ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    h.advance(15 * DAY)
    assert state(h, intro) == flow.EXPIRED
    assert "Happy to connect" in [b.label for b in h.recorder.to("bob")[0].buttons]
    text = refused_press(h, "bob", h.recorder.to("bob")[0], "Happy to connect")
    assert "expired" in text
    assert h.recorder.groups() == []


def test_no_expiry_after_the_intro_was_made(h: Harness) -> None:
    intro = ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    h.press("bob", h.button(h.last_to("bob"), "Happy to connect"))
    h.advance(20 * DAY)
    assert state(h, intro) == flow.INTRODUCED
    assert not any("closed it" in plain(m) for m in h.recorder.to("you"))


def test_requester_is_nudged_to_thank_the_connector(h: Harness) -> None:
    intro = ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    h.press("bob", h.button(h.last_to("bob"), "Happy to connect"))
    count = len(h.recorder.to("you"))
    h.advance(2 * DAY - timedelta(minutes=1))
    assert len(h.recorder.to("you")) == count
    h.advance(timedelta(minutes=2))
    nudge = h.last_to("you")
    assert "@alice introduced you to @bob recently. Have you thanked them yet?" in plain(nudge)
    item = h.store.find_one("outbox", {"key": f"{COMMUNITY.key}|intro:{intro['id']}:thank"})
    assert item["nudge"] is True and item["user"] == "you"
    h.advance(10 * DAY)
    assert len(h.recorder.to("you")) == count + 1


def test_thank_nudge_after_an_outside_intro(h: Harness) -> None:
    ask(h, f'/intro @alice "a designer at Acme" {WHY}')
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    h.advance(3 * DAY)
    assert "@alice introduced you to “a designer at Acme” recently" in plain(h.last_to("you"))


def test_timings_are_configurable_per_community(h: Harness) -> None:
    ctx = h.core.context(COMMUNITY, "you", is_admin=True)
    ctx.set_setting("intro_remind_days", 1)
    ctx.set_setting("intro_expire_days", 2)
    ctx.set_setting("intro_thank_days", 0.25)
    intro = ask(h)
    h.advance(DAY + timedelta(minutes=1))
    assert "A gentle nudge" in plain(h.last_to("alice"))
    h.advance(DAY)
    assert state(h, intro) == flow.EXPIRED
    assert "open for 2 days" in plain(h.last_to("you"))

    ask(h, f"/intro @carol @dan {WHY}")
    h.press("carol", h.button(h.last_to("carol"), "Make the intro"))
    h.press("dan", h.button(h.last_to("dan"), "Happy to connect"))
    h.advance(timedelta(hours=6, minutes=1))
    assert "Have you thanked them yet?" in plain(h.last_to("you"))


# -- cancel and list ---------------------------------------------------------------------------


def test_cancel_while_waiting_for_the_connector(h: Harness) -> None:
    intro = ask(h)
    text = h.reply("you", f"/intro cancel {intro['id'].upper()}")
    assert f"I've withdrawn your request {intro['id']} for an intro to @bob" in text
    assert state(h, intro) == flow.CANCELLED
    assert "@you has withdrawn their request for an intro to @bob" in plain(h.last_to("alice"))
    assert h.recorder.to("bob") == []
    text = refused_press(h, "alice", h.recorder.to("alice")[0], "Make the intro")
    assert "This request is withdrawn now" in text
    h.advance(20 * DAY)  # no reminder, no expiry note
    assert len(h.recorder.to("alice")) == 2
    assert not any("closed it" in plain(m) for m in h.recorder.to("you"))


def test_cancel_while_waiting_for_the_target(h: Harness) -> None:
    intro = ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    h.reply("you", f"/intro cancel {intro['id']}")
    assert state(h, intro) == flow.CANCELLED
    to_target = plain(h.last_to("bob"))
    assert "has withdrawn their intro request, so there's nothing for you to answer" in to_target
    assert "someone people can ask" not in to_target  # that thanks is the connector's
    assert "has withdrawn their request for an intro to @bob" in plain(h.last_to("alice"))
    refused_press(h, "bob", h.recorder.to("bob")[0], "Happy to connect")
    assert h.recorder.groups() == []


def test_cancel_refusals_store_nothing(h: Harness) -> None:
    assert "no open intro requests" in refused(h, "you", "/intro cancel")
    intro = ask(h)
    assert f"/intro cancel {intro['id']}" in refused(h, "you", "/intro cancel")
    assert "couldn't find an intro request of yours" in refused(h, "you", "/intro cancel zzzzzz")
    # Someone else's id looks exactly like an unknown one.
    assert "couldn't find an intro request of yours" in refused(
        h, "carol", f"/intro cancel {intro['id']}"
    )
    h.press("alice", h.button(h.last_to("alice"), "Not now"))
    text = refused(h, "you", f"/intro cancel {intro['id']}")
    assert "isn't open any more (not this time), so there's nothing to withdraw" in text


def test_list_shows_my_requests_and_what_waits_for_me(h: Harness) -> None:
    assert "You haven't asked for any intros yet" in h.reply("you", "/intro list")
    a = ask(h)
    b = ask(h, f'/intro @carol "a recruiter at Acme" {WHY}')
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    text = h.reply("you", "/intro list")
    assert f"{a['id']} @bob through @alice — @alice said yes; waiting for @bob" in text
    assert f"{b['id']} “a recruiter at Acme” through @carol — waiting for @carol" in text
    assert f"{a['id']} @you would like to meet @bob" in h.reply("bob", "/intro list")
    assert f"{b['id']} @you would like to meet “a recruiter at Acme”" in h.reply(
        "carol", "/intro list"
    )
    h.press("bob", h.button(h.last_to("bob"), "Happy to connect"))
    assert f"{a['id']} @bob through @alice — introduced" in h.reply("you", "/intro list")
    assert "Waiting for your answer" not in h.reply("bob", "/intro list")


def test_help(h: Harness) -> None:
    text = h.reply("you", "/intro help")
    assert "Warm intros through a friend" in text
    assert h.store.find(flow.INTROS) == []
    assert "/intro @friend @person" in h.reply("you", "/rapport help")


# -- refusals: each stores nothing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/intro @alice", "Whom would you like to meet?"),
        ("/intro @alice @bob", "Add a line about why you'd like to meet them"),
        ("/intro @alice @bob   ...  ", "Add a line about why"),
        ('/intro @alice "" why not', "Whom would you like to meet?"),
        ("/intro @you @bob hello there", "You can't introduce yourself through yourself"),
        ("/intro @alice @you hello there", "That's you!"),
        ("/intro @alice @alice hello there", "@alice can't introduce you to themselves"),
        ("/intro @rapport @bob hello there", "@rapport is a bot, so it can't make intros"),
        ("/intro @alice @rapport hello there", "@rapport is a bot"),
        ("/intro @zed @bob hello there", "I couldn't find a member called “@zed”"),
        ("/intro zed @bob hello there", "I couldn't find a member called “zed”"),
        ("/intro @alice @zed hello there", "I couldn't find a member called “@zed”"),
        ("/intro @alice someone at Acme", "put someone outside the community in quotes"),
        ('/intro "alice" @bob hello', "The friend making the intro needs to be a member"),
        ("/intro @alice @bob " + "x" * 501, "That's a little long (501 characters)"),
        ('/intro @alice "' + "a" * 151 + '" hello', "in under 150 characters"),
    ],
)
def test_bad_requests_are_refused_and_store_nothing(h: Harness, line: str, expected: str) -> None:
    text = refused(h, "you", line)
    assert expected in text
    assert "Example:" in text


def test_reason_at_the_cap_is_accepted(h: Harness) -> None:
    intro = ask(h, "/intro @alice @bob " + "x" * 500)
    assert len(intro["reason"]) == 500


def test_cap_follows_the_community_setting(h: Harness) -> None:
    h.core.context(COMMUNITY, "you", is_admin=True).set_setting("max_text", 20)
    assert "under 20" in refused(h, "you", "/intro @alice @bob " + "y" * 21)


def test_identical_pending_request_is_refused(h: Harness) -> None:
    intro = ask(h)
    text = refused(h, "you", "/intro @alice @bob a different reason, same people")
    assert f"You've already asked @alice about @bob, and that request ({intro['id']})" in text
    ask(h, f'/intro @alice "someone at Acme" {WHY}')
    text = refused(h, "you", f'/intro @alice "Someone  at ACME" {WHY}')
    assert "You've already asked @alice about “someone at Acme”" in text
    # Once the first is answered, asking again is fine; and others may ask the same.
    ask(h, f"/intro @alice @bob {WHY}", user="carol")
    h.press("alice", h.button(h.recorder.to("alice")[0], "Not now"))
    ask(h)


def test_more_than_the_pending_limit_is_refused(h: Harness) -> None:
    for connector in ("alice", "carol", "dan"):
        ask(h, f"/intro @{connector} @bob {WHY}")
    text = refused(h, "you", f'/intro @alice "someone at Acme" {WHY}')
    assert "You have 3 intro requests waiting already" in text
    # Answered requests don't count.
    h.press("dan", h.button(h.last_to("dan"), "Not now"))
    ask(h, f'/intro @alice "someone at Acme" {WHY}')


def test_pending_limit_is_configurable(h: Harness) -> None:
    h.core.context(COMMUNITY, "you", is_admin=True).set_setting("max_pending_intros", 1)
    ask(h)
    assert "You have 1 intro requests waiting" in refused(h, "you", f"/intro @carol @dan {WHY}")


def test_bot_known_only_to_the_directory_is_refused(h: Harness) -> None:
    """A platform may not flag a mention as a bot; the directory's word counts too."""
    for parts in (
        (UserArg("rapport", "rapport", None), " ", UserArg("bob", "bob"), " hello there"),
        (UserArg("alice", "alice"), " ", UserArg("rapport", "rapport", None), " hello"),
    ):
        before = h.snapshot()
        out = h.core.handle_command(
            CommandInvocation(COMMUNITY, "you", "intro", parts, request_id=None)
        )
        assert "is a bot" in replies(out)
        assert h.snapshot() == before


def test_bot_flag_from_the_platform_is_enough(h: Harness) -> None:
    parts = (UserArg("dan", "dan", True), " ", UserArg("bob", "bob"), " hello there")
    out = h.core.handle_command(CommandInvocation(COMMUNITY, "you", "intro", parts))
    assert "@dan is a bot" in replies(out)
    assert h.store.find(flow.INTROS) == []


# -- buttons: who may press, and pressing twice -----------------------------------------------


def test_only_the_connector_may_answer_the_connector(h: Harness) -> None:
    intro = ask(h)
    ask_msg = h.last_to("alice")
    for stranger in ("carol", "you", "bob"):
        for label in ("Make the intro", "Not now"):
            text = refused_press(h, stranger, ask_msg, label)
            assert text == "Only @alice can answer this one. Nothing changed."
    assert state(h, intro) == flow.ASKED_CONNECTOR


def test_only_the_target_may_answer_the_target(h: Harness) -> None:
    intro = ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    opt_in = h.last_to("bob")
    for stranger in ("carol", "you", "alice"):
        for label in ("Happy to connect", "No thanks"):
            assert "Only @bob can answer this one" in refused_press(h, stranger, opt_in, label)
    assert state(h, intro) == flow.ASKED_TARGET
    assert h.recorder.groups() == []


def test_pressing_the_same_button_twice_acts_once(h: Harness) -> None:
    intro = ask(h)
    ask_msg = h.last_to("alice")
    h.press("alice", h.button(ask_msg, "Make the intro"))
    text = refused_press(h, "alice", ask_msg, "Make the intro")
    assert "You've already answered this one" in text
    assert len(h.recorder.to("bob")) == 1
    opt_in = h.last_to("bob")
    h.press("bob", h.button(opt_in, "Happy to connect"))
    refused_press(h, "bob", opt_in, "Happy to connect")
    assert len(h.recorder.groups()) == 1
    assert len(h.store.find(CONTACTS)) == 4
    assert len(h.store.get(flow.INTROS, intro["id"])["history"]) == 4


def test_both_buttons_of_one_message_act_once(h: Harness) -> None:
    intro = ask(h)
    ask_msg = h.last_to("alice")
    h.press("alice", h.button(ask_msg, "Make the intro"))
    refused_press(h, "alice", ask_msg, "Not now")
    assert state(h, intro) == flow.ASKED_TARGET
    opt_in = h.last_to("bob")
    h.press("bob", h.button(opt_in, "No thanks"))
    refused_press(h, "bob", opt_in, "Happy to connect")
    assert state(h, intro) == flow.DECLINED
    assert h.recorder.groups() == []


def test_a_retried_press_is_answered_once(h: Harness) -> None:
    """The same platform request id (a Slack retry) returns the first answer, acts once."""
    from bot.io import ButtonPress

    ask(h)
    button = h.button(h.last_to("alice"), "Make the intro")
    press = ButtonPress(COMMUNITY, "alice", button.action, button.value, request_id="r1")
    first = h.core.handle_button(press)
    second = h.core.handle_button(press)
    assert replies(first) == replies(second)
    h.tick()
    assert len(h.recorder.to("bob")) == 1


def test_a_stale_read_cannot_transition(h: Harness) -> None:
    """Compare-and-set: of two handlers that read the same state, only the first moves it."""
    intro = ask(h)
    stale = h.store.get(flow.INTROS, intro["id"])
    first = flow.transition(h.store, stale, flow.DECLINED, by="alice", at=h.clock.now())
    second = flow.transition(h.store, stale, flow.ASKED_TARGET, by="alice", at=h.clock.now())
    assert first is not None and second is None
    assert state(h, intro) == flow.DECLINED


def test_a_press_for_an_unknown_intro(h: Harness) -> None:
    from bot.io import ButtonPress

    out = h.core.handle_button(ButtonPress(COMMUNITY, "alice", "intro.make", "nope42"))
    assert "I can't find that request any more" in replies(out)


def test_coffee_button_is_inert_until_the_coffee_family_registers_it(h: Harness) -> None:
    ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    h.press("bob", h.button(h.last_to("bob"), "Happy to connect"))
    (group,) = h.recorder.groups()
    out = h.press("you", group.message.buttons[0])
    if SCHEDULE_COFFEE not in h.core.buttons:
        assert "That button isn't active any more" in replies(out)


# -- mention safety ---------------------------------------------------------------------------


NASTY = "<!channel> <!here> <!everyone> @channel @here @everyone <@U999> <!subteam^S1|devs> *hi*"


def test_requester_words_are_plain_text_in_every_message(h: Harness) -> None:
    h.cmd("you", f"/intro @alice @bob {NASTY}")
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    out = h.press("bob", h.button(h.last_to("bob"), "Happy to connect"))
    ask(h, f'/intro @carol "<!channel> @here someone at Acme" {NASTY}', user="dan")
    out += h.press("carol", h.button(h.last_to("carol"), "Make the intro"))

    messages = [p.output.message for p in h.recorder.sent]
    messages += [o.message for o in out if isinstance(o, (Reply, MessageUpdate))]
    carrying = [m for m in messages if NASTY in plain(m)]
    assert len(carrying) >= 6  # connector asks, target ask, group, updates, blurb
    people = {"you", "alice", "bob", "carol", "dan"}
    for message in messages:
        spans = flat(message.text)
        assert {s.user for s in spans if isinstance(s, Mention)} <= people
        assert not [s for s in spans if isinstance(s, Code) and "<!" in s.text]
        for bad in ("<!channel>", "@everyone", "<@U999>", "<!subteam"):
            if bad in plain(message):
                assert any(isinstance(s, Plain) and bad in s.text for s in spans)
    for message in carrying:
        assert any(isinstance(s, Plain) and NASTY in s.text for s in flat(message.text))


def test_outputs_of_a_request_are_what_we_expect(h: Harness) -> None:
    """The request itself queues exactly one DM (the connector) and two timers."""
    out = h.cmd("you", f"/intro @alice @bob {WHY}", deliver=False)
    assert [type(o) for o in out] == [Reply]
    pending = h.store.find("outbox", {"state": "pending"})
    kinds = sorted((p["kind"], p.get("event") or p["out"]["kind"]) for p in pending)
    assert kinds == [("deliver", "dm"), ("event", "intro.expire"), ("event", "intro.remind")]
    h.tick()
    assert [type(p.output) for p in h.recorder.sent] == [DirectMessage]
    assert not [p for p in h.recorder.sent if isinstance(p.output, GroupMessage)]


def test_a_forged_target_press_on_an_outside_intro_changes_nothing(h: Harness) -> None:
    from bot.io import ButtonPress

    intro = ask(h, f'/intro @alice "someone at Acme" {WHY}')
    before = h.snapshot()
    out = h.core.handle_button(ButtonPress(COMMUNITY, "bob", "intro.accept", intro["id"]))
    assert "I can't find that request any more" in replies(out)
    assert h.snapshot() == before


# -- the form behind /intro alone -----------------------------------------------------------


def test_intro_alone_opens_a_form_whose_refusals_land_on_their_fields(h: Harness) -> None:
    (form,) = h.cmd("you", "/intro")
    assert isinstance(form, Form) and form.key == "intro.ask:"
    assert [f.name for f in form.fields] == ["connector", "target", "outside", "why"]
    (refused,) = h.submit("you", form, {"connector": UserArg("you"), "why": "..."})
    assert isinstance(refused, Form)
    assert set(refused.errors) == {"connector", "target", "why"}
    assert "yourself" in refused.errors["connector"]
    (both,) = h.submit(
        "you",
        form,
        {"connector": UserArg("alice"), "target": UserArg("bob"), "outside": "x", "why": "hi"},
    )
    assert isinstance(both, Form) and set(both.errors) == {"outside"}
    assert h.store.find(flow.INTROS) == []
    out = h.submit(
        "you",
        form,
        {"connector": UserArg("alice"), "outside": "someone at Acme", "why": "data work"},
    )
    assert "someone at Acme" in "\n".join(
        to_plain(o.message.text) for o in out if isinstance(o, Reply)
    )
    (intro,) = h.store.find(flow.INTROS)
    assert (intro["connector"], intro["target_text"]) == ("alice", "someone at Acme")
