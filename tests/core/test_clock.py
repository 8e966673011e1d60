"""Stored moments: ``parse_iso`` reads back exactly what ``iso`` wrote, and nothing else
more leniently than before its fast path."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.clock import iso, parse_iso

STRICT = "%Y-%m-%dT%H:%M:%S.%fZ"


@settings(max_examples=300, derandomize=True)
@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)
    )
)
def test_what_iso_writes_reads_back_as_the_same_moment(moment: datetime) -> None:
    text = iso(moment)
    assert parse_iso(text) == moment
    assert parse_iso(text) == datetime.strptime(text, STRICT).replace(tzinfo=UTC)
    assert parse_iso(text).tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-01T09:00:00.000000Z",  # no 13th month
        "2026-12-01 09:00:00.000000Z",  # a space is not our form
        "2026-12-01T09:00:00.000+01Z",  # an offset is not our form
        "2026-12-01T09:00:00.000000+00",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "",
    ],
)
def test_anything_else_is_refused_as_strptime_refuses_it(text: str) -> None:
    with pytest.raises(ValueError):
        parse_iso(text)
