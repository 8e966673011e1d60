"""Automatic nudges from intros and coffee chats go through the same machinery as
follow-ups: the outbox with ``nudge=True`` (quiet hours, the daily cap, nudges off) and
the same Done / Snooze a week / Stop reminding me about this buttons — each tested for
what it means on each kind of nudge. The keep-in-touch choice is a real follow-up, from
the check-in's Yes to the reminder two weeks later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.console.community import COMMUNITY
from bot.clock import parse_iso
from bot.features.coffee.records import CHATS, KEEP_IN_TOUCH
from bot.features.followup import nudges
from bot.features.followup import records as followups
from bot.features.followup.contacts import CONTACTS, last_contact
from bot.features.intro import flow
from bot.io import Later, MessageUpdate, Output, Reply
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import enqueue_event
from store.base import OUTBOX
from tests.harness import Harness, plain

WHY = "I'd love to hear how the data team hires juniors"
STANDARD = ["Done", "Snooze a week", "Stop reminding me about this"]
DAY = timedelta(days=1)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026, UTC (the 1st is a Tuesday)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def until(h: Harness, moment: datetime) -> None:
    h.advance(moment - h.clock.now())


def labels(message: Message) -> list[str]:
    return [b.label for b in message.buttons]


def answer(out: list[Output]) -> str:
    return "\n".join(plain(o.message) for o in out if isinstance(o, (Reply, MessageUpdate)))


def update(out: list[Output]) -> Message:
    (found,) = [o.message for o in out if isinstance(o, MessageUpdate)]
    return found


def containing(h: Harness, user: str, words: str) -> list[Message]:
    return [m for m in h.recorder.to(user) if words in plain(m)]


def durable(h: Harness) -> dict[str, list[dict[str, Any]]]:
    """Every table but the core's memory of request ids (which every press adds to)."""
    return {k: v for k, v in h.snapshot().items() if k != "requests"}


def events(h: Harness, event: str, state: str = "pending") -> list[dict[str, Any]]:
    return h.store.find(OUTBOX, {"kind": "event", "event": event, "state": state})


def schedule(h: Harness, event: str, data: dict[str, Any], user: str, key: str) -> None:
    """Queue an event by hand (a duplicate, or what older code left in the outbox)."""
    with h.store.atomic():
        enqueue_event(h.store, COMMUNITY, Later(h.clock.now(), event, data, key=key, user=user))


# -- the intro reminder to the connector -----------------------------------------------------


def ask(h: Harness) -> dict[str, Any]:
    h.cmd("you", f"/intro @alice @bob {WHY}")
    (intro,) = h.store.find(flow.INTROS)
    return intro


def reminder(h: Harness) -> Message:
    """The connector's reminder, three days after the request (Fri 4 Dec, 09:00)."""
    until(h, at(4, 9, 1))
    found = containing(h, "alice", "A gentle nudge")
    assert len(found) == 1
    return found[0]


def intro_state(h: Harness, intro: dict[str, Any]) -> str:
    return h.store.get(flow.INTROS, intro["id"])["state"]


def test_the_intro_reminder_keeps_its_own_buttons_first_then_only_snooze(
    h: Harness,
) -> None:
    ask(h)
    rem = reminder(h)
    assert labels(rem) == ["Make the intro", "Not now", "Snooze a week"]
    assert [b.action for b in rem.buttons] == [
        "intro.make",
        "intro.not_now",
        "intro.reminder.snooze",
    ]
    (item,) = events(h, "intro.remind", "done")
    assert item["nudge"] is True and item["user"] == "alice"


