"""Where the core reads the time. Injected everywhere so tests never sleep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to (tests, the console's ``:advance``)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    """Stored form of a moment: UTC ISO-8601, sortable as text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    """A moment as ``iso`` stored it (``2026-12-01T09:00:00.000000Z``), strictly."""
    if len(text) == 27 and text[10] == "T" and text[26] == "Z":
        # The form iso() writes: fromisoformat reads it ten times faster than strptime
        # (searches read thousands of stored moments), to the same moment.
        moment = datetime.fromisoformat(text[:26])
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def read_moment(value: object) -> datetime | None:
    """A stored moment in our format, any ISO-8601 form, or a datetime; None otherwise.

    Lenient on purpose: counting and reporting code reads records written by every
    feature (and by older versions) and must never fail on one odd field.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
