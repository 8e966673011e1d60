"""One vocabulary for things that repeat: follow-ups, roulette rounds, tips and digests.

``every week``, ``every 2 weeks``, ``every other week``, ``fortnightly``, ``every month``,
``every 3 months``, ``quarterly``, ``every year``, ``daily``, ``every 3 days``,
``weekdays``, ``every friday``, ``mon, wed and fri``, ``every other friday`` — each
optionally followed by a time and a zone (``every friday 16:00 Europe/Berlin``).

Refused rather than guessed: ``biweekly`` (twice a week, or every two weeks?), "a few",
more often than daily, and anything absurdly far apart. Slots are computed on the
local calendar, so 09:00 stays 09:00 across daylight saving. A recurring slot that falls
in a DST gap moves to just after it; one that happens twice is used once, the first
time (a recurring post can't ask each time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from bot.when.durations import take_amounts
from bot.when.moments import WEEKDAY_NAMES, WEEKDAYS, _add_months, _Reader, _words, am_or_pm
from bot.when.refusals import (
    AMBIGUOUS,
    CONFLICT,
    EMPTY,
    IMPOSSIBLE,
    TOO_FAR,
    UNREADABLE,
    VAGUE,
    Refusal,
    echo,
)
from bot.when.zones import Zone, as_zone, join_signs, read_zone

UNITS = ("day", "week", "month", "year")
LONGEST = {"day": 365, "week": 52, "month": 24, "year": 5}
EVERY_DAY = tuple(range(7))
WORKDAYS = tuple(range(5))
_ADVERBS = {
    "daily": (1, "day"),
    "everyday": (1, "day"),
    "weekly": (1, "week"),
    "fortnightly": (2, "week"),
    "monthly": (1, "month"),
    "quarterly": (3, "month"),
    "yearly": (1, "year"),
    "annually": (1, "year"),
}
_PLURAL_DAYS = {name.lower() + "s": i for i, name in enumerate(WEEKDAY_NAMES)}
EXAMPLE = "every 2 weeks"


@dataclass(frozen=True)
class Cadence:
    """Every ``every`` ``unit`` s; for weeks, on ``weekdays`` (0 = Monday) if given.

    ``at`` and ``zone`` are set when the words included them (posting schedules).
    ``anchor`` is the first day counted from, for "every 3 days" / "every other friday".
    """

    every: int
    unit: str  # "day" | "week" | "month" | "year"
    weekdays: tuple[int, ...] = ()
    at: time | None = None
    zone: Zone | None = None
    anchor: date | None = None

    def words(self) -> str:
        """``every 2 weeks``, ``every weekday at 09:00``, ``every Friday at 16:00 (UTC)``."""
        if self.weekdays == WORKDAYS and self.every == 1:
            said = "every weekday"
        elif self.weekdays == EVERY_DAY and self.every == 1:
            said = "every day"
        elif self.weekdays:
            names = [WEEKDAY_NAMES[d] for d in self.weekdays]
            days = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            said = ("every other " if self.every == 2 else "every ") + days
            if self.every > 2:
                said = f"{days}, every {self.every} weeks"
        elif self.every == 1:
            said = f"every {self.unit}"
        else:
            said = f"every {self.every} {self.unit}s"
        if self.at is not None:
            said += f" at {self.at:%H:%M}"
        if self.zone is not None:
            said += f" ({self.zone.name})"
        return said

    def days(self, month_days: int = 28) -> int:
        """The gap in days (a month counts ``month_days``; roulette uses 4 weeks)."""
        per = {"day": 1, "week": 7, "month": month_days, "year": 365}[self.unit]
        return self.every * per

    def to_data(self) -> dict[str, Any]:
        return {
            "every": self.every,
            "unit": self.unit,
            "weekdays": list(self.weekdays),
            "at": f"{self.at:%H:%M}" if self.at else None,
            "zone": self.zone.name if self.zone else None,
            "anchor": self.anchor.isoformat() if self.anchor else None,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Cadence:
        at = data.get("at")
        return cls(
            every=int(data["every"]),
            unit=str(data["unit"]),
            weekdays=tuple(data.get("weekdays") or ()),
            at=time.fromisoformat(at) if at else None,
            zone=as_zone(data["zone"]) if data.get("zone") else None,
            anchor=date.fromisoformat(data["anchor"]) if data.get("anchor") else None,
        )

    def _occurs_on(self, day: date, anchor: date) -> bool:
        if self.unit == "day":
            return (day - anchor).days % self.every == 0
        if self.unit == "week":
            weeks = (day - timedelta(days=day.weekday())) - (anchor - timedelta(anchor.weekday()))
            on_week = (weeks.days // 7) % self.every == 0
            return on_week and day.weekday() in (self.weekdays or (anchor.weekday(),))
        months = (day.year - anchor.year) * 12 + day.month - anchor.month
        step = self.every * (12 if self.unit == "year" else 1)
        if months < 0 or months % step:
            return False
        return day == _add_months(anchor, months)[0]

    def next_after(self, moment: datetime, zone: Zone | tzinfo | str | None = None) -> datetime:
        """The first slot strictly after ``moment`` (aware, UTC), at ``at`` (default 09:00)
        on the local calendar of the cadence's zone (or ``zone``)."""
        use = self.zone or (as_zone(zone) if zone is not None else Zone("UTC"))
        tz = use.tzinfo
        at = self.at or time(9, 0)
        anchor = self.anchor or moment.astimezone(tz).date()
        day = moment.astimezone(tz).date() - timedelta(days=1)
        limit = self.days(31) + 9 if self.unit in ("month", "year") else self.days() + 9
        for _ in range(limit + 400 * (self.unit == "year")):
            if self._occurs_on(day, anchor):
                slot = _wall(day, at, tz)
                if slot > moment:
                    return slot
            day += timedelta(days=1)
        raise ValueError(f"no slot for {self}")  # unreachable for cadences read here

    def after(self, moment: datetime, zone: Zone | tzinfo | str) -> datetime:
        """``moment`` plus one interval, on that local day at ``at`` (default 09:00)."""
        use = self.zone or as_zone(zone)
        tz = use.tzinfo
        local = moment.astimezone(tz).date()
        if self.unit == "day":
            day = local + timedelta(days=self.every)
        elif self.unit == "week":
            day = local + timedelta(weeks=self.every)
        else:
            day = _add_months(local, self.every * (12 if self.unit == "year" else 1))[0]
        return _wall(day, self.at or time(9, 0), tz)


