"""Reading follow-up dates: relative, absolute and recurring phrases in the user's zone,
where the note starts, and month arithmetic that doesn't drift."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.features.followup.dates import Every, add_cadence, read_due, read_every, show

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday
NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def local(text: str, zone: ZoneInfo = NY) -> tuple[str, Every | None, str]:
    when = read_due(text, NOW, zone)
    return when.due.astimezone(zone).strftime("%Y-%m-%d %H:%M"), when.every, when.note


@pytest.mark.parametrize(
    ("text", "due", "note"),
    [
        ("in 2 weeks ask about the job", "2026-12-15 09:00", "ask about the job"),
        ("in a week", "2026-12-08 09:00", ""),
        ("in a couple of weeks", "2026-12-15 09:00", ""),
        ("in three days - bring the article", "2026-12-04 09:00", "bring the article"),
        ("in 1 fortnight", "2026-12-15 09:00", ""),
        ("in 1 month", "2027-01-01 09:00", ""),
        ("in 3 hours check the reply", "2026-12-01 07:00", "check the reply"),
        ("on Dec 15 send my portfolio", "2026-12-15 09:00", "send my portfolio"),
        ("on 2026-12-15", "2026-12-15 09:00", ""),
        ("on 15 December", "2026-12-15 09:00", ""),
        ("on friday about the referral", "2026-12-04 09:00", "about the referral"),
        ("on the 20th", "2026-12-20 09:00", ""),
        ("on Jan 3", "2027-01-03 09:00", ""),
        ("tomorrow 3pm say thanks", "2026-12-02 15:00", "say thanks"),
        ("on 2026-12-15 22:30 late one", "2026-12-15 22:30", "late one"),
        ("next friday: coffee?", "2026-12-11 09:00", "coffee?"),  # the Friday of next week
        ("friday: coffee?", "2026-12-04 09:00", "coffee?"),
        ('on Dec 20 "quoted note"', "2026-12-20 09:00", "quoted note"),
    ],
)
def test_one_off_phrases(text: str, due: str, note: str) -> None:
    got_due, every, got_note = local(text)
    assert (got_due, every, got_note) == (due, None, note)


@pytest.mark.parametrize(
    ("text", "cadence", "first"),
    [
        ("every month", Every(1, "month"), "2027-01-01 09:00"),
        ("every 2 weeks", Every(2, "week"), "2026-12-15 09:00"),
        ("every other week", Every(2, "week"), "2026-12-15 09:00"),
        ("every quarter", Every(3, "month"), "2027-03-01 09:00"),
        ("monthly", Every(1, "month"), "2027-01-01 09:00"),
        ("weekly", Every(1, "week"), "2026-12-08 09:00"),
        ("every year", Every(1, "year"), "2027-12-01 09:00"),
    ],
)
def test_recurring_phrases(text: str, cadence: Every, first: str) -> None:
    due, every, note = local(text + " say hi")
    assert (due, every, note) == (first, cadence, "say hi")


def test_dates_are_read_in_the_users_own_zone() -> None:
    # 09:00 UTC is already 18:00 on Tuesday in Tokyo: "tomorrow" is their Wednesday.
    when = read_due("tomorrow", NOW, ZoneInfo("Asia/Tokyo"))
    assert when.due == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # Wed 09:00 in Tokyo


@pytest.mark.parametrize(
    "text",
    ["", "on", "whenever", "in soon", "in 0 days", "in 9 years", "every hour", "every 7 years"],
)
def test_bad_phrases_are_refused(text: str) -> None:
    with pytest.raises(UserError):
        read_due(text, NOW, NY)


def test_parse_every_for_other_features() -> None:
    assert read_every("month") == Every(1, "month")
    assert read_every("2 weeks") == Every(2, "week")
    assert read_every("every other week") == Every(2, "week")
    with pytest.raises(UserError):
        read_every("month or so")


def test_month_ends_do_not_drift() -> None:
    jan31 = datetime(2027, 1, 31, 15, 0, tzinfo=UTC)
    feb = add_cadence(jan31, Every(1, "month"), BERLIN)
    assert feb.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == "2027-02-28 09:00"


def test_nine_oclock_stays_nine_oclock_across_daylight_saving() -> None:
    before = datetime(2027, 3, 20, 8, 0, tzinfo=UTC)  # 09:00 in Berlin (winter time)
    after = add_cadence(before, Every(2, "week"), BERLIN)
    assert after.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") == "2027-04-03 09:00"
    assert after == datetime(2027, 4, 3, 7, 0, tzinfo=UTC)  # summer time


def test_show_adds_the_year_only_when_it_differs() -> None:
    assert show(datetime(2026, 12, 15, 14, tzinfo=UTC), NY, NOW) == "Tue 15 Dec, 09:00"
    assert show(datetime(2027, 1, 1, 14, tzinfo=UTC), NY, NOW) == "Fri 1 Jan 2027, 09:00"
