"""Coffee chats end to end: invites across zones, each button, cancel, list, the check-in chain."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from icalendar import Calendar

from bot.adapters.console.community import COMMUNITY
from bot.features.coffee.records import CHATS, INTROS, KEEP_IN_TOUCH
from bot.features.followup.contacts import CONTACTS
from bot.io import DirectMessage, Form, MessageUpdate, Reply, UserArg
from bot.markup import to_plain
from bot.messages import Button, Message
from store.base import OUTBOX
from tests.harness import Harness, plain


def setup_zones(h: Harness) -> None:
    h.cmd("alice", "/rapport settings tz Europe/Berlin")
    h.cmd("bob", "/rapport settings tz America/New_York")


def chat(h: Harness) -> dict[str, Any]:
    chats = h.store.find(CHATS)
    assert len(chats) == 1
    return chats[0]


def invite(h: Harness, line: str = '/coffee @bob tomorrow 3pm "career switch"') -> Message:
    """Alice (Berlin) invites Bob (New York); returns Bob's invite."""
    setup_zones(h)
    text = h.reply("alice", line)
    assert "Invite sent to @bob" in text
    return h.last_to("bob")


def texts(outputs: list[Any]) -> str:
    return "\n".join(plain(o.message) for o in outputs if isinstance(o, (Reply, MessageUpdate)))


def pending_events(h: Harness) -> list[str]:
    return sorted(i["event"] for i in h.store.find(OUTBOX, {"kind": "event", "state": "pending"}))


# -- the invite ---------------------------------------------------------------------------


def test_the_invitee_sees_the_time_in_their_own_zone(h: Harness) -> None:
    setup_zones(h)
    reply = h.reply("alice", '/coffee @bob tomorrow 3pm "career switch"')
    assert "Wed 2 Dec, 15:00 (Europe/Berlin)" in reply
    assert "That's Wed 09:00 for @bob (America/New_York)" in reply
    invite_ = h.last_to("bob")
    text = plain(invite_)
    assert "@alice would love to have a coffee chat with you" in text
    assert "Wed 2 Dec, 09:00 (America/New_York) — your time" in text
    assert "That's Wed 15:00 for @alice (Europe/Berlin)" in text
    assert "Topic: career switch" in text
    assert [b.label for b in invite_.buttons] == ["Accept", "Suggest another time", "Decline"]
    record = chat(h)
    assert record["start"] == "2026-12-02T14:00:00.000000Z"
    assert record["state"] == "proposed" and record["responder"] == "bob"


def test_a_topic_can_follow_the_time_without_quotes(h: Harness) -> None:
    h.reply("alice", "/coffee @bob thu 10:30 system design interviews")
    record = chat(h)
    assert record["topic"] == "system design interviews"
    assert record["start"] == "2026-12-03T10:30:00.000000Z"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("/coffee @alice tomorrow 3pm", "yourself"),
        ("/coffee @rapport tomorrow 3pm", "Bots don't drink coffee"),
        ("/coffee @zed tomorrow 3pm", "couldn't find a member"),
        ("/coffee @bob", "Please add a day and a time"),
        ("/coffee @bob tomorrow", "time of day"),
        ("/coffee @bob yesterday 3pm", "in the past"),
        ("/coffee @bob 03/04/2027 15:00", "could be 3 April or March 4"),
    ],
)
def test_bad_invites_get_a_clear_answer_and_store_nothing(
    h: Harness, line: str, words: str
) -> None:
    h.cmd("alice", "/rapport settings tz Europe/Berlin")
    before = h.snapshot()
    text = h.reply("alice", line)
    assert words in text
    assert "Example:" in text
    assert h.snapshot() == before
    assert not h.recorder.to("bob")


@pytest.mark.parametrize(
    ("line", "topic"),
    [
        ('/coffee @bob in 2 days at noon about "career switching" ☕', "about career switching ☕"),
        ("/coffee @bob tomorrow 3pm career chat with @carol too", "career chat with @carol too"),
        ('/coffee @bob "career switch" tomorrow 3pm', "career switch"),
    ],
)
def test_the_topic_keeps_the_order_it_was_typed_in(h: Harness, line: str, topic: str) -> None:
    assert "Invite sent to @bob" in h.reply("alice", line)
    assert chat(h)["topic"] == topic


