"""Cadences for recurring channel posts: "every monday 9:00", "weekdays 8:30",
"daily at 9am", "every 3 days 10:00", each at a wall-clock time in a named zone.

Slots are computed from the local calendar, never by adding 24 hours, so a post set
for 09:00 stays at 09:00 through daylight-saving changes. A time that does not exist
on a spring-forward day (02:30 in Berlin) falls an hour later; a time that happens
twice on a fall-back day is used once, the first time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import when
from bot.errors import UserError

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EVERY_DAY = tuple(range(7))
WEEKDAYS = tuple(range(5))
MAX_EVERY = 365

# When a schedule is not by days (the family using it supplies the example).
NOT_BY_DAYS = (
    "Posts go out on days of the week or every few days, so “{read}” doesn't fit. "
    "Say daily, weekdays, a day like monday, or every 14 days."
)


@dataclass(frozen=True)
class PostSchedule:
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
    def from_data(cls, data: dict[str, Any]) -> PostSchedule:
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
) -> PostSchedule:
    """Read "every monday 9:00", "weekdays at 8:30am", "every 3 days 10:00 Europe/Berlin"
    with rapport's one time reader (``bot.when.read_schedule``), as a posting schedule.

    The time defaults to ``default_at``; the zone to ``default_tz`` (the community's).
    "every N days" counts from today in that zone.
    """
    read = when.read_schedule(
        text, now=now, default_zone=default_tz, default_at=default_at, example=example
    )
    weekly = read.unit == "week"
    if read.unit not in ("day", "week") or (weekly and read.every > 1 and len(read.weekdays) > 1):
        raise UserError(NOT_BY_DAYS.format(read=read.words()), example)
    at = read.at or default_at
    zone_name = read.zone.name if read.zone else default_tz
    if weekly and read.every > 1:  # "every other friday": every 14 days from the next one
        today = now.astimezone(ZoneInfo(zone_name)).date()
        day = read.weekdays[0] if read.weekdays else today.weekday()
        first = today + timedelta(days=(day - today.weekday()) % 7)
        return PostSchedule(at=at, tz=zone_name, every=7 * read.every, anchor=first)
    if weekly:
        return PostSchedule(at=at, tz=zone_name, days=tuple(sorted(read.weekdays)) or EVERY_DAY)
    if read.every > 1:
        anchor = read.anchor or now.astimezone(ZoneInfo(zone_name)).date()
        return PostSchedule(at=at, tz=zone_name, every=read.every, anchor=anchor)
    return PostSchedule(at=at, tz=zone_name, days=EVERY_DAY)


def local_label(moment: datetime, tz: str) -> str:
    """``Mon 7 Dec, 09:00 CET`` — how a slot is shown to people."""
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} {local:%Z}"
