"""Cadences for recurring channel posts: "every monday 9:00", "weekdays 8:30",
"daily at 9am", "every 3 days 10:00", each at a wall-clock time in a named zone.

Slots are computed from the local calendar, never by adding 24 hours, so a post set
for 09:00 stays at 09:00 through daylight-saving changes. A time that does not exist
on a spring-forward day (02:30 in Berlin) falls an hour later; a time that happens
twice on a fall-back day is used once, the first time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.settings import check_zone

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_WORDS = {
    **{n.lower(): i for i, n in enumerate(DAY_NAMES)},
    **{n.lower() + "s": i for i, n in enumerate(DAY_NAMES)},
    **{n[:3].lower(): i for i, n in enumerate(DAY_NAMES)},
    "tues": 1,
    "wednes": 2,
    "thur": 3,
    "thurs": 3,
}
EVERY_DAY = tuple(range(7))
WEEKDAYS = tuple(range(5))
_FILLER = {"every", "each", "at", "on", "and", "in", "tz", "the", "of", "&", "+"}
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?(am|pm|a\.m\.|p\.m\.)?$")
MAX_EVERY = 365

# Words shown when a cadence can't be read (the family using it supplies the example).
BAD_WORD = (
    "I couldn't read “{word}” in that schedule. Try “daily 9:00”, “weekdays 8:30”, "
    "“every monday 9:00” or “every 3 days 10:00”."
)
BAD_TIME = "“{word}” isn't a time I understand. Use 24-hour time like 9:00 or 17:30, or 9am."
BAD_EVERY = "Every how many days? Pick a number from 1 to 365, like “every 3 days”."
NO_DAYS = "Which days? Say daily, weekdays, a day like monday, or every 3 days."
WEEK_NEEDS_DAY = "Which day of the week? For example “every monday 9:00”."
TWO_KINDS = "Please pick either days of the week or “every N days”, not both."


@dataclass(frozen=True)
class Cadence:
    """When something recurs: on some weekdays, or every N days from an anchor date."""

    at: time
    tz: str
    days: tuple[int, ...] = EVERY_DAY  # weekdays it happens on (0 = Monday)
    every: int | None = None  # every N days instead, counted from ``anchor``
    anchor: date | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def occurs_on(self, day: date) -> bool:
        if self.every:
            anchor = self.anchor or day
            return (day - anchor).days % self.every == 0
        return day.weekday() in self.days

    def next_after(self, moment: datetime) -> datetime:
        """The first slot strictly after ``moment``, as an aware UTC datetime."""
        zone = self.zone
        # Start a day early: around a transition a local slot on the previous
        # calendar day can still lie ahead of ``moment``.
        day = moment.astimezone(zone).date() - timedelta(days=1)
        for _ in range(MAX_EVERY + 9):
            if self.occurs_on(day):
                slot = datetime.combine(day, self.at, tzinfo=zone).astimezone(UTC)
                if slot > moment:
                    return slot
            day += timedelta(days=1)
        raise ValueError(f"no slot found for {self}")  # unreachable for valid cadences

    def is_slot(self, moment: datetime) -> bool:
        """Whether ``moment`` is one of this cadence's slots (stale schedules are not)."""
        return self.next_after(moment - timedelta(microseconds=1)) == moment

    def describe(self) -> str:
        """``every Monday at 09:00 (Europe/Berlin)``."""
        if self.every and self.every > 1:
            when = f"every {self.every} days"
        elif self.every == 1 or self.days == EVERY_DAY:
            when = "every day"
        elif self.days == WEEKDAYS:
            when = "every weekday (Monday to Friday)"
        else:
            names = [DAY_NAMES[d] for d in self.days]
            when = "every " + (
                names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            )
        return f"{when} at {self.at:%H:%M} ({self.tz})"

    def to_data(self) -> dict[str, Any]:
        return {
            "at": f"{self.at:%H:%M}",
            "tz": self.tz,
            "days": list(self.days),
            "every": self.every,
            "anchor": self.anchor.isoformat() if self.anchor else None,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Cadence:
        hour, minute = (int(x) for x in data["at"].split(":"))
        return cls(
            at=time(hour, minute),
            tz=data["tz"],
            days=tuple(data.get("days") or EVERY_DAY),
            every=data.get("every"),
            anchor=date.fromisoformat(data["anchor"]) if data.get("anchor") else None,
        )


def parse_cadence(
    text: str,
    *,
    now: datetime,
    default_tz: str,
    default_at: time = time(9, 0),
    example: str | None = None,
) -> Cadence:
    """Read "every monday 9:00", "weekdays at 8:30am", "every 3 days 10:00 Europe/Berlin".

    The time defaults to ``default_at``; the zone to ``default_tz`` (the community's).
    "every N days" counts from today in that zone.
    """
    words = text.replace(",", " ").split()
    days: set[int] = set()
    every: int | None = None
    at: time | None = None
    tz: str | None = None
    i = 0
    while i < len(words):
        word = words[i]
        low = word.lower()
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if low in _FILLER:
            pass
        elif low in ("daily", "day", "everyday", "days"):
            days.update(EVERY_DAY)
        elif low in ("weekday", "weekdays"):
            days.update(WEEKDAYS)
        elif low in ("week", "weekly"):
            if not days and every is None:
                raise UserError(WEEK_NEEDS_DAY, example)
        elif low in _DAY_WORDS:
            days.add(_DAY_WORDS[low])
        elif low == "other" and nxt in ("day", "days"):
            every, i = 2, i + 1
        elif low.isdigit() and nxt in ("day", "days"):
            every = int(low)
            if not 1 <= every <= MAX_EVERY:
                raise UserError(BAD_EVERY, example)
            i += 1
        elif low in ("noon", "midday"):
            at = time(12, 0)
        elif low == "midnight":
            at = time(0, 0)
        elif _TIME.match(low):
            suffix = nxt if nxt in ("am", "pm", "a.m.", "p.m.") else ""
            at = _parse_time(low + suffix, example)
            if suffix:
                i += 1
        elif low in ("utc", "gmt"):
            tz = "UTC"
        elif "/" in word:
            try:
                tz = check_zone(word).name
            except UserError as err:
                raise UserError(err.message, example)
        else:
            raise UserError(BAD_WORD.format(word=word), example)
        i += 1
    if every is not None and days and days != set(EVERY_DAY):
        raise UserError(TWO_KINDS, example)
    if every is None and not days:
        raise UserError(NO_DAYS, example)
    zone_name = tz or default_tz
    today = now.astimezone(ZoneInfo(zone_name)).date()
    if every is not None and every > 1:
        return Cadence(at=at or default_at, tz=zone_name, every=every, anchor=today)
    return Cadence(
        at=at or default_at, tz=zone_name, days=EVERY_DAY if every else tuple(sorted(days))
    )


def _parse_time(word: str, example: str | None) -> time:
    m = _TIME.match(word)
    if not m:
        raise UserError(BAD_TIME.format(word=word), example)
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    suffix = (m.group(3) or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            raise UserError(BAD_TIME.format(word=word), example)
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise UserError(BAD_TIME.format(word=word), example)
    return time(hour, minute)


def local_label(moment: datetime, tz: str) -> str:
    """``Mon 7 Dec, 09:00 CET`` — how a slot is shown to people."""
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} {local:%Z}"