def test_reminder_snooze_comes_back_in_a_week_through_quiet_hours(h: Harness) -> None:
    intro = ask(h)
    rem = reminder(h)
    until(h, at(4, 21, 30))  # Friday night (UTC is alice's zone)
    out = h.press("alice", h.button(rem, "Snooze a week"))
    after = update(out)
    assert "remind you again around Fri 11 Dec" in plain(after)
    assert labels(after) == ["Make the intro", "Not now"]
    (item,) = events(h, "intro.remind")
    assert item["nudge"] is True and item["user"] == "alice"
    assert set(item["about"]) == {"you", "alice", "bob"}  # for privacy export and erasure
    assert parse_iso(item["due"]) == at(11, 21, 30)
    # Fri 11 Dec 21:30 is in quiet hours and a weekend follows: it waits for Monday 08:00.
    until(h, at(14, 7, 59))
    assert len(containing(h, "alice", "A gentle nudge")) == 1
    until(h, at(14, 8, 1))
    again = containing(h, "alice", "A gentle nudge")
    assert len(again) == 2
    assert labels(again[1]) == ["Make the intro", "Not now", "Snooze a week"]
    h.press("alice", h.button(again[1], "Make the intro"))
    assert intro_state(h, intro) == flow.ASKED_TARGET


def test_reminder_snooze_past_the_expiry_says_so_and_schedules_nothing(h: Harness) -> None:
    h.core.context(COMMUNITY, "you", is_admin=True).set_setting("intro_expire_days", 9)
    ask(h)
    rem = reminder(h)
    after = update(h.press("alice", h.button(rem, "Snooze a week")))
    assert "closes on Thu 10 Dec" in plain(after) and "last reminder" in plain(after)
    assert labels(after) == ["Make the intro", "Not now"]
    assert events(h, "intro.remind") == []
    h.advance(20 * DAY)
    assert len(containing(h, "alice", "A gentle nudge")) == 1


def test_the_reminder_no_longer_offers_done_or_stop(h: Harness) -> None:
    """Done and Stop would only repeat "not now, quietly" on a one-off reminder."""
    ask(h)
    rem = reminder(h)
    assert not {"Done", "Stop reminding me about this"} & set(labels(rem))
    assert "intro.reminder.done" not in h.core.buttons
    assert "intro.reminder.stop" not in h.core.buttons


def test_reminder_buttons_refuse_strangers_and_answered_requests(h: Harness) -> None:
    intro = ask(h)
    rem = reminder(h)
    before = durable(h)
    snooze = h.button(rem, "Snooze a week")
    assert "belongs to someone else" in answer(h.press("bob", snooze))
    assert durable(h) == before
    first = h.recorder.to("alice")[0]  # the original ask: answered there
    h.press("alice", h.button(first, "Make the intro"))
    assert intro_state(h, intro) == flow.ASKED_TARGET
    before = durable(h)
    assert "already answered" in answer(h.press("alice", snooze))
    assert durable(h) == before


def test_a_nudge_stored_before_actions_existed_keeps_the_generic_buttons() -> None:
    old = {"id": "n1", "message": Message(fmt("Hello")).to_data(), "user": "alice"}
    assert [b.action for b in nudges.generic_message(old).buttons] == [
        "nudge.done",
        "nudge.snooze",
        "nudge.stop",
    ]
    assert nudges.snooze_later(old, at(8, 9), 1).event == nudges.AGAIN


# -- thank the connector ---------------------------------------------------------------------


def thanks(h: Harness) -> Message:
    """The intro is made on Tue 1 Dec; the thank-you nudge comes two days later."""
    ask(h)
    h.press("alice", h.button(h.last_to("alice"), "Make the intro"))
    h.press("bob", h.button(h.last_to("bob"), "Happy to connect"))
    until(h, at(3, 9, 1))
    found = containing(h, "you", "Have you thanked them yet?")
    assert len(found) == 1
    return found[0]


def test_thank_the_connector_done_logs_a_contact_with_the_connector(h: Harness) -> None:
    nudge = thanks(h)
    assert labels(nudge) == STANDARD
    (item,) = events(h, "intro.thank", "done")
    assert item["nudge"] is True and item["user"] == "you"
    assert "nice work" in answer(h.press("you", h.button(nudge, "Done")))
    rows = [(c["user"], c["other"], c["source"]) for c in h.store.find(CONTACTS)]
    assert ("you", "alice", "nudge") in rows
    assert last_contact(h.store, COMMUNITY, "alice", "you") == h.clock.now()