def _wall(day: date, at: time, tz: tzinfo) -> datetime:
    """A recurring wall-clock slot: after a DST gap if it falls in one, the first if twice."""
    # fold=0 is the first of a repeated time; in a gap it is the instant just after the jump.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _days_list(words: list[str], i: int) -> tuple[set[int], int]:
    """``monday``, ``mon, wed and fri``, ``mondays``: (weekday numbers, words used)."""
    days: set[int] = set()
    j = i
    while j < len(words):
        word = words[j]
        if word in WEEKDAYS or word in _PLURAL_DAYS:
            days.add(WEEKDAYS.get(word, _PLURAL_DAYS.get(word, 0)))
            j += 1
        elif word in ("and", ",", "&", "+") and days and j + 1 < len(words):
            nxt = words[j + 1]
            if nxt in WEEKDAYS or nxt in _PLURAL_DAYS:
                j += 1
            else:
                break
        else:
            break
    return days, j - i


def split_cadence(text: str, *, example: str | None = None) -> tuple[Cadence, str]:
    """A cadence at the start of ``text`` and the rest: ``every month say hi`` → (…, "say hi").

    Only the repetition is read here (no time or zone): see :func:`read_schedule`.
    """
    try:
        return _split_cadence(text)
    except Refusal as refusal:
        raise refusal.with_example(example)