def test_a_long_topic_is_refused(h: Harness) -> None:
    text = h.reply("alice", '/coffee @bob tomorrow 3pm "' + "x" * 600 + '"')
    assert "a bit long" in text
    assert h.store.find(CHATS) == []


def test_one_open_invite_per_person_and_not_too_many(h: Harness) -> None:
    h.reply("alice", "/coffee @bob tomorrow 3pm")
    text = h.reply("alice", "/coffee @bob tomorrow 5pm")
    assert "already have an invite out to @bob" in text
    harness = Harness(h.data_dir.parent / "many", members=6)
    try:
        for i in range(1, 6):
            assert "Invite sent" in harness.reply("alice", f"/coffee @member{i} tomorrow 3pm")
        assert "5 invites waiting" in harness.reply("alice", "/coffee @bob tomorrow 3pm")
    finally:
        harness.close()


def test_an_invite_whose_time_passes_unanswered_is_told_and_blocks_nothing(
    h: Harness,
) -> None:
    h.reply("alice", "/coffee @bob in 2 hours")
    old = chat(h)
    h.advance(timedelta(hours=3))
    told = plain(h.last_to("alice"))
    assert "@bob didn't get to your coffee invite before" in told
    assert f"/coffee suggest {old['id']} <when>" in told
    listed = h.reply("alice", "/coffee list")
    assert "the time passed before @bob answered" in listed
    assert "the time passed before you answered" in h.reply("bob", "/coffee list")
    # A new invite to bob replaces the one that lapsed; it counts toward no limit.
    assert "Invite sent to @bob" in h.reply("alice", "/coffee @bob tomorrow 3pm")
    assert h.store.get(CHATS, old["id"])["state"] == "cancelled"
    assert "the time passed" not in h.reply("alice", "/coffee list")
    assert "moved on" in texts(h.press("bob", h.button(h.recorder.to("bob")[0], "Accept")))


def test_an_answered_invite_is_never_called_unanswered(h: Harness) -> None:
    h.reply("alice", "/coffee @bob in 2 hours")
    h.press("bob", h.button(h.last_to("bob"), "Accept"))
    h.advance(timedelta(hours=3))
    assert not any("didn't get to" in plain(m) for m in h.recorder.to("alice"))


def test_coffee_alone_opens_the_invite_form(h: Harness) -> None:
    (form,) = h.cmd("alice", "/coffee")
    assert isinstance(form, Form) and form.key == "coffee.invite:"
    kinds = [(f.name, f.kind, f.required) for f in form.fields]
    assert kinds == [("person", "member", True), ("when", "when", True), ("topic", "long", False)]
    # Who and when are refused on their own fields; nothing is booked meanwhile.
    refused = h.submit("alice", form, {"person": UserArg("alice"), "when": "someday"})
    (again,) = refused
    assert isinstance(again, Form) and set(again.errors) == {"person"}
    assert h.store.find(CHATS) == []
    late = h.submit("alice", form, {"person": UserArg("bob"), "when": "yesterday 3pm"})
    assert set(late[0].errors) == {"when"}  # type: ignore[union-attr]
    out = h.submit("alice", form, {"person": UserArg("bob"), "when": "tomorrow 3pm"})
    assert "Invite sent to @bob" in texts(out)
    assert chat(h)["topic"] == "" and "would love to have a coffee chat" in plain(h.last_to("bob"))


# -- accept ---------------------------------------------------------------------------------


def test_accept_confirms_to_both_with_a_calendar_file(h: Harness) -> None:
    invite_ = invite(h)
    out = h.press("bob", h.button(invite_, "Accept"))
    assert isinstance(out[0], MessageUpdate) and not out[0].message.buttons
    assert "You accepted a coffee chat with @alice" in texts(out)
    for user, local in (("alice", "15:00 (Europe/Berlin)"), ("bob", "09:00 (America/New_York)")):
        confirmation = h.last_to(user)
        assert local in plain(confirmation)
        [ics] = confirmation.attachments
        assert ics.filename.endswith(".ics") and ics.mime == "text/calendar"
        event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
        assert event["DTSTART"].dt.isoformat() == "2026-12-02T14:00:00+00:00"
        assert event["DTEND"].dt.isoformat() == "2026-12-02T14:30:00+00:00"
        assert "alice" in str(event["SUMMARY"]) and "bob" in str(event["SUMMARY"])
    assert "@bob accepted" in plain(h.last_to("alice"))
    assert chat(h)["state"] == "accepted"
    assert pending_events(h) == [
        "coffee.checkin",
        "coffee.checkin",
        "coffee.remind",
        "coffee.remind",
    ]


