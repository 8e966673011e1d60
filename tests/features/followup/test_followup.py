"""/followup through the core: creating, listing and cancelling follow-ups, the reminder
DM and its three buttons, recurring follow-ups, the contact log resetting "it's been a
while", refusals that store nothing, and the API the coffee feature calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.console.community import COMMUNITY
from bot.clock import iso, parse_iso
from bot.features.followup import records as fu
from bot.features.followup.contacts import CONTACTS, last_contact
from bot.io import MessageUpdate, Reply
from bot.markup import Bold, Italic, Mention, Plain, Span, Text
from bot.messages import Message
from store.base import OUTBOX
from tests.harness import START, Harness, plain

DAY = timedelta(days=1)


# -- helpers --------------------------------------------------------------------------


def create(h: Harness, line: str, user: str = "alice") -> dict[str, Any]:
    """Run a /followup line that must succeed; returns the new record."""
    before = {f["id"] for f in h.store.find(fu.FOLLOWUPS)}
    out = h.cmd(user, line)
    new = [f for f in h.store.find(fu.FOLLOWUPS) if f["id"] not in before]
    assert len(new) == 1, replies(out)
    return new[0]


def replies(outputs: list[Any]) -> str:
    return "\n".join(plain(o.message) for o in outputs if isinstance(o, (Reply, MessageUpdate)))


def record(h: Harness, f: dict[str, Any]) -> dict[str, Any]:
    return h.store.get(fu.FOLLOWUPS, f["id"])


def until(h: Harness, moment: datetime) -> None:
    h.advance(moment - h.clock.now())


def reminders(h: Harness, user: str = "alice") -> list[Message]:
    return [m for m in h.recorder.to(user) if any(b.action == "followup.done" for b in m.buttons)]


def flat(text: Text) -> list[Span]:
    out: list[Span] = []
    for s in text:
        out.extend(flat(s.parts) if isinstance(s, (Bold, Italic)) else [s])
    return out


def durable(h: Harness) -> dict[str, list[dict[str, Any]]]:
    """Every table but the core's memory of request ids (which every input adds to)."""
    return {k: v for k, v in h.snapshot().items() if k != "requests"}


def contact(h: Harness, user: str, other: str, at: datetime, source: str = "coffee") -> None:
    """What another feature does: insert into the contact log directly."""
    h.store.insert(
        CONTACTS,
        {"community": COMMUNITY.key, "user": user, "other": other, "at": iso(at), "source": source},
    )


# -- creating ----------------------------------------------------------------------------


def test_in_two_weeks_reminds_that_morning_with_the_three_buttons(h: Harness) -> None:
    f = create(h, "/followup @bob in 2 weeks ask how the platform team is doing")
    assert f["note"] == "ask how the platform team is doing" and f["every"] is None
    assert parse_iso(f["due"]) == datetime(2026, 12, 15, 9, 0, tzinfo=UTC)
    until(h, datetime(2026, 12, 15, 8, 59, tzinfo=UTC))
    assert reminders(h) == []
    h.advance(timedelta(minutes=2))
    (dm,) = reminders(h)
    text = plain(dm)
    assert "Time to follow up with @bob" in text
    assert "ask how the platform team is doing" in text
    assert [b.label for b in dm.buttons] == [
        "Done",
        "Snooze a week",
        "Stop reminding me about this",
    ]


def test_the_reply_confirms_the_date_in_the_users_zone(h: Harness) -> None:
    h.cmd("alice", "/rapport settings tz America/New_York")
    out = replies(h.cmd("alice", "/followup @bob on Dec 15 send my portfolio"))
    assert "Tue 15 Dec, 09:00" in out and "send my portfolio" in out
    (f,) = h.store.find(fu.FOLLOWUPS)
    assert parse_iso(f["due"]) == datetime(2026, 12, 15, 14, 0, tzinfo=UTC)  # 09:00 in New York


def test_a_time_of_day_is_kept(h: Harness) -> None:
    h.cmd("alice", "/rapport settings tz Europe/Berlin")
    f = create(h, "/followup @bob on 2026-12-15 18:30 ask about the meetup")
    assert parse_iso(f["due"]) == datetime(2026, 12, 15, 17, 30, tzinfo=UTC)
    assert f["note"] == "ask about the meetup"


def test_someone_outside_the_community_in_quotes(h: Harness) -> None:
    f = create(h, '/followup "Sam at Acme" in 3 days send the thank-you note')
    assert f["person"] is None and f["person_name"] == "Sam at Acme"
    h.advance(4 * DAY)
    assert "Time to follow up with Sam at Acme" in plain(reminders(h)[-1])


