"""When a follow-up is due, how often it repeats, and how dates are shown.

Reading is rapport's one time reader (``bot.when``: right or refused, numeric dates by
one policy, "next friday" by a stated rule). Follow-ups are about days, not minutes:
a date without a time means 09:00 in the person's own zone, so a reminder lands at the
start of their day. The stored cadence is ``{n, unit}``, plus ``at`` ("10:00") when the
member gave a time ("every month 10am"); days of the week belong to posting schedules,
not to keeping in touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from bot import when
from bot.errors import UserError
from bot.features.followup import text as t

MORNING = time(9, 0)
LONGEST = timedelta(days=5 * 366)


@dataclass(frozen=True)
class Every:
    """How often a recurring follow-up comes back: ``n`` of ``unit`` (day … year), at
    ``at`` on the day (09:00 when not given)."""

    n: int
    unit: str
    at: time | None = None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"n": self.n, "unit": self.unit}
        if self.at is not None:
            data["at"] = f"{self.at:%H:%M}"
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Every | None:
        if not data:
            return None
        at = time.fromisoformat(data["at"]) if data.get("at") else None
        return cls(int(data["n"]), str(data["unit"]), at)

    def delta(self) -> relativedelta:
        return relativedelta(**{self.unit + "s": self.n})

    def words(self) -> str:
        said = f"every {self.unit}" if self.n == 1 else f"every {self.n} {self.unit}s"
        return said if self.at is None else f"{said} at {self.at:%H:%M}"


@dataclass(frozen=True)
class Due:
    due: datetime
    every: Every | None
    note: str
    reading: str = ""  # how the words were read, to show back


# -- reading -------------------------------------------------------------------


def read_due(
    text: str,
    now: datetime,
    zone: ZoneInfo,
    example: str | None = None,
    *,
    date_order: str | None = None,
) -> Due:
    """Read ``in 2 weeks …``, ``on <date> …``, ``every month …`` (or a bare date) and a note."""
    if not text.strip():
        raise UserError(t.WHEN_HELP, example)
    found = when.read_followup(
        text, zone, now, date_order=date_order, example=example, weekdays=False
    )
    every = _cadence(found.every, example) if found.every else None
    shown = when.show_reading(found.due, now=now) if found.due.rules else ""
    return Due(found.due.at, every, found.note, shown)


def read_every(text: str) -> Every:
    """``month``, ``2 weeks``, ``every other week``, ``monthly`` → a Every."""
    words = text.strip()
    first = words.split()[0].lower() if words.split() else ""
    if first not in ("every", "each") and not first.endswith("ly"):
        words = "every " + words
    return _cadence(when.read_cadence(words), None)


def _cadence(cadence: when.Cadence, example: str | None) -> Every:
    if cadence.weekdays:
        raise UserError(t.EVERY_PLAIN, example)
    return Every(cadence.every, cadence.unit, cadence.at)


# -- arithmetic ------------------------------------------------------------------


def add_cadence(moment: datetime, cadence: Every, zone: ZoneInfo) -> datetime:
    """``moment`` plus the cadence, on that local day at its time (09:00 if none given)."""
    local = moment.astimezone(zone)
    if cadence.unit in ("minute", "hour"):
        return moment + timedelta(**{cadence.unit + "s": cadence.n})
    day = (local + cadence.delta()).date()
    return datetime.combine(day, cadence.at or MORNING, tzinfo=zone)


def check_due(due: datetime, now: datetime, example: str | None = None) -> None:
    """A follow-up must be in the future, and not absurdly far away."""
    if due <= now:
        raise UserError(t.PAST, example)
    if due - now > LONGEST:
        raise UserError(t.TOO_FAR, example)


# -- showing -----------------------------------------------------------------------


def show(moment: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """``Tue 15 Dec, 09:00`` in ``zone`` (with the year when it isn't this year's)."""
    local = moment.astimezone(zone)
    same_year = now is None or now.astimezone(zone).year == local.year
    day = f"{local:%a} {local.day} {local:%b}" + ("" if same_year else f" {local.year}")
    return f"{day}, {when.show_clock(local)}"
