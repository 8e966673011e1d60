"""Cadences: reading "every monday 9:00" and friends, and slots that stay at the same
wall-clock time through daylight-saving changes in Berlin and New York."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.features.tips.schedule import EVERY_DAY, WEEKDAYS, PostSchedule, local_label, parse_cadence

NOW = datetime(2026, 10, 21, 12, 0, tzinfo=UTC)  # a Wednesday
BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def parse(text: str, tz: str = "UTC", now: datetime = NOW) -> PostSchedule:
    return parse_cadence(text, now=now, default_tz=tz)


def slots(cadence: PostSchedule, start: datetime, n: int) -> list[datetime]:
    out, moment = [], start
    for _ in range(n):
        moment = cadence.next_after(moment)
        out.append(moment)
    return out


def local(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%a %Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("text", "days", "every", "at"),
    [
        ("every monday 9:00", (0,), None, time(9)),
        ("Monday at 9am", (0,), None, time(9)),
        ("mondays 09:30", (0,), None, time(9, 30)),
        ("daily 9am", EVERY_DAY, None, time(9)),
        ("every day at 5:15 pm", EVERY_DAY, None, time(17, 15)),
        ("weekdays 8:30", WEEKDAYS, None, time(8, 30)),
        ("every weekday at noon", WEEKDAYS, None, time(12)),
        ("every tue and thu 18:00", (1, 3), None, time(18)),
        ("every 3 days 10:00", EVERY_DAY, 3, time(10)),
        ("every other day", EVERY_DAY, 2, time(9)),
        ("every 1 days 7:00", EVERY_DAY, None, time(7)),
        ("friday", (4,), None, time(9)),
    ],
)
def test_cadences_people_write_are_understood(
    text: str, days: tuple[int, ...], every: int | None, at: time
) -> None:
    cadence = parse(text)
    assert cadence.at == at
    assert cadence.every == every
    if every is None:
        assert cadence.days == days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "How often?"),
        ("9:00", "couldn't read how often “9:00” is"),
        ("every month", "Posts go out on days of the week or every few days"),
        ("every 2 weeks on mon and thu", "Posts go out on days of the week or every few days"),
        ("daily 25:00", "isn't a time of day"),
        ("daily 13pm", "mixes the 24-hour clock with am/pm"),
        ("every 0 days", "no time at all"),
        ("every 400 days", "too far apart"),
        ("every week", "Which day of the week?"),
        ("Monday at 9", "in the morning or in the afternoon?"),
        ("every 3 days monday", "couldn't read “monday” in that schedule"),
        ("daily 9:00 Mars/Olympus", "don't know the time zone"),
    ],
)
def test_unreadable_cadences_get_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(UserError) as err:
        parse_cadence(text, now=NOW, default_tz="UTC", example="/tips channel #jobs daily 9:00")
    assert message in str(err.value.message)
    assert err.value.example == "/tips channel #jobs daily 9:00"


def test_a_zone_in_the_text_overrides_the_community_zone() -> None:
    assert parse("daily 9:00 America/New_York", tz=BERLIN).tz == NEW_YORK
    assert parse("daily 9:00 in UTC", tz=BERLIN).tz == "UTC"
    assert parse("daily 9:00", tz=BERLIN).tz == BERLIN


def test_descriptions_read_naturally() -> None:
    assert parse("every monday 9:00", BERLIN).describe() == "every Monday at 09:00 (Europe/Berlin)"
    assert parse("weekdays 8:30").describe() == "every weekday (Monday to Friday) at 08:30 (UTC)"
    assert parse("daily 7pm").describe() == "every day at 19:00 (UTC)"
    assert parse("every 3 days 10:00").describe() == "every 3 days at 10:00 (UTC)"
    assert parse("mon wed fri 12:00").describe() == (
        "every Monday, Wednesday and Friday at 12:00 (UTC)"
    )


def test_weekly_slots_fall_on_the_right_day_and_time() -> None:
    cadence = parse("every monday 9:00", BERLIN)
    assert [local(s, BERLIN) for s in slots(cadence, NOW, 2)] == [
        "Mon 2026-10-26 09:00",
        "Mon 2026-11-02 09:00",
    ]


def test_weekday_slots_skip_the_weekend() -> None:
    cadence = parse("weekdays 8:30", BERLIN)
    got = [local(s, BERLIN) for s in slots(cadence, datetime(2026, 10, 23, 7, tzinfo=UTC), 3)]
    assert got == ["Mon 2026-10-26 08:30", "Tue 2026-10-27 08:30", "Wed 2026-10-28 08:30"]


def test_every_n_days_counts_from_the_day_it_was_set() -> None:
    cadence = parse("every 3 days 10:00", BERLIN)
    assert cadence.anchor == date(2026, 10, 21)
    # 10:00 Berlin on the 21st is already past at 12:00 UTC: the 24th, 27th, 30th.
    got = [local(s, BERLIN) for s in slots(cadence, NOW, 3)]
    assert got == ["Sat 2026-10-24 10:00", "Tue 2026-10-27 10:00", "Fri 2026-10-30 10:00"]


def test_daily_slots_keep_local_time_when_berlin_falls_back() -> None:
    # Berlin leaves summer time on Sunday 2026-10-25 (03:00 CEST -> 02:00 CET).
    cadence = parse("daily 9:00", BERLIN)
    got = slots(cadence, datetime(2026, 10, 23, 12, tzinfo=UTC), 4)
    assert [local(s, BERLIN) for s in got] == [
        "Sat 2026-10-24 09:00",
        "Sun 2026-10-25 09:00",
        "Mon 2026-10-26 09:00",
        "Tue 2026-10-27 09:00",
    ]
    assert [s.hour for s in got] == [7, 8, 8, 8]  # UTC moves, local time doesn't
    assert got[1] - got[0] == timedelta(hours=25)


def test_daily_slots_keep_local_time_when_new_york_springs_forward() -> None:
    # New York starts summer time on Sunday 2027-03-14 (02:00 EST -> 03:00 EDT).
    cadence = parse("daily 9:00", NEW_YORK)
    got = slots(cadence, datetime(2027, 3, 12, 18, tzinfo=UTC), 3)
    assert [local(s, NEW_YORK) for s in got] == [
        "Sat 2027-03-13 09:00",
        "Sun 2027-03-14 09:00",
        "Mon 2027-03-15 09:00",
    ]
    assert [s.hour for s in got] == [14, 13, 13]
    assert got[1] - got[0] == timedelta(hours=23)


def test_a_time_skipped_by_spring_forward_happens_an_hour_later_that_day() -> None:
    # 02:30 does not exist in Berlin on 2027-03-28: the post goes out at 03:30 CEST.
    cadence = parse("daily 2:30", BERLIN)
    got = slots(cadence, datetime(2027, 3, 26, 12, tzinfo=UTC), 3)
    assert [local(s, BERLIN) for s in got] == [
        "Sat 2027-03-27 02:30",
        "Sun 2027-03-28 03:30",
        "Mon 2027-03-29 02:30",
    ]
    assert all(cadence.is_slot(s) for s in got)


def test_a_time_that_happens_twice_at_fall_back_is_used_once() -> None:
    # 01:30 happens twice in New York on 2026-11-01; we post at the first one only.
    cadence = parse("daily 1:30", NEW_YORK)
    got = slots(cadence, datetime(2026, 10, 31, 12, tzinfo=UTC), 2)
    assert [local(s, NEW_YORK) for s in got] == ["Sun 2026-11-01 01:30", "Mon 2026-11-02 01:30"]
    assert got[0].astimezone(ZoneInfo(NEW_YORK)).utcoffset() == timedelta(hours=-4)
    assert got[1] - got[0] == timedelta(hours=25)


def test_is_slot_tells_current_slots_from_stale_ones() -> None:
    monday = parse("every monday 9:00", BERLIN)
    slot = monday.next_after(NOW)
    assert monday.is_slot(slot)
    assert not monday.is_slot(slot + timedelta(minutes=1))
    assert not parse("every tuesday 9:00", BERLIN).is_slot(slot)
    assert not parse("every monday 9:00", NEW_YORK).is_slot(slot)


def test_cadences_survive_storage() -> None:
    for text in ("every monday 9:00", "weekdays 8:30", "every 3 days 10:00", "daily 7pm"):
        cadence = parse(text, BERLIN)
        assert PostSchedule.from_data(cadence.to_data()) == cadence


def test_labels_show_local_time_and_zone() -> None:
    slot = parse("every monday 9:00", BERLIN).next_after(NOW)
    assert local_label(slot, BERLIN) == "Mon 26 Oct, 09:00 CET"


def test_every_other_weekday_is_every_fourteen_days_from_the_next_one() -> None:
    schedule = parse_cadence("every other friday 16:00", now=NOW, default_tz="UTC")
    assert schedule.every == 14 and schedule.anchor is not None
    assert schedule.anchor.weekday() == 4 and schedule.at.hour == 16