def test_what_people_type_stays_plain_text(h: Harness) -> None:
    create(h, "/followup @bob in 1 day <!channel> @everyone *not bold* <@U999>")
    h.advance(2 * DAY)
    spans = flat(reminders(h)[-1].text)
    assert [s for s in spans if isinstance(s, Mention)] == [Mention("bob")]
    assert any(
        isinstance(s, Plain) and "<!channel> @everyone *not bold* <@U999>" in s.text for s in spans
    )


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("/followup in 2 weeks", "couldn't find a member"),
        ("/followup @alice in 2 weeks", "That's you"),
        ("/followup @rapport in 2 weeks", "is a bot"),
        ("/followup @bob", "When should I remind you"),
        ("/followup @bob whenever you like", "couldn't read a day or time in “whenever you like”"),
        ("/followup @bob on 2020-01-01", "already passed"),
        ("/followup @bob in 0 days", "above zero"),
        ("/followup @bob in 9 years", "more than 1830 days ahead"),
        ("/followup @bob every hour", "more often than once a day"),
        ("/followup @bob every blue moon", "couldn't read “every blue moon”"),
        ("/followup @bob in 2 weeks " + "x" * 501, "a bit long"),
    ],
)
def test_refusals_are_friendly_and_store_nothing(h: Harness, line: str, words: str) -> None:
    before = durable(h)
    out = replies(h.cmd("alice", line))
    assert words in out
    assert "Example:" in out or "followup" in out
    assert durable(h) == before


def test_a_second_recurring_follow_up_for_one_person_is_refused(h: Harness) -> None:
    f = create(h, "/followup @bob every month")
    before = durable(h)
    out = replies(h.cmd("alice", "/followup @bob every 2 weeks"))
    assert "already keep in touch with @bob every month" in out and f["id"] in out
    assert durable(h) == before


def test_an_identical_one_off_is_refused_but_another_day_is_fine(h: Harness) -> None:
    create(h, "/followup @bob on Dec 15 say hi")
    assert "You already have this one: @bob on Tue 15 Dec, 09:00" in h.reply(
        "alice", "/followup @bob on Dec 15 say hi"
    )
    create(h, "/followup @bob on Dec 16 say hi")


# -- listing and cancelling ----------------------------------------------------------------


def test_list_shows_soonest_first_in_the_users_zone(h: Harness) -> None:
    h.cmd("alice", "/rapport settings tz Asia/Tokyo")
    create(h, "/followup @carol every month")
    create(h, "/followup @bob in 3 days ask about referrals")
    out = h.reply("alice", "/followup list")
    assert "times in Asia/Tokyo" in out
    lines = out.splitlines()
    assert "@bob on Fri 4 Dec, 09:00" in lines[1] and "ask about referrals" in lines[1]
    assert "@carol every month, next on Fri 1 Jan 2027, 09:00" in lines[2]


def test_an_empty_list_encourages(h: Harness) -> None:
    assert "no follow-ups yet" in h.reply("alice", "/followup list")


def test_a_reminded_one_off_waits_in_the_list_for_done(h: Harness) -> None:
    f = create(h, "/followup @bob in 1 day")
    h.advance(2 * DAY)
    assert f"{f['id']} — @bob: I reminded you on Wed 2 Dec" in h.reply("alice", "/followup list")


def test_cancel_removes_it_and_its_reminder(h: Harness) -> None:
    f = create(h, "/followup @bob every week")
    assert "Cancelled your follow-up with @bob" in h.reply("alice", f"/followup cancel {f['id']}")
    assert record(h, f)["state"] == "cancelled"
    h.advance(30 * DAY)
    assert reminders(h) == []
    assert "no follow-ups yet" in h.reply("alice", "/followup list")


def test_cancel_refuses_someone_elses_and_unknown_ids(h: Harness) -> None:
    f = create(h, "/followup @bob every week", user="carol")
    before = durable(h)
    assert "couldn't find a follow-up" in h.reply("alice", f"/followup cancel {f['id']}")
    assert "couldn't find a follow-up" in h.reply("alice", "/followup cancel zzzzzz")
    assert "Which follow-up" in h.reply("alice", "/followup cancel")
    assert durable(h) == before


# -- the buttons ---------------------------------------------------------------------------


def test_done_on_a_one_off_finishes_it_and_logs_the_contact(h: Harness) -> None:
    f = create(h, "/followup @bob in 1 day")
    h.advance(DAY)
    (dm,) = reminders(h)
    out = replies(h.press("alice", h.button(dm, "Done")))
    assert "Nice work following up with @bob" in out
    assert record(h, f)["state"] == "done"
    assert last_contact(h.store, COMMUNITY, "bob", "alice") == h.clock.now()
    (row,) = h.store.find(CONTACTS)
    assert row["source"] == "followup" and row["user"] == "alice" and row["other"] == "bob"


