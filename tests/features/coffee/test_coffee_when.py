"""Reading "tomorrow 3pm" in the requester's zone: several zones, DST changes, refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.features.coffee.when import describe, read_when, split_when
from bot.markup import to_plain


def moment_at(text: str, zone: ZoneInfo, now: datetime, **kw: bool) -> datetime:
    return read_when(text, zone, now, **kw).at


BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
UTC_ZONE = ZoneInfo("UTC")
TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Berlin, 04:00 in New York


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def refusal(text: str, zone: ZoneInfo, now: datetime = TUESDAY, **kw: bool) -> str:
    with pytest.raises(UserError) as err:
        moment_at(text, zone, now, **kw)
    message = err.value.message
    return message if isinstance(message, str) else to_plain(message)


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("tomorrow 3pm", BERLIN, utc(2026, 12, 2, 14, 0)),
        ("tomorrow 3pm", NEW_YORK, utc(2026, 12, 2, 20, 0)),
        ("tomorrow 3pm", KOLKATA, utc(2026, 12, 2, 9, 30)),
        ("tomorrow 3pm", UTC_ZONE, utc(2026, 12, 2, 15, 0)),
        ("thu 10:30", BERLIN, utc(2026, 12, 3, 9, 30)),
        ("2026-12-03 15:00", NEW_YORK, utc(2026, 12, 3, 20, 0)),
        ("in 2 days at noon", BERLIN, utc(2026, 12, 3, 11, 0)),
        ("dec 24 18:00", KOLKATA, utc(2026, 12, 24, 12, 30)),
        ("tomorrow 3pm UTC", BERLIN, utc(2026, 12, 2, 15, 0)),  # a zone they named wins
        ("in 90 minutes", NEW_YORK, utc(2026, 12, 1, 10, 30)),
    ],
)
def test_times_are_read_in_the_requesters_zone(
    text: str, zone: ZoneInfo, expected: datetime
) -> None:
    assert moment_at(text, zone, TUESDAY) == expected


def test_same_words_mean_different_moments_in_different_zones() -> None:
    berlin = moment_at("tomorrow 9am", BERLIN, TUESDAY)
    new_york = moment_at("tomorrow 9am", NEW_YORK, TUESDAY)
    assert new_york - berlin == (utc(2026, 1, 1, 15) - utc(2026, 1, 1, 9))


def test_spring_forward_in_berlin_uses_summer_time_the_next_day() -> None:
    saturday = utc(2026, 3, 28, 12, 0)  # clocks go forward on Sunday 29 March at 02:00
    assert moment_at("tomorrow 3pm", BERLIN, saturday) == utc(2026, 3, 29, 13, 0)  # CEST +2
    assert moment_at("today 3pm", BERLIN, saturday) == utc(2026, 3, 28, 14, 0)  # CET +1


def test_fall_back_in_berlin_uses_winter_time_the_next_day() -> None:
    saturday = utc(2026, 10, 24, 12, 0)  # clocks go back on Sunday 25 October at 03:00
    assert moment_at("tomorrow 3pm", BERLIN, saturday) == utc(2026, 10, 25, 14, 0)  # CET +1
    assert moment_at("today 3pm", BERLIN, saturday) == utc(2026, 10, 24, 13, 0)  # CEST +2


def test_new_york_dst_changes() -> None:
    # Clocks go forward on Sunday 8 March 2026 and back on Sunday 1 November 2026.
    assert moment_at("tomorrow 9am", NEW_YORK, utc(2026, 3, 7, 15)) == utc(2026, 3, 8, 13)
    assert moment_at("tomorrow 9am", NEW_YORK, utc(2026, 10, 31, 15)) == utc(2026, 11, 1, 14)


def test_a_time_the_clocks_skip_is_refused_with_a_suggestion() -> None:
    text = refusal("2026-03-29 02:30", BERLIN, utc(2026, 3, 20, 12))
    assert "doesn't exist" in text and "03:30" in text
    text = refusal("2026-03-08 02:30", NEW_YORK, utc(2026, 3, 1, 12))
    assert "doesn't exist" in text


def test_a_time_that_happens_twice_is_refused() -> None:
    text = refusal("2026-10-25 02:30", BERLIN, utc(2026, 10, 20, 12))
    assert "happens twice" in text
    text = refusal("2026-11-01 01:30", NEW_YORK, utc(2026, 10, 20, 12))
    assert "happens twice" in text


def test_in_hours_counts_real_time_across_the_change() -> None:
    night = utc(2026, 3, 29, 0, 30)  # 01:30 in Berlin, half an hour before the jump
    assert moment_at("in 2 hours", BERLIN, night) == utc(2026, 3, 29, 2, 30)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("yesterday 3pm", "in the past"),
        ("today 8am", "has already passed"),  # it's 10:00 in Berlin
        ("tomorrow", "time of day"),
        ("friday", "time of day"),
        ("tomorrow at 3", "in the morning or in the afternoon"),
        ("tomorrow morning", "vague"),
        ("03/04/2027 15:00", "could be 3 April or March 4"),
        ("banana", "couldn't read"),
        ("2028-06-01 10:00", "more than 366 days ahead"),
    ],
)
def test_unclear_or_past_times_are_refused_with_examples(text: str, words: str) -> None:
    zone = UTC_ZONE if text != "today 8am" else BERLIN
    message = refusal(text, zone)
    assert words in message


def test_past_depends_on_where_you_are() -> None:
    # 09:00 UTC is 10:00 in Berlin (8am has passed) but 04:00 in New York (it hasn't).
    assert moment_at("today 8am", NEW_YORK, TUESDAY) == utc(2026, 12, 1, 13)


def test_refusals_carry_an_example() -> None:
    with pytest.raises(UserError) as err:
        moment_at("banana", BERLIN, TUESDAY)
    assert err.value.example and err.value.example.startswith("/coffee")


def test_unambiguous_numeric_dates_are_fine() -> None:
    assert moment_at("13/03/2027 15:00", UTC_ZONE, TUESDAY) == utc(2027, 3, 13, 15)
    assert moment_at("2027-03-04 15:00", UTC_ZONE, TUESDAY) == utc(2027, 3, 4, 15)


def test_a_date_alone_is_fine_when_no_time_is_needed() -> None:
    assert moment_at("dec 20", BERLIN, TUESDAY, need_time=False) == utc(2026, 12, 19, 23)


def test_split_when_separates_the_time_from_a_topic() -> None:
    at, topic = split_when("tomorrow 3pm career switch", BERLIN, TUESDAY)
    assert at.at == utc(2026, 12, 2, 14) and topic == "career switch"
    at, topic = split_when("thu 10:30", BERLIN, TUESDAY)
    assert topic == ""
    with pytest.raises(UserError):
        split_when("soon-ish maybe", BERLIN, TUESDAY)
    with pytest.raises(UserError):
        split_when("", BERLIN, TUESDAY)


def test_describe_shows_the_zone_and_the_year_only_when_it_differs() -> None:
    assert describe(utc(2026, 12, 2, 14), BERLIN, now=TUESDAY) == "Wed 2 Dec, 15:00 (Europe/Berlin)"
    assert "2027" in describe(utc(2027, 1, 5, 14), BERLIN, now=TUESDAY)
