"""No input makes the reader raise anything but a refusal, and no reading is in the past."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.when import (
    Refusal,
    read_cadence,
    read_duration,
    read_followup,
    read_moment,
    read_quiet,
    read_schedule,
    read_zone,
    split_moment,
)

WORDS = st.sampled_from(
    [
        "tomorrow",
        "today",
        "tonight",
        "next",
        "this",
        "friday",
        "fri",
        "in",
        "at",
        "on",
        "3pm",
        "15:00",
        "15h",
        "1500",
        "12/10",
        "25/12",
        "31",
        "feb",
        "dec",
        "2027",
        "9999",
        "1000000000",
        "days",
        "hours",
        "weeks",
        "month",
        "every",
        "daily",
        "weekdays",
        "noon",
        "midnight",
        "UTC+1",
        "GMT-5",
        "EST",
        "IST",
        "london",
        "new",
        "york",
        "Etc/GMT+1",
        "the",
        "of",
        "and",
        "a",
        "half",
        "an",
        ",",
        ".",
        "!",
        "-",
        "–",
        "morning",
        "2026-02-30",
        "99999999999999999999",
        "0",
        "am",
        "pm",
        "24:00",
        "3",
        "o'clock",
    ]
)
PHRASES = st.one_of(st.lists(WORDS, max_size=8).map(" ".join), st.text(max_size=40))
FAST = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@FAST
@given(
    PHRASES,
    st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata"]),
    st.sampled_from([None, "DMY", "MDY"]),
    st.booleans(),
)
def test_moments_refuse_or_read_ahead(text: str, zone: str, order: str | None, need: bool) -> None:
    try:
        moment, _ = split_moment(
            text,
            zone,
            NOW,
            date_order=order,
            need_time=need,
            default_time=None if need else datetime.min.time(),
        )
    except Refusal:
        return
    assert NOW < moment.at <= NOW + timedelta(days=366)


@FAST
@given(PHRASES)
def test_other_readers_only_refuse(text: str) -> None:
    for call in (
        lambda: read_moment(text, "UTC", NOW),
        lambda: read_followup(text, "Asia/Kolkata", NOW),
        lambda: read_cadence(text),
        lambda: read_schedule(text, now=NOW, default_zone="Europe/Berlin"),
        lambda: read_quiet(text),
        lambda: read_zone(text),
        lambda: read_duration(text),
    ):
        try:
            call()
        except Refusal:
            pass