def test_done_on_a_recurring_one_schedules_the_next_from_now(h: Harness) -> None:
    f = create(h, "/followup @bob every month")
    until(h, datetime(2027, 1, 1, 9, 1, tzinfo=UTC))
    (dm,) = reminders(h)
    assert "keep in touch with @bob every month" in plain(dm)
    h.advance(3 * DAY)  # they write to Bob three days later
    out = replies(h.press("alice", h.button(dm, "Done")))
    assert "I'll check in again around Thu 4 Feb" in out
    f = record(h, f)
    assert f["state"] == "active" and parse_iso(f["due"]) == datetime(2027, 2, 4, 9, tzinfo=UTC)
    until(h, datetime(2027, 2, 3, 23, 0, tzinfo=UTC))
    assert len(reminders(h)) == 1
    until(h, datetime(2027, 2, 4, 9, 1, tzinfo=UTC))
    assert len(reminders(h)) == 2
    assert "the last time was Mon 4 Jan" in plain(reminders(h)[-1])


def test_an_ignored_recurring_reminder_still_comes_back_next_time(h: Harness) -> None:
    create(h, "/followup @bob every week")
    h.advance(29 * DAY)
    assert len(reminders(h)) == 4


def test_snooze_brings_it_back_a_week_later(h: Harness) -> None:
    f = create(h, "/followup @bob in 1 day")
    h.advance(DAY)
    (dm,) = reminders(h)
    out = replies(h.press("alice", h.button(dm, "Snooze a week")))
    assert "Snoozed" in out and "Wed 9 Dec" in out
    assert parse_iso(record(h, f)["due"]) == h.clock.now() + 7 * DAY
    h.advance(6 * DAY)
    assert len(reminders(h)) == 1
    h.advance(DAY + timedelta(minutes=1))
    assert len(reminders(h)) == 2


def test_stop_ends_a_recurring_follow_up_for_good(h: Harness) -> None:
    f = create(h, "/followup @bob every week")
    h.advance(8 * DAY)
    dm = reminders(h)[0]
    out = replies(h.press("alice", h.button(dm, "Stop reminding me about this")))
    assert "no more reminders" in out
    assert record(h, f)["state"] == "stopped"
    h.advance(60 * DAY)
    assert len(reminders(h)) == 1
    assert h.store.find(OUTBOX, {"event": fu.EVENT, "state": "pending"}) == []


def test_a_press_by_someone_else_is_refused_and_changes_nothing(h: Harness) -> None:
    create(h, "/followup @bob in 1 day")
    h.advance(DAY)
    (dm,) = reminders(h)
    for label in ("Done", "Snooze a week", "Stop reminding me about this"):
        before = durable(h)
        out = h.press("bob", h.button(dm, label))
        assert [type(o) for o in out] == [Reply]
        assert "belongs to someone else" in replies(out)
        assert durable(h) == before


def test_pressing_done_twice_acts_once(h: Harness) -> None:
    f = create(h, "/followup @bob every month")
    until(h, datetime(2027, 1, 1, 9, 1, tzinfo=UTC))
    (dm,) = reminders(h)
    h.press("alice", h.button(dm, "Done"))
    due = record(h, f)["due"]
    out = replies(h.press("alice", h.button(dm, "Done")))
    assert "already answered" in out
    assert record(h, f)["due"] == due and len(h.store.find(CONTACTS)) == 1
    assert "already answered" in replies(h.press("alice", h.button(dm, "Snooze a week")))


# -- the contact log -----------------------------------------------------------------------


def test_being_in_touch_resets_the_its_been_a_while_clock(h: Harness) -> None:
    f = create(h, "/followup @bob every month")
    h.advance(19 * DAY)  # Sun 20 Dec: a coffee chat, logged by the coffee feature (bob's side)
    contact(h, "bob", "alice", h.clock.now())
    assert "next on Wed 20 Jan 2027, 09:00" in h.reply("alice", "/followup list")
    until(h, datetime(2027, 1, 19, 12, tzinfo=UTC))
    assert reminders(h) == []
    assert parse_iso(record(h, f)["due"]) == datetime(2027, 1, 20, 9, tzinfo=UTC)
    until(h, datetime(2027, 1, 20, 9, 1, tzinfo=UTC))
    (dm,) = reminders(h)
    assert "It's been a while since you and @bob were in touch" in plain(dm)
    assert "Sun 20 Dec" in plain(dm)


