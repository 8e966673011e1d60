"""Zones, numeric-date policy, splitting, cadences, quiet hours, durations, showing back."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.errors import UserError
from bot.when import (
    Cadence,
    Refusal,
    read_cadence,
    read_duration,
    read_moment,
    read_quiet,
    read_schedule,
    read_zone,
    show_moment,
    show_reading,
    split_moment,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
JULY = datetime(2027, 7, 1, 9, 0, tzinfo=UTC)


def kind(call, *args, **kw) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as err:
        call(*args, **kw)
    assert isinstance(err.value, UserError) and err.value.example
    return err.value.kind


# -- zones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("GMT+1", "UTC+01:00"),
        ("UTC+1", "UTC+01:00"),
        ("utc-5", "UTC-05:00"),
        ("UTC+5:30", "UTC+05:30"),
        ("+05:30", "UTC+05:30"),
        ("EST", "America/New_York"),
        ("est", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("IST", "Asia/Kolkata"),
        ("India", "Asia/Kolkata"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("new york time", "America/New_York"),
        ("Europe/London", "Europe/London"),
        ("europe/london", "Europe/London"),
        ("US/Eastern", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("CET", "Europe/Berlin"),
        ("BST", "Europe/London"),
        ("JST", "Asia/Tokyo"),
        ("AEST", "Australia/Sydney"),
        ("UTC", "UTC"),
        ("GMT", "UTC"),
        ("London", "Europe/London"),
        ("  tokyo  ", "Asia/Tokyo"),
    ],
)
def test_zones(typed: str, name: str) -> None:
    assert read_zone(typed).name == name


def test_utc_plus_one_is_ahead_of_utc() -> None:
    zone = read_zone("UTC+1")
    assert NOW.astimezone(zone.tzinfo).hour == 10
    assert read_zone("GMT-5").tzinfo.utcoffset(NOW) == timedelta(hours=-5)
    assert kind(read_zone, "Etc/GMT+1") == "ambiguous"


def test_est_follows_daylight_saving() -> None:
    zone = read_zone("EST").tzinfo
    assert NOW.astimezone(zone).utcoffset() == timedelta(hours=-5)
    assert JULY.astimezone(zone).utcoffset() == timedelta(hours=-4)
    moment = read_moment("tomorrow 3pm ET", "Europe/Berlin", JULY)
    assert moment.at == datetime(2027, 7, 2, 19, 0, tzinfo=UTC)
    moment = read_moment("tomorrow 3pm EDT", "Europe/Berlin", JULY)
    assert moment.at == datetime(2027, 7, 2, 19, 0, tzinfo=UTC)
    # "EST" in July names the season New York isn't in: UTC-5 or New York time?
    assert kind(read_moment, "tomorrow 3pm EST", "Europe/Berlin", JULY) == "zone"


def test_guesses_are_said() -> None:
    assert "India" in read_zone("IST").note
    assert "UTC+0 all year" in read_zone("GMT").note
    moment = read_moment("tomorrow 3pm IST", "Europe/Berlin", NOW)
    assert any("India" in rule for rule in moment.rules)


@pytest.mark.parametrize(
    ("typed", "want"),
    [
        ("Berln", "zone"),
        ("xyzzy", "zone"),
        ("usa", "ambiguous"),
        ("UTC+15", "too_far"),
        ("", "empty"),
        ("x" * 500, "zone"),
        ("UTC+5:20", "zone"),
    ],
)
def test_bad_zones(typed: str, want: str) -> None:
    assert kind(read_zone, typed) == want


def test_unknown_zone_suggests() -> None:
    with pytest.raises(Refusal) as err:
        read_zone("Berln")
    assert "Europe/Berlin" in err.value.message


# -- the numeric date policy ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "order", "want"),
    [
        ("12/10 3pm", "DMY", "2027-10-12 15:00"),
        ("12/10 3pm", "MDY", "2026-12-10 15:00"),
        ("12/10 3pm", None, "!ambiguous"),
        ("25/12 3pm", "MDY", "2026-12-25 15:00"),
        ("12/25 3pm", "DMY", "2026-12-25 15:00"),
        ("03/04/2027 15:00", "DMY", "2027-04-03 15:00"),
        ("03/04/2027 15:00", "MDY", "2027-03-04 15:00"),
        ("10.12.2026 15:00", "DMY", "2026-12-10 15:00"),
        ("10.12.2026 15:00", None, "!ambiguous"),
    ],
)
def test_numeric_dates(text: str, order: str | None, want: str) -> None:
    if want.startswith("!"):
        assert kind(read_moment, text, "Europe/Berlin", NOW, date_order=order) == want[1:]
        return
    moment = read_moment(text, "Europe/Berlin", NOW, date_order=order)
    assert moment.local.strftime("%Y-%m-%d %H:%M") == want
    assert moment.rules


# -- splitting the time from a topic ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "utc", "rest"),
    [
        ("tomorrow 3pm Europe/London career switch", "2026-12-02 15:00", "career switch"),
        ("tomorrow 3pm career switch", "2026-12-02 14:00", "career switch"),
        ("thu 10:30", "2026-12-03 09:30", ""),
        ("friday 3pm at the cafe", "2026-12-04 14:00", "at the cafe"),
        ("tomorrow 3pm 3 questions about ML", "2026-12-02 14:00", "3 questions about ML"),
        ("tomorrow 3pm christmas party", "2026-12-02 14:00", "christmas party"),
        ("tomorrow 3pm cat videos", "2026-12-02 14:00", "cat videos"),
        ("tomorrow 3pm, portfolio review", "2026-12-02 14:00", ", portfolio review"),
    ],
)
def test_split(text: str, utc: str, rest: str) -> None:
    moment, left = split_moment(text, "Europe/Berlin", NOW)
    assert moment.at.strftime("%Y-%m-%d %H:%M") == utc
    assert left == rest


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("feb 31 3pm career", "impossible"),
        ("tomorrow career switch", "needs_time"),
        ("soon-ish maybe", "unreadable"),
        ("", "empty"),
        ("tomorrow 3 career switch", "vague"),
    ],
)
def test_split_refusals_name_the_real_problem(text: str, want: str) -> None:
    assert kind(split_moment, text, "Europe/Berlin", NOW) == want


def test_caller_example_is_kept() -> None:
    with pytest.raises(Refusal) as err:
        split_moment("banana", "Europe/Berlin", NOW, example="/coffee @ana tomorrow 3pm")
    assert err.value.example == "/coffee @ana tomorrow 3pm"


def test_bounds_come_from_the_caller() -> None:
    assert kind(read_moment, "in 3 days at 3pm", "UTC", NOW, latest=timedelta(days=2)) == "too_far"
    assert read_moment("in 3 days at 3pm", "UTC", NOW, latest=timedelta(days=4))


def test_the_reading_says_which_day_it_chose() -> None:
    moment = read_moment("next friday 3pm", "Europe/Berlin", NOW)
    assert moment.day == "Friday" and moment.date.isoformat() == "2026-12-11"
    assert moment.time == time(15, 0)
    assert "the Friday of next week" in show_reading(moment)


# -- showing back ----------------------------------------------------------------------------


def test_show_moment_for_the_other_person() -> None:
    moment = read_moment("thu 3pm", "Europe/Berlin", NOW)
    assert (
        show_moment(moment, other_zone="Europe/London", other_name="Bob")
        == "Thu 3 Dec 15:00 Europe/Berlin (14:00 in London for Bob)"
    )
    assert show_moment(moment, other_zone="Asia/Tokyo").endswith("(23:00 in Tokyo)")
    late = read_moment("thu 8pm", "Europe/Berlin", NOW)
    assert "(Fri 4 Dec 04:00 in Tokyo" in show_moment(late, other_zone="Asia/Tokyo")
    assert show_moment(moment, other_zone="Europe/Berlin") == "Thu 3 Dec 15:00 Europe/Berlin"
    assert "2027" in show_moment(datetime(2027, 1, 5, tzinfo=UTC), "UTC", now=NOW)


# -- cadences, schedules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "days"),
    [
        ("every week", "every week", 7),
        ("every 2 weeks", "every 2 weeks", 14),
        ("every other week", "every 2 weeks", 14),
        ("fortnightly", "every 2 weeks", 14),
        ("every month", "every month", 28),
        ("every 3 months", "every 3 months", 84),
        ("quarterly", "every 3 months", 84),
        ("daily", "every day", 1),
        ("every 3 days", "every 3 days", 3),
        ("weekdays", "every weekday", 7),
        ("every friday", "every Friday", 7),
        ("2 weeks", "every 2 weeks", 14),
        ("month", "every month", 28),
    ],
)
def test_cadences(text: str, words: str, days: int) -> None:
    cadence = read_cadence(text)
    assert cadence.words() == words
    assert cadence.days() == days
    assert Cadence.from_data(cadence.to_data()) == cadence


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("biweekly", "ambiguous"),
        ("every hour", "too_far"),
        ("every 1000000000 days", "too_far"),
        ("every 400 days", "too_far"),
        ("every few weeks", "vague"),
        ("every 0 days", "vague"),
        ("every month or so", "unreadable"),
    ],
)
def test_bad_cadences(text: str, want: str) -> None:
    assert kind(read_cadence, text) == want


@pytest.mark.parametrize(
    ("text", "words", "first_utc"),
    [
        ("daily 9:00", "every day at 09:00 (Europe/Berlin)", "2026-12-02 08:00"),
        ("every friday 16:00", "every Friday at 16:00 (Europe/Berlin)", "2026-12-04 15:00"),
        ("weekdays 9am", "every weekday at 09:00 (Europe/Berlin)", "2026-12-02 08:00"),
        ("every 3 days 10:00", "every 3 days at 10:00 (Europe/Berlin)", "2026-12-04 09:00"),
        (
            "mon, wed and fri 8:30 Europe/London",
            "every Monday, Wednesday and Friday at 08:30 (Europe/London)",
            "2026-12-02 08:30",
        ),
        ("every monday", "every Monday at 09:00 (Europe/Berlin)", "2026-12-07 08:00"),
        ("every other friday 9am UTC", "every other Friday at 09:00 (UTC)", "2026-12-04 09:00"),
        ("daily at 9am EST", "every day at 09:00 (America/New_York)", "2026-12-01 14:00"),
    ],
)
def test_schedules(text: str, words: str, first_utc: str) -> None:
    cadence = read_schedule(text, now=NOW, default_zone="Europe/Berlin")
    assert cadence.words() == words
    assert cadence.next_after(NOW).strftime("%Y-%m-%d %H:%M") == first_utc


def test_schedule_keeps_wall_clock_across_dst() -> None:
    cadence = read_schedule("daily 9:00", now=NOW, default_zone="Europe/Berlin")
    before = cadence.next_after(datetime(2027, 3, 27, 7, tzinfo=UTC))
    after = cadence.next_after(before)
    assert (before.hour, after.hour) == (8, 7)  # 09:00 CET, then 09:00 CEST


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("weekly", "vague"),
        ("daily at 9", "vague"),
        ("every month 9:00", "vague"),
        ("every monday tomorrow", "unreadable"),
    ],
)
def test_bad_schedules(text: str, want: str) -> None:
    assert kind(read_schedule, text, now=NOW, default_zone="UTC") == want


# -- quiet hours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("22-7", "22:00-07:00"),
        ("10pm-7am", "22:00-07:00"),
        ("22:00–07:30", "22:00-07:30"),
        ("22:00 — 07:30", "22:00-07:30"),
        ("22.00-07.00", "22:00-07:00"),
        ("22 to 7", "22:00-07:00"),
        ("from 10pm to 7am", "22:00-07:00"),
        ("9-17", "09:00-17:00"),
        ("21:00-08:00", "21:00-08:00"),
        ("10 PM - 7 AM", "22:00-07:00"),
    ],
)
def test_quiet(text: str, words: str) -> None:
    assert read_quiet(text).words() == words


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("10-7", "ambiguous"),
        ("10pm-7", "ambiguous"),
        ("7-7", "impossible"),
        ("25-7", "impossible"),
        ("evening", "unreadable"),
        ("", "empty"),
    ],
)
def test_bad_quiet(text: str, want: str) -> None:
    assert kind(read_quiet, text) == want


def test_quiet_wraps_midnight() -> None:
    quiet = read_quiet("22-7")
    assert quiet.contains(time(23, 30)) and quiet.contains(time(6, 59))
    assert not quiet.contains(time(7, 0)) and not quiet.contains(time(12, 0))


# -- durations -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("3d", timedelta(days=3)),
        ("2h", timedelta(hours=2)),
        ("90m", timedelta(minutes=90)),
        ("1w 2d", timedelta(days=9)),
        ("1h30m", timedelta(minutes=90)),
        ("2 weeks", timedelta(weeks=2)),
        ("an hour", timedelta(hours=1)),
    ],
)
def test_durations(text: str, delta: timedelta) -> None:
    assert read_duration(text) == delta


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("1000000000d", "too_far"),
        ("0d", "vague"),
        ("2 months", "vague"),
        ("banana", "unreadable"),
        ("400d", "too_far"),
        ("9" * 5000 + "d", "unreadable"),
    ],
)
def test_bad_durations(text: str, want: str) -> None:
    assert kind(read_duration, text) == want