def _split_cadence(text: str) -> tuple[Cadence, str]:
    words_at = _words(text)
    words = [w.low for w in words_at]
    if not words:
        raise Refusal(EMPTY, "How often?", EXAMPLE)
    i = 0
    if words[0] in _ADVERBS:
        every, unit = _ADVERBS[words[0]]
        return Cadence(every, unit), _rest(text, words_at, 1)
    if words[0] == "biweekly" or words[0] == "bi-weekly":
        raise Refusal(
            AMBIGUOUS,
            "“Biweekly” can mean twice a week or every two weeks: which one?",
            "every 2 weeks",
        )
    if words[0] in ("weekdays", "weekday"):
        return Cadence(1, "week", WORKDAYS), _rest(text, words_at, 1)
    if words[0] in ("every", "each"):
        i = 1
    elif not (words[0] in _PLURAL_DAYS or words[0] in WEEKDAYS):
        raise Refusal(UNREADABLE, f"I couldn't read how often “{echo(text)}” is.", EXAMPLE)
    word = words[i] if i < len(words) else ""
    if word in ("day", "weekday", "weekdays", "week", "month", "year", "fortnight", "quarter"):
        if word == "day":
            return Cadence(1, "day"), _rest(text, words_at, i + 1)
        if word in ("weekday", "weekdays"):
            return Cadence(1, "week", WORKDAYS), _rest(text, words_at, i + 1)
        if word == "fortnight":
            return Cadence(2, "week"), _rest(text, words_at, i + 1)
        if word == "quarter":
            return Cadence(3, "month"), _rest(text, words_at, i + 1)
        if word == "week":
            days, used = _days_list(words, i + 2) if words[i + 1 : i + 2] == ["on"] else (set(), 0)
            end = i + 1 + (used + 1 if used else 0)
            return Cadence(1, "week", tuple(sorted(days))), _rest(text, words_at, end)
        return Cadence(1, word), _rest(text, words_at, i + 1)
    every = 1
    if word == "other":
        every, i = 2, i + 1
        word = words[i] if i < len(words) else ""
        if word in ("day", "week", "month", "year"):
            return _bounded(Cadence(2, word)), _rest(text, words_at, i + 1)
    if word.rstrip("s") in ("hour", "minute", "min", "hr"):
        raise Refusal(
            TOO_FAR, "That's more often than once a day: the shortest is “daily”.", "daily"
        )
    days, used = _days_list(words, i)
    if days:
        return _bounded(Cadence(every, "week", tuple(sorted(days)))), _rest(
            text, words_at, i + used
        )
    got = take_amounts(words, i)
    if got is None:
        raise Refusal(UNREADABLE, f"Every how often? I couldn't read “{echo(text)}”.", EXAMPLE)
    amounts, used = got
    if len(amounts) != 1:
        raise Refusal(VAGUE, "Please give one amount, like “every 10 days”.", "every 10 days")
    amount = amounts[0]
    if amount.unit in ("minute", "hour"):
        raise Refusal(
            TOO_FAR, "That's more often than once a day: the shortest is “daily”.", "daily"
        )
    if amount.n <= 0:
        raise Refusal(UNREADABLE, "Every 0? Please pick a number from 1 up.", EXAMPLE)
    end = i + used
    cadence = _bounded(Cadence(amount.n, amount.unit))
    if cadence.unit == "week" and words[end : end + 1] == ["on"]:
        days, more = _days_list(words, end + 1)
        if days:
            cadence = Cadence(cadence.every, "week", tuple(sorted(days)))
            end += 1 + more
    return cadence, _rest(text, words_at, end)


def _bounded(cadence: Cadence) -> Cadence:
    if cadence.every > LONGEST[cadence.unit]:
        raise Refusal(
            TOO_FAR,
            f"Every {cadence.every} {cadence.unit}s is too far apart: at most "
            f"{LONGEST[cadence.unit]}.",
            EXAMPLE,
        )
    return cadence


def _rest(text: str, words: list[Any], used: int) -> str:
    if used <= 0:
        return text.strip()
    if used > len(words):
        return ""
    return text[words[used - 1].end :].strip()