def test_pressing_accept_twice_acts_once(h: Harness) -> None:
    invite_ = invite(h)
    h.press("bob", h.button(invite_, "Accept"))
    sent = len(h.recorder.sent)
    out = h.press("bob", h.button(invite_, "Accept"))
    assert "moved on" in texts(out)
    assert len(h.recorder.sent) == sent
    assert len(pending_events(h)) == 4


def test_only_the_invitee_can_answer(h: Harness) -> None:
    invite_ = invite(h)
    for label in ("Accept", "Suggest another time", "Decline"):
        out = h.press("carol", h.button(invite_, label))
        assert "someone else's coffee chat" in texts(out)
        # Alice sent it: she is told whose turn it is, not that it isn't her chat.
        out = h.press("alice", h.button(invite_, label))
        assert "That one is for @bob to answer" in texts(out)
    assert chat(h)["state"] == "proposed"
    assert pending_events(h) == ["coffee.unanswered"]  # only the invite's own


def test_suggesting_the_time_already_proposed_points_to_accept(h: Harness) -> None:
    invite(h)
    chat_id = chat(h)["id"]
    said = h.reply("bob", f"/coffee suggest {chat_id} tomorrow 9am")  # 15:00 Berlin
    assert "That's the time already proposed" in said and "press Accept" in said
    assert chat(h)["rev"] == 1
    h.press("bob", h.button(h.last_to("bob"), "Accept"))
    assert "already set for" in h.reply("alice", f"/coffee suggest {chat_id} tomorrow 3pm")
    assert chat(h)["state"] == "accepted"


def test_a_button_for_an_unknown_chat_changes_nothing(h: Harness) -> None:
    out = h.press("bob", Button("coffee.accept", "Accept", "nochat:1"))
    assert "moved on" in texts(out)


# -- decline and another time -------------------------------------------------------------


def test_decline_tells_the_requester_kindly(h: Harness) -> None:
    invite_ = invite(h)
    out = h.press("bob", h.button(invite_, "Decline"))
    assert "let @alice know kindly" in texts(out)
    note = plain(h.last_to("alice"))
    assert "@bob can't make the coffee chat" in note and "15:00 (Europe/Berlin)" in note
    assert "reason" not in note.lower()
    assert chat(h)["state"] == "declined"
    assert "moved on" in texts(h.press("bob", h.button(invite_, "Accept")))


def test_suggest_another_time_goes_back_the_other_way(h: Harness) -> None:
    first = invite(h)
    out = h.press("bob", h.button(first, "Suggest another time"))
    record = chat(h)
    (form,) = out
    assert isinstance(form, Form) and form.key == f"coffee.suggest:{record['id']}:1"
    assert [(f.name, f.kind) for f in form.fields] == [("when", "when")]
    assert "(America/New_York)" in form.fields[0].label
    assert record["state"] == "proposed"  # nothing changes until a time is sent

    # A time that can't be used keeps the form open, marked on its field, filled in.
    refused = h.submit("bob", form, {"when": "yesterday 4pm"})
    (again,) = refused
    assert isinstance(again, Form) and "when" in again.errors
    assert again.fields[0].default == "yesterday 4pm"
    assert chat(h)["rev"] == 1
    # Someone else can't use the form's key, even by forging a submission.
    forged = h.submit("carol", form, {"when": "thu 4pm"})
    assert "someone else's" in texts(forged) and chat(h)["rev"] == 1

    reply = "\n".join(to_plain(o.message.text) for o in h.submit("bob", form, {"when": "thu 4pm"}))
    assert "Invite sent to @alice" in reply and "Thu 3 Dec, 16:00 (America/New_York)" in reply
    # The same form sent again: the chat moved on (by bob himself), nothing is "someone else's".
    resent = texts(h.submit("bob", form, {"when": "thu 5pm"}))
    assert "moved on" in resent and "someone else's" not in resent and chat(h)["rev"] == 2
    counter = h.last_to("alice")
    assert "@bob suggests a new time" in plain(counter)
    assert "Thu 3 Dec, 22:00 (Europe/Berlin) — your time" in plain(counter)
    record = chat(h)
    assert (record["proposer"], record["responder"], record["rev"]) == ("bob", "alice", 2)

    # Bob's old invite is stale; Alice answers the counter-proposal.
    assert "moved on" in texts(h.press("bob", h.button(first, "Accept")))
    assert "for @alice to answer" in texts(h.press("bob", h.button(counter, "Accept")))
    h.press("alice", h.button(counter, "Accept"))
    assert chat(h)["state"] == "accepted"
    assert "@alice accepted" in plain(h.last_to("bob"))


