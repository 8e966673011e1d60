"""Amounts of time: "2 weeks", "90 minutes", "an hour and a half", "3d", "1h30m".

Shared by "in 2 weeks" (moments), "every 3 days" (cadences) and the console's
``:advance 3d``. Every number is range-checked before any arithmetic, so
"in 1000000000 days" is a refusal, never an OverflowError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.when.refusals import EMPTY, TOO_FAR, UNREADABLE, VAGUE, Refusal, echo

UNITS = {
    "m": "minute",
    "min": "minute",
    "mins": "minute",
    "minute": "minute",
    "minutes": "minute",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "hour": "hour",
    "hours": "hour",
    "d": "day",
    "day": "day",
    "days": "day",
    "w": "week",
    "wk": "week",
    "wks": "week",
    "week": "week",
    "weeks": "week",
    "fortnight": "fortnight",
    "fortnights": "fortnight",
    "mo": "month",
    "month": "month",
    "months": "month",
    "quarter": "quarter",
    "quarters": "quarter",
    "y": "year",
    "yr": "year",
    "yrs": "year",
    "year": "year",
    "years": "year",
}
# Rough upper bounds in minutes, to refuse absurd amounts before any arithmetic.
_MINUTES = {
    "minute": 1,
    "hour": 60,
    "day": 1440,
    "week": 10080,
    "fortnight": 20160,
    "month": 44640,
    "quarter": 133920,
    "year": 527040,
}
NUMBER_WORDS = {
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
}
_VAGUE_AMOUNTS = {"few", "several", "some", "couple-ish"}
_GLUED = re.compile(r"^(\d{1,12})([a-z]+)$")
_CHAIN = re.compile(r"^(?:\d{1,12}[a-z]+){2,4}$")
_CHAIN_PART = re.compile(r"(\d{1,12})([a-z]+)")
LIMIT_MINUTES = 200 * 527040  # 200 years: anything more is refused before arithmetic


@dataclass(frozen=True)
class Amount:
    """``n`` of ``unit`` (minute, hour, day, week, month, year)."""

    n: int
    unit: str

    @property
    def exact(self) -> bool:
        """Minutes and hours are counted on the real clock; days and longer on the calendar."""
        return self.unit in ("minute", "hour")

    def words(self) -> str:
        return f"{self.n} {self.unit}" + ("" if self.n == 1 else "s")

    def minutes(self) -> int:
        return self.n * _MINUTES[self.unit]


def _number(word: str) -> int | None:
    if word.isascii() and word.isdigit() and len(word) <= 12:
        return int(word)
    if word.isascii() and word.isdigit():
        return 10**12  # far too many: range checks refuse it
    return NUMBER_WORDS.get(word)


def _normal(n: int, unit: str) -> Amount:
    if unit == "fortnight":
        return Amount(n * 2, "week")
    if unit == "quarter":
        return Amount(n * 3, "month")
    return Amount(n, unit)


def take_amounts(words: list[str], start: int) -> tuple[list[Amount], int] | None:
    """Amounts written at ``words[start:]``: ``2 weeks``, ``an hour and a half``, ``1h30m``.

    Returns (amounts, words used) or None when no amount starts there. Refuses vague
    ("a few days") and absurd ("1000000000 days") amounts.
    """
    amounts: list[Amount] = []
    i = start
    while i < len(words):
        got = _take_one(words, i)
        if got is None:
            break
        more, used = got
        amounts.extend(more)
        i += used
        if i < len(words) and words[i] == "and" and _take_one(words, i + 1):
            i += 1
            continue
        if i < len(words) and words[i][:1].isdecimal() and _take_one(words, i):
            continue  # "1w 2d", "3 hours 30 minutes"
        if words[i : i + 3] == ["and", "a", "half"] and amounts[-1] == Amount(1, "hour"):
            amounts[-1] = Amount(90, "minute")
            i += 3
        break
    if not amounts:
        return None
    if any(a.n <= 0 for a in amounts):
        raise Refusal(VAGUE, "That's no time at all: please give a number above zero.", "in 2 days")
    total = sum(a.minutes() for a in amounts)
    if total > LIMIT_MINUTES:
        raise Refusal(
            TOO_FAR,
            "That's further ahead than I can keep track of.",
            "in 2 weeks",
        )
    return amounts, i - start


def _take_one(words: list[str], i: int) -> tuple[list[Amount], int] | None:
    if i >= len(words):
        return None
    word = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if word in _VAGUE_AMOUNTS or (word == "a" and nxt in _VAGUE_AMOUNTS):
        raise Refusal(
            VAGUE, "How many, exactly? I'd rather not guess what “a few” means.", "in 3 days"
        )
    if word == "half" and nxt == "an" and i + 2 < len(words) and words[i + 2] == "hour":
        return [Amount(30, "minute")], 3
    if _CHAIN.match(word):
        parts = _CHAIN_PART.findall(word)
        if all(unit in UNITS for _, unit in parts):
            return [_normal(_number(n) or 0, UNITS[u]) for n, u in parts], 1
        return None
    glued = _GLUED.match(word)
    if glued and glued.group(2) in UNITS:
        return [_normal(_number(glued.group(1)) or 0, UNITS[glued.group(2)])], 1
    used = 0
    if word == "a" and nxt == "couple":
        word, nxt, used = "couple", words[i + 2] if i + 2 < len(words) else "", 1
    n = _number(word)
    if n is None:
        return None
    used += 1
    unit_word = nxt
    if word == "couple" and nxt == "of":
        unit_word = words[i + used + 1] if i + used + 1 < len(words) else ""
        used += 1
    if unit_word not in UNITS or (len(unit_word) == 1 and word.isalpha()):
        return None
    return [_normal(n, UNITS[unit_word])], used + 1


def read_duration(text: str, *, longest: timedelta = timedelta(days=366)) -> timedelta:
    """A plain amount of time ("3d", "2 hours", "1w 2d", "90m"), at most ``longest``.

    Months and years are refused (their length depends on when they start).
    """
    words = text.lower().replace(",", " ").split()
    if not words:
        raise Refusal(EMPTY, "How long?", "3d")
    got = take_amounts(words, 0)
    if got is None or got[1] != len(words):
        raise Refusal(UNREADABLE, f"I couldn't read “{echo(text)}” as an amount of time.", "3d")
    amounts, _ = got
    if any(a.unit in ("month", "year") for a in amounts):
        raise Refusal(
            VAGUE, "Months and years vary in length: please say it in days or weeks.", "30d"
        )
    total = timedelta(minutes=sum(a.minutes() for a in amounts))
    if total <= timedelta(0):
        raise Refusal(UNREADABLE, "That's no time at all: give an amount above zero.", "3d")
    if total > longest:
        raise Refusal(
            TOO_FAR,
            f"That's more than the {longest.days} days I can go at once.",
            f"{longest.days}d",
        )
    return total