def read_cadence(text: str, *, example: str | None = None) -> Cadence:
    """A cadence and nothing else: ``every 2 weeks``, ``month`` ("every" may be left out)."""
    words = text.strip()
    starts = ("every", "each", *_ADVERBS, "biweekly")
    if (
        words
        and words.split()[0].lower() not in starts
        and words.split()[0].lower().rstrip(",") not in (*WEEKDAYS, *_PLURAL_DAYS)
        and not words.lower().startswith("weekday")
    ):
        words = "every " + words
    cadence, rest = split_cadence(words, example=example)
    if rest:
        raise Refusal(UNREADABLE, f"I read how often, but not “{echo(rest)}”.", EXAMPLE, example)
    return cadence


def read_schedule(
    text: str,
    *,
    now: datetime,
    default_zone: Zone | tzinfo | str,
    default_at: time = time(9, 0),
    example: str | None = None,
) -> Cadence:
    """A posting schedule: days + optional time + optional zone.

    ``daily 9:00``, ``every friday 16:00``, ``weekdays 9am``, ``every 3 days 10:00 UTC``,
    ``mon and thu at 8:30 Europe/Berlin``. The result always has ``at`` and ``zone``;
    "every N days" counts from today in that zone.
    """
    try:
        return _schedule(text, now, as_zone(default_zone), default_at)
    except Refusal as refusal:
        raise refusal.with_example(example)


def _schedule(text: str, now: datetime, default_zone: Zone, default_at: time) -> Cadence:
    text = join_signs(text)
    cadence, rest = split_cadence(text)
    if cadence.unit in ("month", "year"):
        raise Refusal(
            VAGUE,
            "Posts go out on days of the week or every few days, not by the month.",
            "every monday 9:00",
        )
    at, zone = default_at, default_zone
    said = text[: len(text) - len(rest)].strip() if rest else text.strip()
    if rest:
        reader = _Reader(_words(rest), now.year)
        try:
            parts = reader.read()
        except Refusal as refusal:  # keep the days in the example: "every monday 9am UTC"
            if refusal.suggestion:
                raise refusal.retried(f"{said} {refusal.suggestion}") from None
            raise
        leftover = rest[reader.w[parts.used - 1].end :].strip() if parts.used else rest
        if leftover and "/" in leftover.split()[-1]:
            read_zone(leftover.split()[-1])  # an unknown zone name: say so, with suggestions
        if parts.date is not None or parts.exact or leftover or parts.hint:
            raise Refusal(
                UNREADABLE,
                f"I couldn't read “{echo(leftover or rest)}” in that schedule: give the days, "
                "a time and (if you like) a zone.",
                "every monday 9:00",
            )
        if parts.time is None and parts.zone is None:
            raise Refusal(UNREADABLE, f"I couldn't read “{echo(rest)}”.", "daily 9:00")
        if parts.time is not None:
            zone_said = "" if parts.zone is None else parts.zone.said or parts.zone.name
            if parts.time.bare:
                raise am_or_pm(parts.time.hour, said, zone_said)
            if parts.time.h24:
                raise Refusal(
                    IMPOSSIBLE,
                    "24:00 is the very end of a day: please write 23:59, or 00:00.",
                    " ".join(x for x in (said, "23:59", zone_said) if x),
                )
            at = time(parts.time.hour, parts.time.minute)
        if parts.zone is not None:
            zone = parts.zone
    anchor = now.astimezone(zone.tzinfo).date()
    if cadence.unit == "day" and cadence.every == 1:
        cadence = Cadence(1, "week", EVERY_DAY)
    elif cadence.unit == "week" and not cadence.weekdays:
        if cadence.every == 1:
            raise Refusal(
                VAGUE,
                "Which day of the week? For example “every monday 9:00”.",
                "every monday 9:00",
            )
        cadence = Cadence(cadence.every, "week", (anchor.weekday(),))
    if cadence.unit == "week" and cadence.every == 1 and set(cadence.weekdays) == set(EVERY_DAY):
        cadence = Cadence(1, "week", EVERY_DAY)
    if cadence.weekdays and cadence.unit != "week":
        raise Refusal(CONFLICT, "Pick days of the week or every N days, not both.", "daily 9:00")
    return Cadence(
        cadence.every,
        cadence.unit,
        cadence.weekdays,
        at=at,
        zone=zone,
        anchor=anchor if cadence.every > 1 else None,
    )