def test_a_confirmed_chat_can_be_moved_and_old_reminders_stay_silent(h: Harness) -> None:
    invite_ = invite(h)
    h.press("bob", h.button(invite_, "Accept"))
    chat_id = chat(h)["id"]
    h.reply("alice", f"/coffee suggest {chat_id} fri 3pm")
    # The old time's reminders and check-ins are cancelled; the new time waits for Bob.
    assert pending_events(h) == ["coffee.unanswered"]
    h.press("bob", h.button(h.last_to("bob"), "Accept"))
    assert chat(h)["start"] == "2026-12-04T14:00:00.000000Z"
    h.advance(timedelta(days=1, hours=6))  # past the first time: nothing about it
    assert not any("Did your chat" in plain(m) for m in h.recorder.to("alice"))


def test_suggest_refuses_strangers_and_closed_chats(h: Harness) -> None:
    invite(h)
    chat_id = chat(h)["id"]
    assert "couldn't find a coffee chat" in h.reply("carol", f"/coffee suggest {chat_id} fri 3pm")
    assert "Which chat" in h.reply("alice", "/coffee suggest")
    h.reply("alice", f"/coffee cancel {chat_id}")
    assert "already closed" in h.reply("alice", f"/coffee suggest {chat_id} fri 3pm")


# -- cancel and list ---------------------------------------------------------------------------


def test_cancel_tells_the_other_person_and_silences_reminders(h: Harness) -> None:
    invite_ = invite(h)
    h.press("bob", h.button(invite_, "Accept"))
    chat_id = chat(h)["id"]
    reply = h.reply("alice", f"/coffee cancel {chat_id}")
    assert f"Cancelled chat {chat_id}" in reply
    note = h.last_to("bob")
    assert "@alice had to cancel" in plain(note) and "09:00 (America/New_York)" in plain(note)
    [ics] = note.attachments
    assert "METHOD:CANCEL" in ics.content and "STATUS:CANCELLED" in ics.content
    assert chat(h)["state"] == "cancelled"
    assert pending_events(h) == []
    sent = len(h.recorder.sent)
    h.advance(timedelta(days=2))
    assert len(h.recorder.sent) == sent
    assert "already closed" in h.reply("alice", f"/coffee cancel {chat_id}")


def test_cancel_by_the_invitee_before_answering(h: Harness) -> None:
    invite(h)
    chat_id = chat(h)["id"]
    h.reply("bob", f"/coffee cancel {chat_id}")
    note = h.last_to("alice")
    assert "@bob had to cancel" in plain(note) and not note.attachments


def test_cancel_needs_a_chat_of_yours(h: Harness) -> None:
    invite(h)
    chat_id = chat(h)["id"]
    assert "couldn't find a coffee chat" in h.reply("carol", f"/coffee cancel {chat_id}")
    assert "couldn't find a coffee chat" in h.reply("alice", "/coffee cancel nope42")
    assert "Which chat" in h.reply("alice", "/coffee cancel")
    assert chat(h)["state"] == "proposed"


def test_list_shows_each_persons_view(h: Harness) -> None:
    assert "No coffee chats planned" in h.reply("alice", "/coffee list")
    invite(h)
    chat_id = chat(h)["id"]
    mine = h.reply("alice", "/coffee list")
    assert f"{chat_id} with @bob — Wed 2 Dec, 15:00 (Europe/Berlin) — waiting for @bob" in mine
    theirs = h.reply("bob", "/coffee list")
    assert "09:00 (America/New_York) — waiting for your answer" in theirs
    h.press("bob", h.button(h.last_to("bob"), "Accept"))
    assert "confirmed" in h.reply("alice", "/coffee list")


