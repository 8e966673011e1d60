"""Reading when a follow-up is due: ``in 2 weeks``, ``on Dec 15``, ``every month``.

Follow-ups are about days, not minutes: a date without a time means 09:00 in the
person's own zone, so a reminder lands at the start of their day, not at midnight.
Dates are read in the user's zone with dateparser; the note is whatever follows the
date. Only words that can belong to a date are offered to dateparser, so ``on friday
about the referral`` keeps "about the referral" as the note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from bot.errors import UserError
from bot.features.followup import text as t
from bot.markup import fmt

MORNING = time(9, 0)
LONGEST = timedelta(days=5 * 366)

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple": 2,
    "few": 3,
    "other": 2,
}
_UNIT_WORDS = {
    "min": "minute",
    "mins": "minute",
    "minute": "minute",
    "minutes": "minute",
    "hr": "hour",
    "hrs": "hour",
    "hour": "hour",
    "hours": "hour",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "fortnight": "fortnight",
    "month": "month",
    "months": "month",
    "quarter": "quarter",
    "quarters": "quarter",
    "year": "year",
    "years": "year",
}
_ADVERBS = {
    "daily": (1, "day"),
    "weekly": (1, "week"),
    "biweekly": (2, "week"),
    "fortnightly": (2, "week"),
    "monthly": (1, "month"),
    "quarterly": (3, "month"),
    "yearly": (1, "year"),
    "annually": (1, "year"),
}
_TOKEN = re.compile(r"\S+")
_AMOUNT = re.compile(
    r"^(?:(\d+)|(a couple of|a couple|couple of|couple|a few|few|an|a|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|eleven|twelve|other))\b\s*",
    re.I,
)
_DATE_WORD = re.compile(
    r"^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?|today|tomorrow|tonight|noon|midnight|morning|afternoon"
    r"|evening|next|this|at|of|the|am|pm|a\.m\.|p\.m\.|week|month|year"
    r"|\d[\d:./\-T]*(?:st|nd|rd|th|am|pm|h)?)$",
    re.I,
)
_HAS_TIME = re.compile(
    r"\d:\d|\d\s*(?:am|pm|a\.m\.|p\.m\.|h\b)|\b(?:noon|midnight|tonight)\b", re.I
)
_NOTE_LEAD = re.compile(r"^[\s\-–—:,;]+")


@dataclass(frozen=True)
class Cadence:
    """How often a recurring follow-up comes back: ``n`` of ``unit`` (day … year)."""

    n: int
    unit: str

    def to_data(self) -> dict[str, Any]:
        return {"n": self.n, "unit": self.unit}

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Cadence | None:
        return cls(int(data["n"]), str(data["unit"])) if data else None

    def delta(self) -> relativedelta:
        return relativedelta(**{self.unit + "s": self.n})

    def words(self) -> str:
        if self.n == 1:
            return f"every {self.unit}"
        return f"every {self.n} {self.unit}s"


@dataclass(frozen=True)
class When:
    due: datetime
    every: Cadence | None
    note: str


# -- reading -------------------------------------------------------------------


def parse_when(text: str, now: datetime, zone: ZoneInfo, example: str | None = None) -> When:
    """Read ``in 2 weeks …``, ``on <date> …``, ``every month …`` (or a bare date) and a note."""
    text = text.strip()
    lower = text.lower()
    if not text:
        raise UserError(t.WHEN_HELP, example)
    first = lower.split()[0]
    if first == "every" or first in _ADVERBS:
        cadence, rest = _read_cadence(text, example)
        due = add_cadence(now, cadence, zone)
        return When(due, cadence, clean_note(rest))
    if first == "in":
        amount, unit, rest = _read_amount(text[2:], t.WHAT_IN, example)
        return When(_after(now, amount, unit, zone, example), None, clean_note(rest))
    explicit = first in ("on", "at")
    body = text.split(None, 1)[1] if explicit and len(text.split()) > 1 else text
    if explicit and body == text:
        raise UserError(t.WHEN_HELP, example)
    found = _read_date(body, now, zone)
    if found is None:
        raise UserError(fmt(t.BAD_DATE, text=_first_words(body)), example)
    due, rest = found
    return When(due, None, clean_note(rest))


def parse_every(text: str) -> Cadence:
    """``month``, ``2 weeks``, ``every other week``, ``monthly`` → a Cadence."""
    words = text.strip()
    first = words.split()[0].lower() if words.split() else ""
    if first != "every" and first not in _ADVERBS:
        words = "every " + words
    cadence, rest = _read_cadence(words)
    if rest.strip():
        raise UserError(fmt(t.BAD_EVERY, text=text))
    return cadence


def _read_cadence(text: str, example: str | None = None) -> tuple[Cadence, str]:
    first, _, rest = text.strip().partition(" ")
    if first.lower() in _ADVERBS:
        n, unit = _ADVERBS[first.lower()]
        return Cadence(n, unit), rest
    amount, unit, rest = _read_amount(rest, t.WHAT_EVERY, example, default=1)
    if unit in ("minute", "hour"):
        raise UserError(t.HOURLY, example)
    cadence = Cadence(amount, unit)
    if _rough(cadence) > LONGEST:
        raise UserError(t.TOO_FAR, example)
    return cadence, rest


def _read_amount(
    text: str, what: str, example: str | None, *, default: int | None = None
) -> tuple[int, str, str]:
    """``2 weeks rest`` → (2, "week", "rest"); fortnights and quarters become weeks and months."""
    text = text.strip()
    amount = default
    m = _AMOUNT.match(text)
    if m:
        words = (m.group(2) or "").lower().split()
        if m.group(1):
            amount = int(m.group(1))
        elif "couple" in words or "few" in words:
            amount = _NUMBERS["couple" if "couple" in words else "few"]
        else:
            amount = _NUMBERS[words[-1]]
        text = re.sub(r"^of\s+", "", text[m.end() :], flags=re.I)
    word, _, rest = text.partition(" ")
    unit = _UNIT_WORDS.get(word.lower().rstrip(",.;:"))
    if amount is None or unit is None:
        raise UserError(fmt(t.BAD_AMOUNT, what=what), example)
    if amount <= 0:
        raise UserError(fmt(t.ZERO_AMOUNT, what=what), example)
    if unit == "fortnight":
        amount, unit = amount * 2, "week"
    elif unit == "quarter":
        amount, unit = amount * 3, "month"
    return amount, unit, rest


def _after(now: datetime, amount: int, unit: str, zone: ZoneInfo, example: str | None) -> datetime:
    cadence = Cadence(amount, unit)
    if _rough(cadence) > LONGEST:
        raise UserError(t.TOO_FAR, example)
    return add_cadence(now, cadence, zone)


def _read_date(text: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, str] | None:
    """The longest run of date words at the start of ``text`` that dateparser reads."""
    import dateparser  # slow to import; only the commands that read dates need it

    tokens = list(_TOKEN.finditer(text))
    run = 0
    while run < min(len(tokens), 7) and _DATE_WORD.match(tokens[run].group(0).rstrip(",:;")):
        run += 1
    local_now = now.astimezone(zone)
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "TIMEZONE": zone.key,
        "RETURN_AS_TIMEZONE_AWARE": True,
    }
    for k in range(run, 0, -1):
        phrase = text[: tokens[k - 1].end()].rstrip(",:;")
        if not any(ch.isdigit() for ch in phrase) and not _has_date_name(phrase):
            continue
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
        if parsed is None:
            continue
        if not _HAS_TIME.search(phrase):
            parsed = datetime.combine(parsed.date(), MORNING, tzinfo=zone)
        else:
            parsed = parsed.replace(tzinfo=None).replace(tzinfo=zone)
        return parsed, text[tokens[k - 1].end() :]
    return None


def _has_date_name(phrase: str) -> bool:
    return any(
        _DATE_WORD.match(w) and w.lower() not in ("at", "of", "the", "this", "next", "am", "pm")
        for w in phrase.split()
    )


# -- arithmetic ------------------------------------------------------------------


def add_cadence(moment: datetime, cadence: Cadence, zone: ZoneInfo) -> datetime:
    """``moment`` plus the cadence, on that local day at 09:00 (days and longer)."""
    local = moment.astimezone(zone)
    if cadence.unit in ("minute", "hour"):
        return moment + timedelta(**{cadence.unit + "s": cadence.n})
    day = (local + cadence.delta()).date()
    return datetime.combine(day, MORNING, tzinfo=zone)


def _rough(cadence: Cadence) -> timedelta:
    """An upper bound of a cadence's length (to refuse absurd ones before any arithmetic)."""
    seconds = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800, "month": 2678400}
    return timedelta(seconds=seconds.get(cadence.unit, 31622400) * cadence.n)


def check_due(due: datetime, now: datetime, example: str | None = None) -> None:
    """A follow-up must be in the future, and not absurdly far away."""
    if due <= now:
        raise UserError(t.PAST, example)
    if due - now > LONGEST:
        raise UserError(t.TOO_FAR, example)


def clean_note(text: str) -> str:
    note = _NOTE_LEAD.sub("", text).strip()
    if len(note) >= 2 and note[0] in "\"“'" and note[-1] in "\"”'":
        note = note[1:-1].strip()
    return note


# -- showing -----------------------------------------------------------------------


def show(moment: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """``Tue 15 Dec, 09:00`` in ``zone`` (with the year when it isn't this year's)."""
    local = moment.astimezone(zone)
    same_year = now is None or now.astimezone(zone).year == local.year
    day = f"{local:%a} {local.day} {local:%b}" + ("" if same_year else f" {local.year}")
    return f"{day}, {local:%H:%M}"


def show_day(moment: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """``Tue 15 Dec`` in ``zone``."""
    return show(moment, zone, now).rsplit(",", 1)[0]


def _first_words(text: str, n: int = 4) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")
