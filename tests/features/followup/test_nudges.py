"""The nudge policy on the real outbox: quiet hours in each person's zone, weekends,
nudges off and on (nothing lost), the daily cap rolling the rest over in order, and
what it never touches (messages that aren't nudges, group conversations)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.console.community import COMMUNITY
from bot.clock import iso, parse_iso
from bot.features.followup import nudges
from bot.features.followup import records as fu
from bot.features.followup.contacts import CONTACTS
from bot.io import DirectMessage, GroupMessage, Later
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import enqueue_delivery, enqueue_event
from store.base import OUTBOX
from tests.harness import START, Harness

DAY = timedelta(days=1)


def nudge(h: Harness, user: str, text: str, at: datetime, *, is_nudge: bool = True) -> dict:
    with h.store.atomic():
        item = enqueue_delivery(
            h.store,
            COMMUNITY,
            DirectMessage(user, Message(fmt("{t}", t=text))),
            due=at,
            key=f"test:{user}:{text}",
            nudge=is_nudge,
        )
    assert item is not None
    return item


def sent_at(h: Harness, item: dict) -> datetime:
    stored = h.store.get(OUTBOX, item["id"])
    assert stored["state"] == "sent", stored
    return parse_iso(stored["sent_at"])


def texts(h: Harness, user: str) -> list[str]:
    return [m.plain() for m in h.recorder.to(user)]


def near(moment: datetime, expected: datetime) -> bool:
    return expected <= moment <= expected + timedelta(minutes=1)


def at_(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


# -- quiet hours ---------------------------------------------------------------------------


def test_a_nudge_due_in_quiet_hours_waits_for_the_morning(h: Harness) -> None:
    item = nudge(h, "alice", "late", at_(1, 22, 30))
    h.advance(2 * DAY)
    assert near(sent_at(h, item), at_(2, 8))


def test_quiet_hours_are_in_the_recipients_own_zone(h: Harness) -> None:
    h.cmd("alice", "/rapport settings tz Asia/Tokyo")
    evening = nudge(h, "alice", "18:00 in Tokyo", at_(1, 9))
    night = nudge(h, "alice", "22:00 in Tokyo", at_(1, 13))
    bob = nudge(h, "bob", "13:00 UTC for bob", at_(1, 13))
    h.advance(2 * DAY)
    assert near(sent_at(h, evening), at_(1, 9))
    assert near(sent_at(h, night), at_(1, 23))  # 08:00 Wednesday in Tokyo
    assert near(sent_at(h, bob), at_(1, 13))


def test_weekends_wait_for_monday_unless_the_person_allows_them(h: Harness) -> None:
    saturday = at_(5, 11)
    alice = nudge(h, "alice", "saturday", saturday)
    h.cmd("bob", "/rapport settings weekends off")
    bob = nudge(h, "bob", "saturday", saturday)
    h.advance(7 * DAY)
    assert near(sent_at(h, alice), at_(7, 8))
    assert near(sent_at(h, bob), saturday)


def test_personal_quiet_hours(h: Harness) -> None:
    h.cmd("alice", "/rapport settings quiet 12:00-14:30")
    lunch = nudge(h, "alice", "lunch", at_(1, 12, 15))
    late = nudge(h, "alice", "late", at_(1, 22))
    h.advance(DAY)
    assert near(sent_at(h, lunch), at_(1, 14, 30))
    assert near(sent_at(h, late), at_(1, 22))


def test_messages_that_are_not_nudges_and_group_messages_are_never_held(h: Harness) -> None:
    direct = nudge(h, "alice", "reply to a command", at_(1, 23), is_nudge=False)
    with h.store.atomic():
        group = enqueue_delivery(
            h.store,
            COMMUNITY,
            GroupMessage(("alice", "bob"), Message(fmt("intro"))),
            due=at_(1, 23),
            nudge=True,
        )
    h.advance(DAY)
    assert near(sent_at(h, direct), at_(1, 23))
    assert near(sent_at(h, group), at_(1, 23))


def test_scheduled_nudge_events_are_held_too(h: Harness) -> None:
    h.cmd("alice", "/followup @bob on 2026-12-01 23:30 late thought")
    (f,) = h.store.find(fu.FOLLOWUPS)
    h.advance(DAY)
    (dm,) = [p for p in h.recorder.sent if "late thought" in p.output.message.plain()]
    assert near(sent_at(h, h.store.get(OUTBOX, dm.id)), at_(2, 8))
    assert f["nudges"] == 0 and h.store.get(fu.FOLLOWUPS, f["id"])["nudges"] == 1


# -- nudges off and on ---------------------------------------------------------------------


def test_nudges_off_holds_everything_and_on_releases_it_oldest_first(h: Harness) -> None:
    out = h.reply("alice", "/rapport nudges off")
    assert "Reminders paused" in out
    assert "Nudges: off" in h.reply("alice", "/rapport settings")
    for i in range(4):
        nudge(h, "alice", f"n{i}", START + timedelta(hours=i))
    nudge(h, "bob", "bob's", START)
    h.advance(5 * DAY)
    assert texts(h, "alice") == [] and texts(h, "bob") == ["bob's"]
    held = [d for d in h.store.find(OUTBOX, {"user": "alice"}) if d["state"] == "pending"]
    assert len(held) == 4 and all(d["held_off"] for d in held)  # nothing dropped

    out = h.reply("alice", "/rapport nudges on")  # Sunday 6 Dec, 09:00
    assert "Welcome back" in out and "4 reminders waited" in out and "at most 3 a day" in out
    h.advance(DAY)  # Sunday is quiet: Monday brings three, Tuesday the fourth
    assert texts(h, "alice") == ["n0", "n1", "n2"]
    h.advance(DAY)
    assert texts(h, "alice") == ["n0", "n1", "n2", "n3"]


def test_nudges_switch_answers(h: Harness) -> None:
    assert "already on" in h.reply("alice", "/rapport nudges on")
    h.cmd("alice", "/rapport nudges off")
    assert "already paused" in h.reply("alice", "/rapport nudges off")
    assert "Say `off`" in h.reply("alice", "/rapport nudges maybe") or "Say off" in h.reply(
        "alice", "/rapport nudges maybe"
    )


def test_a_follow_up_due_while_off_arrives_after_on(h: Harness) -> None:
    h.cmd("alice", "/followup @bob in 1 day")
    h.cmd("alice", "/rapport nudges off")
    h.advance(10 * DAY)
    assert h.recorder.to("alice") == []
    h.cmd("alice", "/rapport nudges on")  # Fri 11 Dec
    h.advance(DAY)
    assert "Time to follow up with @bob" in texts(h, "alice")[-1]


# -- the daily cap -------------------------------------------------------------------------


def test_the_daily_cap_rolls_the_rest_to_the_next_day_in_order(h: Harness) -> None:
    items = [nudge(h, "alice", f"n{i}", START + timedelta(minutes=i)) for i in range(5)]
    h.advance(timedelta(hours=12))
    assert texts(h, "alice") == ["n0", "n1", "n2"]
    h.advance(DAY)
    assert texts(h, "alice") == ["n0", "n1", "n2", "n3", "n4"]
    assert near(sent_at(h, items[3]), at_(2, 8)) and near(sent_at(h, items[4]), at_(2, 8))


def test_a_busy_night_and_weekend_arrive_in_order_three_a_day(h: Harness) -> None:
    friday_night = at_(4, 21, 30)
    for i in range(8):
        nudge(h, "alice", f"n{i}", friday_night + timedelta(hours=5 * i))
    h.advance(9 * DAY)
    assert texts(h, "alice") == [f"n{i}" for i in range(8)]
    days = [sent_at(h, d).date().isoformat() for d in h.store.find(OUTBOX, {"user": "alice"})]
    assert sorted(days) == ["2026-12-07"] * 3 + ["2026-12-08"] * 3 + ["2026-12-09"] * 2


def test_the_cap_is_a_community_setting_and_zero_means_no_cap(h: Harness) -> None:
    ctx = h.core.context(COMMUNITY, "you", is_admin=True)
    ctx.set_setting("daily_nudge_cap", 1)
    for i in range(2):
        nudge(h, "alice", f"a{i}", START + timedelta(microseconds=i))
    h.advance(timedelta(hours=1))
    assert texts(h, "alice") == ["a0"]
    ctx.set_setting("daily_nudge_cap", 0)
    for i in range(5):
        nudge(h, "bob", f"b{i}", h.clock.now())
    h.advance(timedelta(hours=1))
    assert len(texts(h, "bob")) == 5


def test_the_cap_counts_per_person(h: Harness) -> None:
    for user in ("alice", "bob"):
        for i in range(3):
            nudge(h, user, f"{user}{i}", START)
    h.advance(timedelta(hours=1))
    assert len(texts(h, "alice")) == 3 and len(texts(h, "bob")) == 3


def test_a_zone_change_back_across_midnight_keeps_the_days_count(h: Harness) -> None:
    """Three nudges on Wednesday in Tokyo; a move to Los Angeles makes it Tuesday there
    for a while (a nudge then is Tuesday's), and a move back to Tokyo is Wednesday
    again: still full. Counts of other days are kept, not wiped by a new day."""
    h.cmd("alice", "/rapport settings tz Asia/Tokyo")
    for i in range(3):
        nudge(h, "alice", f"wed{i}", at_(1, 23, i))  # Wed 2 Dec 08:0x in Tokyo
    h.advance(at_(1, 23, 30) - h.clock.now())
    assert texts(h, "alice") == ["wed0", "wed1", "wed2"]
    h.cmd("alice", "/rapport settings tz America/Los_Angeles")  # Tue 1 Dec 15:30 there
    nudge(h, "alice", "tuesday in LA", h.clock.now())
    h.advance(timedelta(minutes=10))
    assert texts(h, "alice")[-1] == "tuesday in LA"
    h.cmd("alice", "/rapport settings tz Asia/Tokyo")  # Wed 2 Dec 08:40 again
    late = nudge(h, "alice", "one more on Wednesday", h.clock.now())
    h.advance(timedelta(hours=1))
    assert "one more on Wednesday" not in texts(h, "alice")
    h.advance(DAY)
    assert near(sent_at(h, late), at_(2, 23))  # Thursday 08:00 in Tokyo


def test_an_event_with_nothing_to_say_gives_its_place_back(h: Harness) -> None:
    ctx = h.core.context(COMMUNITY, "you", is_admin=True)
    ctx.set_setting("daily_nudge_cap", 1)
    h.cmd("alice", "/followup @bob every week")  # due Tue 8 Dec 09:00
    h.cmd("alice", "/followup @carol on Dec 8 ask about the meetup")  # also Tue 8 Dec 09:00
    h.store.insert(  # Alice and Bob had coffee on Monday: the weekly one moves on silently
        CONTACTS,
        {
            "community": COMMUNITY.key,
            "user": "alice",
            "other": "bob",
            "at": iso(at_(7, 12)),
            "source": "coffee",
        },
    )
    h.advance(7 * DAY + timedelta(hours=1))
    assert len(texts(h, "alice")) == 1 and "@carol" in texts(h, "alice")[0]


def test_follow_up_reminders_count_against_the_cap(h: Harness) -> None:
    """A follow-up's reminder is queued on its own terms (not a plain DM): it still
    counts, so a second one that day waits for the next (soak: a 4th nudge on a day)."""
    ctx = h.core.context(COMMUNITY, "you", is_admin=True)
    ctx.set_setting("daily_nudge_cap", 1)
    h.cmd("alice", "/followup @carol on Dec 8 ask about the meetup")
    h.cmd("alice", "/followup @bob on Dec 8 send the portfolio link")
    h.advance(at_(8, 12) - h.clock.now())
    assert len(texts(h, "alice")) == 1
    h.advance(DAY)
    assert len(texts(h, "alice")) == 2
    assert "@carol" in " ".join(texts(h, "alice")) and "@bob" in " ".join(texts(h, "alice"))


def test_a_nudge_a_crash_kept_back_until_quiet_hours_waits_and_counts_on_its_new_day(
    h: Harness,
) -> None:
    """Let through at 20:55, then the process died before it went; offered again at
    21:05 it waits for the morning (never inside quiet hours) and counts on that day."""
    policy = nudges.policy_of(h.core)
    h.advance(at_(1, 20, 50) - h.clock.now())
    item = nudge(h, "alice", "before nine", at_(1, 20, 55))
    first = h.store.claim_due(iso(at_(1, 20, 55)), 10, "gone", iso(at_(1, 21)))
    assert [i["id"] for i in first] == [item["id"]]
    assert policy.hold(first[0], at_(1, 20, 55)) is None  # let through, counted on Dec 1
    assert policy.used(COMMUNITY, "alice", at_(1, 12).date()) == 1
    again = h.store.claim_due(iso(at_(1, 21, 5)), 10, "next", iso(at_(1, 21, 10)))
    assert [i["id"] for i in again] == [item["id"]] and again[0]["was"] == "claimed"
    again[0]["was"] = "pending"  # claimed, never handed over (as the outbox reads it)
    assert policy.hold(again[0], at_(1, 21, 5)) == at_(2, 8)
    h.store.update(OUTBOX, item["id"], {"state": "pending", "due": iso(at_(2, 8))})
    assert policy.used(COMMUNITY, "alice", at_(1, 12).date()) == 0
    assert h.store.get(OUTBOX, item["id"]).get("released") is None
    h.advance(2 * DAY)
    assert near(sent_at(h, item), at_(2, 8))
    assert policy.used(COMMUNITY, "alice", at_(2, 12).date()) == 1


# -- safety --------------------------------------------------------------------------------


def test_a_counted_nudge_retried_into_quiet_hours_waits_but_is_not_counted_again(
    h: Harness,
) -> None:
    h.recorder.transient = 1  # rate limited: retry after 5 s, which is 21:00:04
    item = nudge(h, "alice", "just in time", at_(1, 20, 59) + timedelta(seconds=58))
    h.advance(DAY)
    assert sent_at(h, item) >= at_(2, 8)  # quiet hours are never broken, even by a retry


def test_the_follow_up_family_brings_one_nudge_policy(h: Harness) -> None:
    assert sum(isinstance(p, nudges.NudgePolicy) for p in h.core.hold_policies) == 1
    assert isinstance(nudges.policy_of(h.core), nudges.NudgePolicy)


def test_later_events_scheduled_by_other_features_are_held(h: Harness) -> None:
    with h.store.atomic():
        enqueue_event(
            h.store,
            COMMUNITY,
            Later(at_(1, 23), "no.such.event", {}, key="x", user="alice", nudge=True),
        )
    h.advance(timedelta(hours=14))
    (item,) = h.store.find(OUTBOX, {"key": f"{COMMUNITY.key}|x"})
    assert item["state"] == "pending" and item["due"] == iso(at_(2, 8))
    h.advance(timedelta(hours=10))
    (item,) = h.store.find(OUTBOX, {"key": f"{COMMUNITY.key}|x"})
    assert item["state"] == "done" and item["due"] >= iso(at_(2, 8))


# -- next_allowed, for any moment ----------------------------------------------------------

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
    start=st.integers(0, 23),
    end=st.integers(0, 23),
    weekends=st.booleans(),
)
def test_next_allowed_is_the_first_allowed_moment(
    moment: datetime, zone: str, start: int, end: int, weekends: bool
) -> None:
    if start == end:
        end = (end + 1) % 24
    quiet = f"{start:02d}:00-{end:02d}:00"
    z = ZoneInfo(zone)
    got = nudges.next_allowed(moment, z, quiet, weekends)

    def allowed(m: datetime) -> bool:
        local = m.astimezone(z)
        if weekends and local.weekday() >= 5:
            return False
        return not nudges.in_quiet(local.time(), time(start), time(end))

    assert got >= moment
    assert allowed(got)
    probe = moment
    while probe < got - timedelta(minutes=15):  # nothing allowed was skipped
        assert not allowed(probe)
        probe += timedelta(minutes=15)