# -- reminder and check-in ------------------------------------------------------------------


def accepted(h: Harness) -> str:
    invite_ = invite(h)
    h.press("bob", h.button(invite_, "Accept"))
    return str(chat(h)["id"])


def test_reminder_an_hour_before_with_preparation_and_three_questions(h: Harness) -> None:
    accepted(h)
    h.advance(timedelta(days=1, hours=3, minutes=59))  # Wed 12:59 UTC: not yet
    assert "soon" not in plain(h.last_to("alice"))
    h.advance(timedelta(minutes=2))  # 13:01 UTC, an hour before 14:00
    inviter = plain(h.last_to("alice"))
    assert "Wed 15:00 your time" in inviter and "Topic: career switch" in inviter
    assert "you lead it" in inviter and "picked for that" in inviter
    for n in ("1. ", "2. ", "3. "):
        assert n in inviter
    invitee = plain(h.last_to("bob"))  # what alice wants to learn, and little to prepare
    assert "Wed 09:00 your time" in invitee
    assert "@alice would love to learn about career switch from you" in invitee
    assert "No need to prepare much" in invitee and "you lead it" not in invitee
    assert "1. " not in invitee


def test_questions_before_a_chat_fit_its_topic(h: Harness) -> None:
    accepted(h)
    h.advance(timedelta(days=1, hours=4, minutes=1))
    text = plain(h.last_to("alice"))
    assert "/questions switching" in text  # career switch → the changing-careers questions


def test_the_reminder_lead_time_is_a_community_setting(h: Harness) -> None:
    h.core.context(COMMUNITY, "you").set_setting("chat_reminder_minutes", 30)
    accepted(h)
    assert "About 30 minutes before" in plain(h.last_to("alice"))
    h.advance(timedelta(days=1, hours=4, minutes=29))  # 13:29 UTC
    assert "soon" not in plain(h.last_to("alice"))
    h.advance(timedelta(minutes=2))
    assert "soon" in plain(h.last_to("alice"))


def checkin(h: Harness, user: str) -> Message:
    h.advance(timedelta(days=1, hours=7))  # Wed 16:00 UTC: an hour after the chat began
    message = h.last_to(user)
    assert "Did your chat with" in plain(message)
    return message


def test_no_keep_in_touch_offer_when_a_recurring_follow_up_exists(h: Harness) -> None:
    h.cmd("alice", "/followup @bob every month")
    accepted(h)
    out = h.press("alice", h.button(checkin(h, "alice"), "Yes"))
    update = out[0]
    assert isinstance(update, MessageUpdate)
    assert "You already keep in touch with @bob every month" in plain(update.message)
    assert update.message.buttons == ()


