"""A time of day after a follow-up cadence is read, kept for every reminder, and shown."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.features.followup.dates import Every, add_cadence, read_due, show
from tests.harness import console

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "every", "due", "note"),
    [
        ("every month 10am", Every(1, "month", time(10)), "2027-01-01 10:00", ""),
        ("every week 10am say hi", Every(1, "week", time(10)), "2026-12-08 10:00", "say hi"),
        ("every 2 weeks 9:30am", Every(2, "week", time(9, 30)), "2026-12-15 09:30", ""),
        ("every month", Every(1, "month"), "2027-01-01 09:00", ""),
    ],
)
def test_a_time_after_the_cadence_is_read(text: str, every: Every, due: str, note: str) -> None:
    when = read_due(text, NOW, NY)
    assert when.every == every
    assert when.due.astimezone(NY).strftime("%Y-%m-%d %H:%M") == due
    assert when.note == note
    if every.at is not None:
        assert f"at {every.at:%H:%M}" in when.reading


def test_the_time_is_kept_for_every_reminder_and_stored() -> None:
    every = Every(1, "month", time(10))
    assert Every.from_data(every.to_data()) == every
    assert Every.from_data({"n": 1, "unit": "month"}) == Every(1, "month")  # stored before
    later = add_cadence(datetime(2027, 1, 1, 15, 0, tzinfo=UTC), every, NY)
    assert later.astimezone(NY).strftime("%Y-%m-%d %H:%M") == "2027-02-01 10:00"
    assert every.words() == "every month at 10:00"


def test_a_weekday_cadence_is_refused_with_an_example_that_fits() -> None:
    with pytest.raises(UserError) as err:
        read_due("every monday at 10", NOW, NY, "/followup @alice every month")
    assert "Try “every week 10am”" in str(err.value.message)
    with pytest.raises(UserError) as err:
        read_due("every month at 10", NOW, NY)
    assert "Try “every month 10am”" in str(err.value.message)


def test_a_repeated_hour_is_shown_with_its_offset() -> None:
    paris = ZoneInfo("Europe/Paris")
    assert show(datetime(2027, 10, 31, 0, 30, tzinfo=UTC), paris) == "Sun 31 Oct, 02:30 UTC+2"


def test_followup_every_month_10am_in_the_console(tmp_path: Path) -> None:
    out = console("/followup @bob every month 10am\n/followup list\n", tmp_path)
    assert "every month at 10:00, starting Fri 1 Jan 2027, 10:00." in out
    assert "“10am”" not in out
    assert "next on Fri 1 Jan 2027, 10:00" in out