def test_thank_the_connector_snooze_then_stop(h: Harness) -> None:
    nudge = thanks(h)
    assert "around Thu 10 Dec" in answer(h.press("you", h.button(nudge, "Snooze a week")))
    (item,) = events(h, "intro.thank")  # the feature's own event, checked again then
    assert item["nudge"] is True and parse_iso(item["due"]) == at(10, 9, 1)
    until(h, at(10, 9, 0))
    assert len(containing(h, "you", "Have you thanked them yet?")) == 1
    until(h, at(10, 9, 2))
    again = containing(h, "you", "Have you thanked them yet?")
    assert len(again) == 2 and labels(again[1]) == STANDARD
    assert "no more reminders" in answer(
        h.press("you", h.button(again[1], "Stop reminding me about this"))
    )
    (intro,) = h.store.find(flow.INTROS)
    schedule(h, "intro.thank", {"intro": intro["id"]}, "you", "dup-thank")
    h.advance(30 * DAY)
    assert len(containing(h, "you", "Have you thanked them yet?")) == 2


# -- coffee chats: check-in, thank-you, keep in touch -------------------------------------------


def book(h: Harness, when: str) -> dict[str, Any]:
    """Alice (Berlin) invites Bob (New York); Bob accepts at once."""
    h.cmd("alice", "/rapport settings tz Europe/Berlin")
    h.cmd("bob", "/rapport settings tz America/New_York")
    h.cmd("alice", f"/coffee @bob {when}")
    h.press("bob", h.button(h.last_to("bob"), "Accept"))
    (chat,) = h.store.find(CHATS)
    return chat


def checkin(h: Harness, user: str) -> Message:
    found = containing(h, user, "Did your chat with")
    assert found, f"no check-in for {user}"
    return found[-1]


def test_the_chain_from_accept_to_a_follow_up_two_weeks_later(h: Harness) -> None:
    chat = book(h, "tomorrow 6pm")  # Wed 2 Dec 18:00 Berlin = 17:00 UTC
    until(h, at(2, 18, 1))  # an hour after it began: the check-in (a nudge event)
    ask_ = checkin(h, "alice")
    assert labels(ask_) == ["Yes", "Rescheduled", "Didn't happen"]  # a question: no Done/Stop
    items = events(h, "coffee.checkin", "done")
    assert {(i["user"], i["nudge"]) for i in items} == {("alice", True), ("bob", True)}

    until(h, at(2, 20, 30))  # 21:30 in Berlin: quiet hours for alice
    offer = update(h.press("alice", h.button(ask_, "Yes")))
    assert labels(offer) == ["In 2 weeks", "In a month", "No"]
    assert containing(h, "alice", "short thank-you") == []  # the thank-you waits for morning
    out = h.press("alice", h.button(offer, "In 2 weeks"))
    (kept,) = h.store.find(KEEP_IN_TOUCH)
    f = h.store.get(followups.FOLLOWUPS, kept["followup"])
    assert (f["owner"], f["person"], f["source"]) == ("alice", "bob", "keep_in_touch")
    assert f["key"] == f"{COMMUNITY.key}|keep:{chat['id']}:alice"
    assert parse_iso(f["due"]) == at(16, 20, 30) and f"follow-up {f['id']}" in answer(out)
    assert events(h, "coffee.keep_in_touch") == []  # the old standalone reminder is gone
    listed = h.reply("alice", "/followup list")
    assert f["id"] in listed and "@bob on Wed 16 Dec, 21:30" in listed
    assert "after our coffee chat on Wed 2 Dec" in listed

    until(h, at(3, 6, 59))
    assert containing(h, "alice", "short thank-you") == []
    until(h, at(3, 7, 1))  # 08:01 in Berlin
    (thank,) = containing(h, "alice", "short thank-you")
    assert labels(thank) == STANDARD

    until(h, at(17, 6, 59))  # due Wed 21:30 Berlin (quiet): it waits for Thu 08:00
    assert containing(h, "alice", "Time to follow up with @bob") == []
    until(h, at(17, 7, 1))
    (nudge,) = containing(h, "alice", "Time to follow up with @bob")
    assert labels(nudge) == STANDARD
    assert [b.action for b in nudge.buttons] == [
        "followup.done",
        "followup.snooze",
        "followup.stop",
    ]
    assert "Nice work following up with @bob" in answer(h.press("alice", h.button(nudge, "Done")))
    latest = max(h.store.find(CONTACTS), key=lambda c: c["at"])
    assert (latest["user"], latest["other"], latest["source"]) == ("alice", "bob", "followup")
    assert "no follow-ups" in h.reply("alice", "/followup list")