def test_yes_records_the_contact_and_offers_to_keep_in_touch(h: Harness) -> None:
    accepted(h)
    ask = checkin(h, "alice")
    assert "@bob" in plain(ask)
    assert [b.label for b in ask.buttons] == ["Yes", "Rescheduled", "Didn't happen"]
    out = h.press("alice", h.button(ask, "Yes"))
    update = out[0]
    assert isinstance(update, MessageUpdate)
    assert "well done for making it happen" in plain(update.message)
    assert [b.label for b in update.message.buttons] == ["In 2 weeks", "In a month", "No"]
    thanks = h.last_to("alice")  # the thank-you nudge, right away, with the standard buttons
    assert "Send @bob a short thank-you" in plain(thanks)
    assert [b.label for b in thanks.buttons] == [
        "Done",
        "Snooze a week",
        "Stop reminding me about this",
    ]
    assert chat(h)["state"] == "done"
    contacts = {(c["user"], c["other"], c["source"]) for c in h.store.find(CONTACTS)}
    assert contacts == {("alice", "bob", "coffee"), ("bob", "alice", "coffee")}
    # Bob saying yes too doesn't log the chat twice.
    h.press("bob", h.button(h.last_to("bob"), "Yes"))
    assert len(h.store.find(CONTACTS)) == 2
    # Pressing Yes again acts once.
    assert "moved on" in texts(h.press("alice", h.button(ask, "Yes")))

    out = h.press("alice", h.button(update.message, "In a month"))
    assert "around Fri 1 Jan" in texts(out) and "/followup list" in texts(out)
    [kept] = h.store.find(KEEP_IN_TOUCH)
    assert {k: kept[k] for k in ("community", "user", "other", "choice", "source")} == {
        "community": "console:local",
        "user": "alice",
        "other": "bob",
        "choice": "1m",
        "source": "coffee",
    }
    assert kept["at"] == "2026-12-02T16:00:00.000000Z"
    assert kept["followup_due"] == "2027-01-01T16:00:00.000000Z"
    follow = h.store.get("followups", kept["followup"])  # a real follow-up carries it
    assert (follow["owner"], follow["person"], follow["source"]) == (
        "alice",
        "bob",
        "keep_in_touch",
    )
    assert follow["due"] == kept["followup_due"]
    assert "already told me" in texts(h.press("alice", h.button(update.message, "In 2 weeks")))
    assert "someone else's" in texts(h.press("carol", h.button(update.message, "No")))

    h.advance(timedelta(days=30, hours=1))
    reminder = h.last_to("alice")
    assert "Time to follow up with @bob" in plain(reminder)
    assert "after our coffee chat on Wed 2 Dec" in plain(reminder)
    assert [b.action for b in reminder.buttons] == [
        "followup.done",
        "followup.snooze",
        "followup.stop",
    ]


def test_keep_in_touch_no_stores_the_choice_without_a_reminder(h: Harness) -> None:
    accepted(h)
    out = h.press("alice", h.button(checkin(h, "alice"), "Yes"))
    h.press("alice", h.button(out[0].message, "No"))
    [kept] = h.store.find(KEEP_IN_TOUCH)
    assert kept["choice"] == "no" and kept["followup_due"] is None
    assert "coffee.keep_in_touch" not in pending_events(h)


def test_an_old_keep_in_touch_item_stays_silent_once_a_follow_up_carries_it(h: Harness) -> None:
    """Items queued before keep-in-touch became a follow-up: silent when ``followup`` is set."""
    accepted(h)
    out = h.press("alice", h.button(checkin(h, "alice"), "Yes"))
    h.press("alice", h.button(out[0].message, "In 2 weeks"))
    [kept] = h.store.find(KEEP_IN_TOUCH)
    assert "coffee.keep_in_touch" not in pending_events(h)  # no longer scheduled
    old_item(h, kept)
    h.advance(timedelta(days=15))
    kinds = [plain(m) for m in h.recorder.to("alice")]
    assert sum("Time to follow up with @bob" in k for k in kinds) == 1  # the follow-up only
    assert not any("since your coffee chat" in k for k in kinds)


def test_an_old_keep_in_touch_item_without_a_follow_up_is_a_standard_nudge(h: Harness) -> None:
    accepted(h)
    h.advance(timedelta(days=1, hours=7))
    kept = h.store.insert(
        KEEP_IN_TOUCH,
        {
            "key": f"{COMMUNITY.key}|coffee:{chat(h)['id']}|alice",
            "community": COMMUNITY.key,
            "user": "alice",
            "other": "bob",
            "choice": "2w",
            "chat": chat(h)["id"],
            "source": "coffee",
            "followup": None,
        },
    )
    old_item(h, kept)
    h.advance(timedelta(days=15))
    nudge = h.last_to("alice")
    assert "It's been two weeks since your coffee chat with @bob" in plain(nudge)
    assert [b.action for b in nudge.buttons] == ["nudge.done", "nudge.snooze", "nudge.stop"]
    h.press("alice", h.button(nudge, "Done"))
    assert [(c["user"], c["other"], c["source"]) for c in h.store.find(CONTACTS)] == [
        ("alice", "bob", "nudge")
    ]


def old_item(h: Harness, kept: dict[str, Any]) -> None:
    """What older code queued for a keep-in-touch choice (before follow-ups took it over)."""
    from bot.io import Later
    from bot.outbox import enqueue_event

    with h.store.atomic():
        enqueue_event(
            h.store,
            COMMUNITY,
            Later(
                h.clock.now() + timedelta(days=14),
                "coffee.keep_in_touch",
                {"key": kept["key"]},
                key=f"coffee-keep:{kept['chat']}:alice",
                user="alice",
                nudge=True,
            ),
        )