def test_an_intro_logged_after_the_reminder_was_set_also_counts(h: Harness) -> None:
    create(h, "/followup @bob every 2 weeks")
    h.advance(10 * DAY)
    contact(h, "alice", "bob", h.clock.now(), source="intro")
    h.advance(10 * DAY)
    assert reminders(h) == []
    h.advance(5 * DAY)
    assert len(reminders(h)) == 1


def test_a_one_off_still_reminds_but_mentions_the_contact_since(h: Harness) -> None:
    create(h, "/followup @bob in 1 week send the article")
    h.advance(3 * DAY)
    contact(h, "alice", "bob", h.clock.now())
    h.advance(5 * DAY)
    (dm,) = reminders(h)
    assert "You've been in touch since you set this up (Fri 4 Dec)" in plain(dm)


# -- the API other features call -----------------------------------------------------------


def test_schedule_followup_for_a_keep_in_touch_choice(h: Harness) -> None:
    ctx = h.core.context(COMMUNITY, "alice")
    due = START + 14 * DAY
    with h.store.atomic():
        f = fu.schedule_followup(ctx, "alice", "bob", due, source="keep_in_touch", key="coffee:c1")
        again = fu.schedule_followup(
            ctx, "alice", "bob", due, source="keep_in_touch", key="coffee:c1"
        )
        h.core._persist(ctx, ctx.emitted)  # what a handler's run would keep with it
    assert again["id"] == f["id"] and len(h.store.find(fu.FOLLOWUPS)) == 1
    assert f["source"] == "keep_in_touch" and f["owner"] == "alice" and f["person"] == "bob"
    h.advance(15 * DAY)
    assert "Time to follow up with @bob" in plain(reminders(h)[-1])


def test_schedule_followup_takes_a_cadence_in_words(h: Harness) -> None:
    ctx = h.core.context(COMMUNITY, "alice")
    with h.store.atomic():
        f = fu.schedule_followup(ctx, "alice", "bob", START + DAY, "catch up", every="2 weeks")
    assert f["every"] == {"n": 2, "unit": "week"} and f["note"] == "catch up"


def test_a_feature_asking_again_gets_the_follow_up_it_already_has(h: Harness) -> None:
    existing = create(h, "/followup @bob every month")
    ctx = h.core.context(COMMUNITY, "alice")
    with h.store.atomic():
        same = fu.schedule_followup(ctx, "alice", "bob", START + DAY, every="month", source="x")
    assert same["id"] == existing["id"] and len(h.store.find(fu.FOLLOWUPS)) == 1


def test_a_members_date_order_settles_numeric_dates(h: Harness) -> None:
    assert "could be 12 October or December 10" in h.reply("alice", "/followup @bob on 12/10")
    assert "12/10 as 12 October" in h.reply("alice", "/rapport settings dates dmy")
    assert "Tue 12 Oct 2027" in h.reply("alice", "/followup @bob on 12/10")
    h.reply("alice", "/rapport settings dates mdy")
    assert "Thu 10 Dec" in h.reply("alice", "/followup @carol on 12/10")


def test_followup_alone_opens_a_form_and_its_answers_are_checked_field_by_field(
    h: Harness,
) -> None:
    from bot.io import Form, UserArg

    (form,) = h.cmd("alice", "/followup")
    assert isinstance(form, Form) and [f.name for f in form.fields] == [
        "person",
        "outside",
        "when",
        "note",
    ]
    (again,) = h.submit("alice", form, {"when": "31 feb"})
    assert isinstance(again, Form)
    assert set(again.errors) == {"person", "when"} and "28 days" in again.errors["when"]
    before = len(h.store.find(fu.FOLLOWUPS))
    out = h.submit(
        "alice", form, {"person": UserArg("bob", "bob"), "when": "in 2 weeks", "note": "job news"}
    )
    assert "remind you to follow up with @bob" in plain(out[0].message)
    assert len(h.store.find(fu.FOLLOWUPS)) == before + 1
    out = h.submit("alice", form, {"outside": "Dana Lee", "when": "every month"})
    assert "Dana Lee" in plain(out[0].message)
    # Words the time can't place are refused on the field, never kept as the note.
    for when in ("tomorrow pacific", "next friday please"):
        (again,) = h.submit("alice", form, {"outside": "Sam Roe", "when": when})
        assert isinstance(again, Form) and "couldn't place" in again.errors["when"]
    assert not h.store.find(fu.FOLLOWUPS, {"person_name": "Sam Roe"})
