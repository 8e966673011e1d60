"""Fixes found by a tester: zones never dropped into the topic, examples that keep the
member's words, repeated clock-change hours shown with their offset."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.when import (
    Refusal,
    read_schedule,
    show_clock,
    show_moment,
    split_moment,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PARIS_SPRING = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("3pm career change", "career change"),
        ("tomorrow 3pm pros/cons of bootcamps", "pros/cons of bootcamps"),
        ("tomorrow 3pm UI/UX portfolio", "UI/UX portfolio"),
        ("tomorrow 3pm pacific rim jobs", "pacific rim jobs"),
        ("tomorrow 3pm Eastern Europe roles", "Eastern Europe roles"),
        ("tomorrow Pacific roles", None),  # no time: needs one, whatever follows
    ],
)
def test_topic_words_after_a_time_still_work(text: str, topic: str | None) -> None:
    if topic is None:
        with pytest.raises(Refusal):
            split_moment(text, "UTC", NOW)
        return
    _, rest = split_moment(text, "UTC", NOW)
    assert rest == topic


@pytest.mark.parametrize(
    "text",
    [
        "3pm Europe/Pariss",
        "3pm Mars/Olympus",
        "tomorrow 3pm Pacific",
        "tomorrow 3pm pacific",
        "tomorrow 3pm eastern",
        "tomorrow 3pm Central please",
        "3pm Europe/Pariss chat",
    ],
)
def test_a_zone_after_a_time_is_never_the_topic(text: str) -> None:
    with pytest.raises(Refusal) as err:
        split_moment(text, "UTC", NOW, example="/coffee @ana tomorrow 3pm")
    assert err.value.kind in ("zone", "ambiguous")
    assert err.value.example == "/coffee @ana tomorrow 3pm"


def test_a_misspelt_zone_gets_the_same_suggestion_as_settings() -> None:
    with pytest.raises(Refusal) as err:
        split_moment("3pm Europe/Pariss career change", "UTC", NOW)
    assert "Did you mean Europe/Paris" in err.value.message
    assert err.value.suggestion == "3pm Europe/Paris"


def test_a_repeated_hour_is_shown_with_its_offset() -> None:
    first = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)  # 02:30 CET
    assert show_moment(first, "Europe/Paris", now=PARIS_SPRING).endswith("02:30 UTC+2 Europe/Paris")
    assert show_moment(second, "Europe/Paris", now=PARIS_SPRING).endswith(
        "02:30 UTC+1 Europe/Paris"
    )
    noon = datetime(2027, 10, 31, 11, 0, tzinfo=UTC)
    assert show_moment(noon, "Europe/Paris", now=PARIS_SPRING) == "Sun 31 Oct 12:00 Europe/Paris"
    other = show_moment(first, "UTC", now=PARIS_SPRING, other_zone="Europe/Paris")
    assert "(02:30 UTC+2 in Paris)" in other
    after_the_jump = datetime(2027, 3, 28, 1, 30, tzinfo=UTC).astimezone(ZoneInfo("Europe/Paris"))
    assert show_clock(after_the_jump) == "03:30"


@pytest.mark.parametrize(
    ("text", "kind", "example"),
    [
        ("every monday at 9", "vague", "every monday 9am"),
        ("daily at 3", "vague", "daily 3pm"),
        ("every monday 9am Europe/Pariss", "zone", "every monday 9am Europe/Paris"),
        ("every friday 3pm-4pm", "conflict", "every friday 3pm"),
        ("daily 24:00", "impossible", "daily 23:59"),
    ],
)
def test_schedule_refusals_keep_the_days(text: str, kind: str, example: str) -> None:
    with pytest.raises(Refusal) as err:
        read_schedule(text, now=NOW, default_zone="UTC")
    assert err.value.kind == kind, err.value.message
    assert err.value.suggestion == example
    read_schedule(example, now=NOW, default_zone="UTC")  # the example is read as it is


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("tomorrow 3pm my time career chat", "career chat"),
        ("tomorrow 3pm (my time)", ""),
        ("tomorrow 3pm local time", ""),
        ("tomorrow 3pm their timeline review", "their timeline review"),
    ],
)
def test_my_time_is_the_members_clock_not_a_topic(text: str, topic: str) -> None:
    moment, rest = split_moment(text, "Europe/Paris", NOW)
    assert rest == topic
    assert moment.at == datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "reason", "suggestion"),
    [
        ("tomorrow 3pm your time", "Whose clock", "tomorrow 3pm"),
        ("tomorrow 3pm their time", "Whose clock", "tomorrow 3pm"),
        ("tomorrow at 3pm or 4pm", "one time rather than two", "tomorrow at 3pm"),
        ("fri 10am or 11am career", "one time rather than two", "fri 10am"),
    ],
)
def test_someone_elses_clock_or_two_times_are_asked_about(
    text: str, reason: str, suggestion: str
) -> None:
    with pytest.raises(Refusal) as err:
        split_moment(text, "Europe/Paris", NOW)
    assert reason in err.value.message
    assert err.value.suggestion == suggestion


@pytest.mark.parametrize(
    ("text", "hour", "rest"),
    [
        ("tomorrow 15:00+01:00", 14, ""),
        ("tomorrow 3pm+0100 chat", 14, "chat"),
    ],
)
def test_an_offset_glued_to_the_time_is_read(text: str, hour: int, rest: str) -> None:
    moment, left = split_moment(text, "UTC", NOW)
    assert (moment.at.hour, left) == (hour, rest)


@pytest.mark.parametrize(
    ("text", "reason", "suggestion"),
    [
        ("tomorrow between 3 and 4pm", "one start time rather than a range", "tomorrow 3pm"),
        ("tomorrow between 9 and 10 am", "one start time rather than a range", "tomorrow 9am"),
        ("tomorrow pacific 3pm", "but not “pacific 3pm” as a time of day", "tomorrow 3pm"),
    ],
)
def test_the_reason_names_what_was_actually_wrong(text: str, reason: str, suggestion: str) -> None:
    with pytest.raises(Refusal) as err:
        split_moment(text, "UTC", NOW)
    assert reason in err.value.message
    assert err.value.suggestion == suggestion


def test_a_long_note_is_kept_whole() -> None:
    note = "word " * 700
    _, rest = split_moment("tomorrow 3pm " + note, "UTC", NOW)
    assert rest == note.strip()