def test_rescheduled_and_didnt_happen_invite_a_new_time(h: Harness) -> None:
    chat_id = accepted(h)
    h.advance(timedelta(days=1, hours=7))
    out = h.press("alice", h.button(h.last_to("alice"), "Rescheduled"))
    (update,) = [o for o in out if isinstance(o, MessageUpdate)]
    assert "pick it below" in texts(out)
    new_time = h.button(update.message, "Pick a new time")
    assert chat(h)["state"] == "rescheduled"
    out = h.press("bob", h.button(h.last_to("bob"), "Didn't happen"))
    assert "That happens" in texts(out)
    assert chat(h)["state"] == "rescheduled"  # Alice's answer came first
    assert h.store.find(CONTACTS) == []
    # A new time, from the button's form, starts the cycle again.
    (form,) = h.press("alice", new_time)
    h.submit("alice", form, {"when": "fri 3pm"})
    assert chat(h)["state"] == "proposed" and chat(h)["id"] == chat_id
    h.press("bob", h.button(h.last_to("bob"), "Accept"))
    assert chat(h)["state"] == "accepted"


def test_didnt_happen_alone(h: Harness) -> None:
    accepted(h)
    h.press("bob", h.button(checkin(h, "bob"), "Didn't happen"))
    assert chat(h)["state"] == "missed"
    assert "missed" not in h.reply("bob", "/coffee list")
    assert "didn't happen yet" in h.reply("bob", "/coffee list")


def test_checkin_buttons_refuse_strangers(h: Harness) -> None:
    accepted(h)
    ask = checkin(h, "alice")
    assert "someone else's" in texts(h.press("carol", h.button(ask, "Yes")))
    assert chat(h)["state"] == "accepted"


def test_no_checkin_for_a_chat_cancelled_before_it_happened(h: Harness) -> None:
    chat_id = accepted(h)
    h.advance(timedelta(hours=1))
    h.reply("bob", f"/coffee cancel {chat_id}")
    h.advance(timedelta(days=2))
    assert not any("Did your chat" in plain(m) for m in h.recorder.to("alice"))


# -- from an intro ------------------------------------------------------------------------------


def intro(h: Harness, target: str | None = "bob") -> Button:
    doc = h.store.insert(
        INTROS,
        {
            "community": "console:local",
            "requester": "alice",
            "connector": "carol",
            "target": target,
            "state": "made",
        },
    )
    return Button("coffee.schedule_from_intro", "Schedule a coffee chat", doc["id"])


def test_schedule_from_intro_gives_each_side_the_form_with_the_other_picked(h: Harness) -> None:
    button = intro(h)
    for user, other in (("alice", "bob"), ("bob", "alice")):
        (form,) = h.press(user, button)
        assert isinstance(form, Form) and form.key == f"coffee.invite:{other}"
        assert form.fields[0].default == UserArg(other, other)
    assert "two people who were introduced" in texts(h.press("dan", button))
    assert "isn't active" not in texts(h.press("carol", button))


def test_schedule_from_intro_outside_and_unknown(h: Harness) -> None:
    assert "isn't in the community" in texts(h.press("alice", intro(h, target=None)))
    gone = Button("coffee.schedule_from_intro", "Schedule a coffee chat", "missing")
    assert "moved on" in texts(h.press("alice", gone))


def test_all_deliveries_are_direct_messages(h: Harness) -> None:
    invite_ = invite(h)
    h.press("bob", h.button(invite_, "Accept"))
    assert all(isinstance(p.output, DirectMessage) for p in h.recorder.sent)


def test_an_invite_answered_after_its_time_cannot_be_accepted(h: Harness) -> None:
    invite_ = invite(h)
    h.advance(timedelta(days=2))
    out = h.press("bob", h.button(invite_, "Accept"))
    assert "already passed" in texts(out) and "Pick a new one below" in texts(out)
    assert out[0].message.buttons[0].label == "Pick a new time"
    assert chat(h)["state"] == "proposed"