def test_keep_in_touch_and_its_follow_up_are_one_atomic_step(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    book(h, "tomorrow 3pm")
    until(h, at(2, 15, 1))
    offer = update(h.press("alice", h.button(checkin(h, "alice"), "Yes")))
    real = followups.schedule_followup

    def then_crash(*args: Any, **kwargs: Any) -> dict[str, Any]:
        real(*args, **kwargs)
        raise RuntimeError("the process fell over")

    monkeypatch.setattr(followups, "schedule_followup", then_crash)
    before = durable(h)
    assert "went wrong" in answer(h.press("alice", h.button(offer, "In a month"))).lower()
    assert durable(h) == before  # no follow-up, no keep-in-touch record, no event
    monkeypatch.setattr(followups, "schedule_followup", real)
    h.press("alice", h.button(offer, "In a month"))
    h.press("alice", h.button(offer, "In 2 weeks"))  # pressing again acts once
    assert len(h.store.find(followups.FOLLOWUPS)) == 1
    assert len(h.store.find(KEEP_IN_TOUCH)) == 1


def test_keep_in_touch_no_makes_no_follow_up(h: Harness) -> None:
    book(h, "tomorrow 3pm")
    until(h, at(2, 15, 1))
    offer = update(h.press("alice", h.button(checkin(h, "alice"), "Yes")))
    h.press("alice", h.button(offer, "No"))
    (kept,) = h.store.find(KEEP_IN_TOUCH)
    assert kept["choice"] == "no" and kept["followup"] is None
    assert h.store.find(followups.FOLLOWUPS) == []


def test_the_coffee_thank_you_counts_against_the_daily_cap_and_snoozes(h: Harness) -> None:
    h.core.context(COMMUNITY, "you", is_admin=True).set_setting("daily_nudge_cap", 1)
    book(h, "tomorrow 3pm")  # Wed 14:00 UTC
    until(h, at(2, 15, 1))  # alice's check-in is her one nudge today
    h.press("alice", h.button(checkin(h, "alice"), "Yes"))
    assert containing(h, "alice", "short thank-you") == []
    (item,) = events(h, "coffee.thank")
    assert item["nudge"] is True and item["user"] == "alice"
    until(h, at(3, 7, 1))  # the next allowed moment: Thu 08:00 in Berlin
    (thank,) = containing(h, "alice", "short thank-you")
    assert "Snoozed" in answer(h.press("alice", h.button(thank, "Snooze a week")))
    until(h, at(10, 7, 0))
    assert len(containing(h, "alice", "short thank-you")) == 1
    until(h, at(10, 7, 2))
    again = containing(h, "alice", "short thank-you")
    assert len(again) == 2 and labels(again[1]) == STANDARD
    assert "nice work" in answer(h.press("alice", h.button(again[1], "Done")))
    sources = [(c["user"], c["other"], c["source"]) for c in h.store.find(CONTACTS)]
    assert ("alice", "bob", "nudge") in sources


def test_the_coffee_thank_you_stop(h: Harness) -> None:
    chat = book(h, "tomorrow 3pm")
    until(h, at(2, 15, 1))
    h.press("bob", h.button(checkin(h, "bob"), "Yes"))  # 10:01 in New York
    (thank,) = containing(h, "bob", "short thank-you")
    assert "@alice" in plain(thank)
    h.press("bob", h.button(thank, "Stop reminding me about this"))
    schedule(h, "coffee.thank", {"chat": chat["id"], "user": "bob"}, "bob", "dup-thank")
    h.advance(DAY)
    assert len(containing(h, "bob", "short thank-you")) == 1
    assert nudges.is_stopped(h.core.context(COMMUNITY, "bob"), "bob", f"coffee:{chat['id']}:thank")


def test_the_check_in_is_held_by_quiet_hours_the_reminder_before_is_not(h: Harness) -> None:
    book(h, "tomorrow 8:30pm")  # Wed 20:30 Berlin = 19:30 UTC = 14:30 New York
    until(h, at(2, 20, 31))  # the check-in: 21:31 for alice (quiet), 15:31 for bob
    assert containing(h, "alice", "Did your chat with") == []
    assert len(containing(h, "bob", "Did your chat with")) == 1
    until(h, at(3, 7, 1))
    assert len(containing(h, "alice", "Did your chat with")) == 1

    h.cmd("alice", "/coffee @bob fri 8:30am")  # Fri 07:30 UTC = 02:30 in New York
    h.press("bob", h.button(h.last_to("bob"), "Accept"))
    until(h, at(4, 6, 31))  # its reminder is due at 01:30 for bob: it comes anyway
    assert len(containing(h, "bob", "Coffee with @alice soon")) == 2
    (item,) = [
        i for i in events(h, "coffee.remind", "done") if i["user"] == "bob" and "T06:30" in i["due"]
    ]
    assert item["nudge"] is False


def test_the_check_in_waits_while_nudges_are_off(h: Harness) -> None:
    book(h, "tomorrow 3pm")
    h.cmd("alice", "/rapport nudges off")
    until(h, at(2, 15, 1))
    assert containing(h, "alice", "Did your chat with") == []
    assert len(containing(h, "alice", "Coffee with @bob soon")) == 1  # not a nudge
    h.cmd("alice", "/rapport nudges on")
    assert len(containing(h, "alice", "Did your chat with")) == 1


# -- which scheduled events are nudges ---------------------------------------------------------

NUDGE = {
    # reminders that can wait for the morning, count against the cap, pause with nudges off
    "intro.remind": True,
    "intro.thank": True,
    "coffee.checkin": True,
    "coffee.thank": True,
    "followup.due": True,
    # news and appointments: the request expired; the chat you agreed to starts soon
    "intro.expire": False,
    "coffee.unanswered": False,
    "coffee.remind": False,
    # roulette round mechanics: channel posts and group conversations, no one person
    "coffee.roulette_round": False,
    # (``coffee.roulette_open`` is no longer scheduled: a round queues its groups at once)
    "coffee.roulette_checkin": False,
    "coffee.roulette_close": False,
}


def test_every_scheduled_event_is_deliberately_a_nudge_or_not(h: Harness) -> None:
    thanks(h)  # intro.remind, intro.expire, intro.thank
    book(h, "fri 3pm")  # coffee.remind, coffee.checkin
    until(h, at(4, 15, 1))
    offer = update(h.press("alice", h.button(checkin(h, "alice"), "Yes")))  # coffee.thank
    h.press("alice", h.button(offer, "In 2 weeks"))  # followup.due
    h.cmd("you", "/coffee roulette enable #coffee every week size 2")
    for user in ("carol", "dan"):
        h.cmd(user, "/coffee roulette join")
    h.advance(8 * DAY)  # a round: open, check-in, close
    seen: dict[str, set[bool]] = {}
    for item in h.store.find(OUTBOX, {"kind": "event"}):
        seen.setdefault(item["event"], set()).add(item["nudge"])
        if item["nudge"]:
            assert item["user"], item  # the policy needs one person to be polite to
    assert seen == {event: {flag} for event, flag in NUDGE.items()}
