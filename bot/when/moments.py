"""Reading a moment — a date and a time of day — the way members type it.

rapport reads times with its own small grammar (below) rather than handing the text
to dateparser, because dateparser's readings are often plausible and wrong, and a
coffee chat booked at the wrong hour is worse than a question. The rule is
**right or refused**: every reading is shown back with the rule that produced it,
and anything unclear is a :class:`~bot.when.refusals.Refusal` with a reason and an
example to copy.

What dateparser (1.2, ``PREFER_DATES_FROM=future``) gets wrong, and what rapport does
(clock: Tue 1 Dec 2026 10:00 in Berlin):

==========================  ========================  ====================================
Typed                       dateparser gives          rapport
==========================  ========================  ====================================
``15h`` / ``15h30``         15 hours from now         15:00 / 15:30 (24-hour time)
``next friday`` (on Tue)    Fri 4 Dec, this week's    Fri 11 Dec, "the Friday of next week"
``friday`` on a Friday      next week's, silently     refused: today or next week?
``12/10``                   10 Dec (US order)         refused unless the date order is
                                                      known; ``25/12`` reads one way only
``31 feb``, ``feb 31 3pm``  nothing, no reason        refused: "February has 28 days…"
``3pm EST`` in July         15:00 UTC-5 (fixed)       refused: New York is on EDT then;
                                                      ``3pm ET`` is New York time
``3pm IST``                 15:00 UTC+2 (Israel)      15:00 Asia/Kolkata, and says so
``3pm new york time``       nothing                   15:00 America/New_York
``Etc/GMT+1``               (tzdata: UTC-1)           refused; ``UTC+1`` is UTC+01:00
``tomorrow at 3``           tomorrow, current time    refused: 3am or 3pm?
``tomorrow 1500``           tomorrow, time dropped    refused: write 15:00
``tmrw 3pm``, ``midday``    nothing                   Wed 2 Dec 15:00 / 12:00
``tomorrow midnight``       Wed 00:00                 refused: midnight between which days?
``30 nov`` (on 1 Dec)       30 Nov 2027, silently     refused as past: add the year
``2027-03-28 02:30`` Berlin 02:30, which never        refused: the clocks skip it; 03:30?
                            happens
``2026-10-25 02:30`` Berlin one of two, silently      refused: happens twice; which offset?
``in 1000000000 days``      nothing                   refused: too far ahead (no overflow)
==========================  ========================  ====================================

Rules (each reading carries the ones it used in ``Moment.rules``):

* Time of day: ``15:00``, ``15.00``, ``3pm``, ``3 PM``, ``3.30pm``, ``3:30 p.m.``,
  ``15h``, ``15h30``, ``1500h``, ``noon``, ``midday``, ``midnight``; ``12am`` is 00:00
  and ``12pm`` is noon (both said back). A bare four-digit ``1500`` is refused (it reads
  as a year just as well); so are a bare ``at 3`` and ``3 o'clock`` unless "morning",
  "afternoon", "tonight"… settles it; ``1h``…``6h`` are refused (``in 3h``?).
* ``<weekday>`` / ``this <weekday>`` / ``on <weekday>``: the coming one. On that very
  weekday, ``this friday`` is today and a bare ``friday`` is refused (today or next
  week?). ``next <weekday>`` and ``<weekday> next week``: that day of next week
  (weeks start on Monday), so on Tue 1 Dec ``next friday`` is Fri 11 Dec.
* Dates without a year: this year's if still ahead, otherwise next year's — unless it
  passed less than 30 days ago, which is refused as past (probably a typo).
  ``the 20th`` is this month's 20th, or next month's once it has passed.
* Numeric dates (``12/10``, ``12.10.2027``): one policy for every command. With the
  member's ``date_order`` ("DMY" or "MDY") they are read that way; without it only a
  date that reads one way (``25/12``, ``5/5``) is accepted, and said back. Two-part
  dotted pairs (``15.30``) are times. ISO ``2026-12-15`` is always fine.
* DST: a wall-clock time the clocks skip is refused with the time an hour later; one
  that happens twice (fall back) is refused too, with the two offsets to choose from
  (``31 oct 02:30 UTC+2``; ``02:30 CEST`` / ``02:30 CET`` pick one). "in 3 hours" counts
  real time across a change. An abbreviation naming the season the place is *not* in
  that day ("3pm BST" in December) is refused: which hour was meant can't be known.
* Every example offered keeps the day (and zone) the member wrote, so it can be copied
  as it is: "31 oct 2:30" → "31 oct 02:30 UTC+2", "wed midnight" → "wed 23:59".
* A word after the time that can only be a zone is never left for the topic: an
  ``Area/Place`` that isn't one ("Europe/Pariss") is refused with suggestions, and a
  capitalised "Pacific"/"Eastern" is asked about. A range ("3pm-4pm") asks for one time.
* Past moments and moments beyond the caller's ``latest`` bound are refused.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.when.durations import Amount, take_amounts
from bot.when.refusals import (
    AMBIGUOUS,
    CONFLICT,
    DST_GAP,
    EMPTY,
    IMPOSSIBLE,
    NEEDS_TIME,
    PAST,
    TOO_FAR,
    UNREADABLE,
    VAGUE,
    ZONE,
    Refusal,
    echo,
)
from bot.when.zones import EXAMPLE as ZONE_EXAMPLE
from bot.when.zones import Zone, as_zone, join_signs, match_zone, out_of_season

DEFAULT_LATEST = timedelta(days=366)
MAX_WORDS = 40  # a "when" never needs more words than this; the rest is a topic or note
RECENT_PAST = timedelta(days=30)

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = {
    **{n.lower(): i for i, n in enumerate(WEEKDAY_NAMES)},
    **{n[:3].lower(): i for i, n in enumerate(WEEKDAY_NAMES)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
    "thu": 3,
}
MONTHS = {
    **{n.lower(): i + 1 for i, n in enumerate(MONTH_NAMES)},
    **{n[:3].lower(): i + 1 for i, n in enumerate(MONTH_NAMES)},
    "sept": 9,
}
_TOMORROW = {"tomorrow", "tmrw", "tmr", "tmw", "tomorow", "tommorow", "tommorrow", "2morrow"}
_FILLERS = {"at", "on", "@", ",", "around", "by"}
_MERIDIEM = {"am": "am", "a.m": "am", "pm": "pm", "p.m": "pm"}
_MORNING = {"morning"}
_LATER = {"afternoon", "evening", "night", "tonight"}

_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm|a\.m|p\.m)?$")
_CLOCK_SECONDS = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})$")
_H_CLOCK = re.compile(r"^(\d{1,2})h(\d{2})?$")
_MILITARY = re.compile(r"^(\d{2})(\d{2})(?:h|hrs|hours)$")
_FOUR_DIGITS = re.compile(r"^\d{4}$")
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:t(\d{1,2}):(\d{2})(?::\d{2})?z?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.])(\d{1,2})(?:\2(\d{2}|\d{4}))?$")
_DAY = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
_TOKEN = re.compile(r"[^\s,]+|,")
_ENDS = r"(\d{1,2}(?:[:.h]\d{2})?)\s*(am|pm|a\.m\.?|p\.m\.?)?"
_RANGE = re.compile(rf"^{_ENDS}\s*(?:-|–|—|to)\s*{_ENDS}$")
# After a time: the member's own clock said in words, and someone else's (whose?).
_OWN_CLOCK = re.compile(r"^\s*\(?(?:my|local)(?: own)? time\)?(?=$|[\s,.;:!?])", re.I)
_THEIR_CLOCK = re.compile(r"^\s*\(?(?:your|their|his|her|our) time\)?(?=$|[\s,.;:!?])", re.I)
# "15:00+01:00", "3pm+0100": an offset glued to the time ("-" may be a range instead).
_GLUED_OFFSET = re.compile(r"(?:(?<=\d:\d\d)|(?<=\dam)|(?<=\dpm))(\+\d{1,2}(?::?\d{2})?)\b", re.I)
_RANGE_WORDS = {"-", "–", "—", "to", "until", "till", "til"}
_STRICT_CLOCK = re.compile(r"^\d{1,2}(?:[:.h]\d{2}|\s*(?:am|pm|a\.m|p\.m))")


# -- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """An accepted reading: a moment (aware, UTC) and how it was read."""

    at: datetime  # aware, UTC
    zone: Zone  # the zone the words were read in (typed, or the member's)
    zone_typed: bool  # whether the zone was written in the text
    has_time: bool  # False when the time is a default (follow-ups: 09:00)
    rules: tuple[str, ...] = ()  # the rules used, e.g. "next friday = the Friday of next week"
    text: str = ""  # the words read

    @property
    def local(self) -> datetime:
        """The moment on the wall clock of ``zone``."""
        return self.at.astimezone(self.zone.tzinfo)

    @property
    def day(self) -> str:
        return WEEKDAY_NAMES[self.local.weekday()]

    @property
    def date(self) -> date:
        return self.local.date()

    @property
    def time(self) -> time:
        return self.local.time().replace(tzinfo=None)


# -- words ---------------------------------------------------------------------------


@dataclass
class _Word:
    raw: str  # as typed (capitals kept, for zone abbreviations)
    low: str  # lower case, trailing punctuation off
    end: int  # offset just after this word in the text
    dot: bool = False  # typed with a final dot ("15.12." is a date, "15.12" a time)


def _words(text: str) -> list[_Word]:
    out: list[_Word] = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        if raw.strip("!?.;:…") == "":
            continue  # "tomorrow 3pm !"
        low = raw.lower().replace("’", "'").rstrip("!?;:")
        if low not in ("a.m.", "p.m."):
            low = low.rstrip(".")
        low = low.replace("a.m.", "a.m").replace("p.m.", "p.m")
        if not low:
            low = raw
        out.append(_Word(raw.rstrip("!?;:.,") or raw, low, m.end(), raw.endswith(".")))
    return out


# -- parts -----------------------------------------------------------------------------


@dataclass
class _Date:
    kind: str  # "day" (a date), "weekday", "offset" (days), "month" (month arithmetic)
    day: date | None = None
    weekday: int | None = None
    which: str = ""  # weekday: "plain" | "this" | "next" | "this week" | "last"
    months: int = 0
    days: int = 0
    yearless: tuple[int, int] | None = None  # (month, day) without a year
    day_of_month: int | None = None  # "the 20th"
    numeric: tuple[int, int, int | None, str] | None = None  # a, b, year, typed
    ymd: tuple[int, int, int] | None = None  # written with a year (checked later)
    rule: str = ""


@dataclass
class _Time:
    hour: int
    minute: int
    bare: bool = False  # "at 3": needs am/pm from context
    typed: str = ""
    rule: str = ""
    midnight: bool = False
    h24: bool = False  # "24:00": the very end of a day
    soft: bool = False  # "9:30" without am/pm: "tonight at 9:30" may make it 21:30


@dataclass
class _Parts:
    date: _Date | None = None
    weekday_check: int | None = None  # "thu 3 dec": the weekday to check the date against
    time: _Time | None = None
    exact: list[Amount] = field(default_factory=list)  # "in 3 hours"
    zone: Zone | None = None
    hint: str = ""  # "am" | "pm" from morning / tonight…
    hint_word: str = ""
    used: int = 0  # words read
    typed: list[str] = field(default_factory=list)


class _Stop(Exception):
    """The grammar can't read the word here (the reading ends before it)."""


class _Reader:
    def __init__(self, words: list[_Word], now_year: int) -> None:
        self.w = words
        self.low = [w.low for w in words]
        self.raw = [w.raw for w in words]
        self.dots = [w.dot for w in words]
        self.parts = _Parts()
        self.year = now_year

    def at(self, i: int) -> str:
        return self.low[i] if i < len(self.low) else ""

    def read(self) -> _Parts:
        i = 0
        last_good = 0
        while i < len(self.low) and i < MAX_WORDS:
            step = self.step(i)
            if step == 0:
                break
            i += step
            if self.low[i - 1] not in _FILLERS:
                last_good = i
        self.parts.used = last_good
        return self.parts

    # One component at words[i:]: the number of words it used, 0 when none fits.
    def step(self, i: int) -> int:
        word = self.low[i]
        p = self.parts
        if word in _FILLERS:
            return 1
        if word == "in" and self.at(i + 1) in ("the",) and self.at(i + 2) in _MORNING | _LATER:
            return self._hint(self.at(i + 2), 3)
        if word == "in" and (p.time or p.date or p.exact) and not p.zone:
            found = self._zone(i, i + 1)
            if found:
                p.zone = found[0]
                return 1 + found[1]
        if word == "in" or (
            word.isascii()
            and word.isdigit()
            and self.at(i + 2) == "from"
            and self.at(i + 3) == "now"
        ):
            return self._relative(i)
        if word in ("today", "tonight"):
            if p.date:
                return 0
            p.date = _Date("offset", days=0, rule="")
            p.typed.append(word)
            if word == "tonight":
                self._hint("tonight", 0)
            return 1
        if word in _TOMORROW:
            if p.date:
                return 0
            p.date = _Date("offset", days=1, rule="")
            p.typed.append("tomorrow")
            return 1
        if word == "day" and self.at(i + 1) == "after" and self.at(i + 2) in _TOMORROW:
            if p.date:
                return 0
            p.date = _Date("offset", days=2, rule="the day after tomorrow")
            p.typed.append("day after tomorrow")
            return 3
        if word == "yesterday" or (word == "last" and self.at(i + 1) in WEEKDAYS):
            raise Refusal(PAST, "That's in the past: I can only plan ahead.", "tomorrow 3pm")
        if word in ("this", "next", "coming") or word in WEEKDAYS:
            used = self._weekday(i)
            if used:
                return used
        if word in ("this", "next") and self.at(i + 1) in _MORNING | _LATER and word == "this":
            return self._this_part(i)
        if word == "next" and self.at(i + 1) in ("week", "month", "year"):
            if p.date:
                return 0
            unit = self.at(i + 1)
            p.typed.append(f"next {unit}")
            if unit == "week":
                p.date = _Date("offset", days=7, rule="next week = in 7 days")
            else:
                months = 1 if unit == "month" else 12
                p.date = _Date("month", months=months, rule=f"next {unit} = in 1 {unit}")
            return 2
        if word in _MORNING | _LATER:
            return self._hint(word, 1)
        used = self._date(i)
        if used:
            return used
        self._range(i)
        used = self._time(i)
        if used:
            return used
        if not p.zone and (p.time or p.date):
            found = self._zone(i, i)
            if found:
                p.zone = found[0]
                return found[1]
        return 0

    # -- components --

    def said(self, i: int) -> str:
        """The words before word ``i``, as typed (for examples that keep them)."""
        return " ".join(r for r in self.raw[:i] if r != ",")

    def _zone(self, i: int, start: int) -> tuple[Zone, int] | None:
        """A zone at ``start``; a refusal's example keeps the words read before it."""
        try:
            return match_zone(self.raw, start, after_time=self.parts.time is not None)
        except Refusal as refusal:
            before = self.said(start)
            if refusal.kind == ZONE and refusal.suggestion == ZONE_EXAMPLE and start > 0:
                # Nothing close to it: the example leaves the zone out (the member's own).
                plain = before.split()
                while plain and plain[-1].lower() in ("in", "at"):
                    plain.pop()
                raise Refusal(
                    ZONE,
                    f"{refusal.reason} Or leave it out to use your own zone.",
                    " ".join(plain),
                ) from None
            if refusal.suggestion and start > 0:
                raise refusal.retried(f"{before} {refusal.suggestion}") from None
            raise

    def _range(self, i: int) -> None:
        """Refuse "3pm-4pm", "3-4pm", "3pm to 4pm": a chat needs one start time."""
        p = self.parts
        word = self.low[i]
        m = _RANGE.match(word)
        if m and (m.group(2) or m.group(4) or not m.group(1).isdigit()):
            start, meridiem = m.group(1), m.group(2) or ""
            if not meridiem and m.group(4) and start.isdigit():
                end_hour = int(re.split(r"[:.h]", m.group(3))[0])
                meridiem = m.group(4) if int(start) % 12 <= end_hour % 12 else ""
            start = start + meridiem.replace(".", "")
        elif word in _RANGE_WORDS and p.time is not None and self._clock_next(i + 1):
            start = ""
        elif word == "between" and (
            self._clock_next(i + 1) or (self.at(i + 1).isdigit() and self.at(i + 2) == "and")
        ):
            first = self.at(i + 1)
            if first.isdigit():  # "between 3 and 4pm": the end's am/pm
                ends = [re.search(r"(am|pm)$", w) for w in self.low[i + 2 : i + 5]]
                meridiem = next((m.group(1) for m in ends if m), "")
                first += meridiem or ":00"
            start = first
        elif word == "or" and p.time is not None and self._clock_next(i + 1):
            example = self.said(i) or "tomorrow 3pm"
            raise Refusal(
                CONFLICT,
                "Please pick one time rather than two: which suits you best?",
                example,
            )
        else:
            return
        example = " ".join(x for x in (self.said(i), start) if x) or "tomorrow 3pm"
        raise Refusal(
            CONFLICT,
            "Please give one start time rather than a range: when should it begin?",
            example,
        )

    def _clock_next(self, j: int) -> bool:
        word = self.at(j)
        if not word:
            return False
        if _STRICT_CLOCK.match(word) or word in ("noon", "midday", "midnight"):
            return True
        return (
            word.isdigit()
            and int(word) <= 24
            and (j + 1 >= len(self.low) or self.at(j + 1) in _MERIDIEM)
        )

    def _hint(self, word: str, used: int) -> int:
        hint = "am" if word in _MORNING else "pm"
        p = self.parts
        if p.hint and p.hint != hint:
            raise Refusal(CONFLICT, f"“{p.hint_word}” and “{word}” don't agree.", "tomorrow 9am")
        p.hint, p.hint_word = hint, word
        return used

    def _this_part(self, i: int) -> int:
        if self.parts.date:
            return 0
        self.parts.date = _Date("offset", days=0)
        self.parts.typed.append("today")
        return self._hint(self.at(i + 1), 2)

    def _relative(self, i: int) -> int:
        p = self.parts
        start = i + 1 if self.low[i] == "in" else i
        got = take_amounts(self.low, start)
        if got is None:
            return 0
        amounts, used = got
        end = start + used
        if self.low[i] != "in":
            end += 2  # "from now"
        elif self.at(end) in ("time", "'s", "from") or self.at(end).endswith("'"):
            end += 2 if self.at(end) == "from" and self.at(end + 1) == "now" else 1
        if p.date or p.exact:
            raise Refusal(CONFLICT, "That has two dates in it: which one?", "in 2 days at 10am")
        if any(a.exact for a in amounts):
            if any(not a.exact for a in amounts):
                raise Refusal(
                    VAGUE,
                    "Please say it in days and a time, or in hours and minutes.",
                    "in 2 days at 10am",
                )
            p.exact = amounts
        else:
            days = sum(
                a.n * (7 if a.unit == "week" else 1) for a in amounts if a.unit in ("day", "week")
            )
            months = sum(
                a.n * (12 if a.unit == "year" else 1)
                for a in amounts
                if a.unit in ("month", "year")
            )
            said = " and ".join(a.words() for a in amounts)
            p.date = _Date(
                "month" if months else "offset", days=days, months=months, rule=f"in {said}"
            )
            p.typed.append(f"in {said}")
        return end - i

    def _weekday(self, i: int) -> int:
        p = self.parts
        word = self.low[i]
        which = "plain"
        j = i
        if word in ("this", "next", "coming"):
            if self.at(i + 1) == "coming":
                j += 1
            which = "next" if word == "next" else "this"
            j += 1
        day = WEEKDAYS.get(self.at(j))
        if day is None:
            return 0
        used = j + 1 - i
        if self.at(j + 1) in ("next", "this") and self.at(j + 2) == "week":
            if which != "plain":
                raise Refusal(CONFLICT, "“next” or “this”? Please pick one.", "next friday 3pm")
            which = "next" if self.at(j + 1) == "next" else "this week"
            used += 2
        if p.date and p.date.kind == "day" and p.weekday_check is None and which == "plain":
            p.weekday_check = day
            return used
        if p.date or p.weekday_check is not None:
            return 0
        if which == "plain" and self._date(i + used, probe=True):
            p.weekday_check = day
            p.typed.append(" ".join(self.low[i : i + used]))
            return used
        p.date = _Date("weekday", weekday=day, which=which)
        p.typed.append(" ".join(self.low[i : i + used]))
        return used

    def _date(self, i: int, *, probe: bool = False) -> int:
        """Absolute dates: ISO, numeric, "15 dec", "dec 15th", "the 15th of december"."""
        p = self.parts
        word = self.low[i] if i < len(self.low) else ""
        if not word:
            return 0
        found: _Date | None = None
        used = 0
        iso = _ISO.match(word)
        numeric = _NUMERIC.match(word)
        if iso:
            y, m, d = int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
            found, used = _Date("day", ymd=(y, m, d)), 1
            if iso.group(4) is not None and not probe:
                if p.time:
                    raise Refusal(
                        CONFLICT, "That has two times in it: which one?", "2026-12-15 15:00"
                    )
                p.time = _checked(int(iso.group(4)), int(iso.group(5)), word)
        elif numeric and (numeric.group(2) == "/" or numeric.group(4) or self.dots[i]):
            a, b = int(numeric.group(1)), int(numeric.group(3))
            year = numeric.group(4)
            y = None if year is None else (int(year) + 2000 if len(year) == 2 else int(year))
            found, used = _Date("day", numeric=(a, b, y, word)), 1
        else:
            j = i + (1 if word == "the" else 0)
            day = _DAY.match(self.at(j))
            if day and self.at(j + 1) == "of" and self.at(j + 2) in MONTHS:
                month, d, used = MONTHS[self.at(j + 2)], int(day.group(1)), j + 3 - i
            elif day and self.at(j + 1) in MONTHS:
                month, d, used = MONTHS[self.at(j + 1)], int(day.group(1)), j + 2 - i
            elif word in MONTHS:
                k = i + 1 + (1 if self.at(i + 1) == "the" else 0)
                day = _DAY.match(self.at(k))
                if day and self.at(k + 1) in _MERIDIEM:
                    day = None  # "dec 3 pm": a time, not a day
                if not day:
                    if _FOUR_DIGITS.match(self.at(i + 1)) and not probe:
                        raise Refusal(
                            VAGUE,
                            f"Which day of {MONTH_NAMES[MONTHS[word] - 1]}?",
                            f"15 {MONTH_NAMES[MONTHS[word] - 1][:3].lower()} 3pm",
                        )
                    return 0
                month, d, used = MONTHS[word], int(day.group(1)), k + 1 - i
            elif day and day.group(2) and (word == "the" or not probe):
                if probe:
                    return 0
                found, used = _Date("day", day_of_month=int(day.group(1))), j + 1 - i
                month = d = 0
            else:
                return 0
            if found is None:
                year: int | None = None
                comma = 1 if self.at(i + used) == "," else 0
                nxt = self.at(i + used + comma)
                if _FOUR_DIGITS.match(nxt) and 1900 <= int(nxt) <= 2199:
                    year, used = int(nxt), used + comma + 1
                found = (
                    _Date("day", ymd=(year, month, d))
                    if year is not None
                    else _Date("day", yearless=(month, d))
                )
        if probe:
            return used
        if p.date:
            if p.date.kind == "weekday" and p.date.which == "plain" and p.weekday_check is None:
                p.weekday_check = p.date.weekday
            else:
                raise Refusal(CONFLICT, "That has two dates in it: which one?", "friday 3pm")
        p.date = found
        p.typed.append(" ".join(self.low[i : i + used]))
        return used

    def _time(self, i: int) -> int:
        p = self.parts
        word = self.low[i]
        nxt = self.at(i + 1)
        got: _Time | None = None
        used = 1
        if word in ("noon", "midday") or (word == "12" and nxt == "noon"):
            got = _Time(12, 0, typed=word)
            used = 2 if word == "12" else 1
        elif word == "midnight":
            got = _Time(0, 0, typed=word, midnight=True)
        elif _CLOCK_SECONDS.match(word):
            m = _CLOCK_SECONDS.match(word)
            assert m is not None
            got = _checked(int(m.group(1)), int(m.group(2)), word)
        elif _H_CLOCK.match(word):
            m = _H_CLOCK.match(word)
            assert m is not None
            hour = int(m.group(1))
            if m.group(2) is None and hour <= 6 and not p.time:
                raise Refusal(
                    VAGUE,
                    f"Did you mean {hour}:00 in the morning, or in {hour} hours? "
                    "I read “15h” as 15:00.",
                    f"in {hour} hours",
                )
            got = _checked(hour, int(m.group(2) or 0), word, rule=f"{word} = 24-hour time")
        elif _MILITARY.match(word):
            m = _MILITARY.match(word)
            assert m is not None
            got = _checked(int(m.group(1)), int(m.group(2)), word)
        elif _FOUR_DIGITS.match(word):
            if p.time:
                return 0
            raise Refusal(
                VAGUE,
                f"Is “{word}” a time? Please write it with a colon so it can't be a year.",
                f"{word[:2]}:{word[2:]}",
            )
        elif _CLOCK.match(word):
            m = _CLOCK.match(word)
            assert m is not None
            hour, minute = int(m.group(1)), int(m.group(2) or 0)
            meridiem = _MERIDIEM.get(m.group(3) or "")
            if meridiem is None and nxt in _MERIDIEM:
                meridiem, used = _MERIDIEM[nxt], 2
            elif meridiem is None and nxt in ("o'clock", "oclock"):
                used = 2
            if meridiem:
                got = _meridiem(hour, minute, meridiem, " ".join(self.low[i : i + used]))
            elif m.group(2) is not None:
                got = _checked(hour, minute, word)
                got.soft = 1 <= hour <= 11
            else:
                if p.time or (
                    self.at(i - 1) not in ("at", "@") and used == 1 and not self._ends(i + 1)
                ):
                    return 0
                if hour > 23:
                    return 0
                got = _Time(hour, 0, bare=hour <= 12, typed=" ".join(self.low[i : i + used]))
        if got is None:
            return 0
        if p.time:
            raise Refusal(
                CONFLICT,
                f"That has two times in it (“{p.time.typed}” and “{got.typed}”): which one?",
                "tomorrow 3pm",
            )
        p.time = got
        return used

    def _ends(self, i: int) -> bool:
        """Whether the reading could end at word ``i`` (a bare "3" at the very end)."""
        if i >= len(self.low):
            return True
        word = self.low[i]
        return (
            word in _MORNING | _LATER | {"in", "tomorrow", "today", "tonight"} or word in WEEKDAYS
        )


def _checked(hour: int, minute: int, typed: str, rule: str = "") -> _Time:
    if hour == 24 and minute == 0:
        return _Time(0, 0, typed=typed, h24=True)  # refused once the day is known
    if hour > 23 or minute > 59:
        raise Refusal(IMPOSSIBLE, f"“{typed}” isn't a time of day.", "15:30")
    return _Time(hour, minute, typed=typed, rule=rule)


def _meridiem(hour: int, minute: int, meridiem: str, typed: str) -> _Time:
    if minute > 59 or hour == 0 or hour > 12:
        if 13 <= hour <= 23 and minute <= 59:
            raise Refusal(
                IMPOSSIBLE,
                f"“{typed}” mixes the 24-hour clock with am/pm.",
                f"{hour}:{minute:02d}",
            )
        raise Refusal(IMPOSSIBLE, f"“{typed}” isn't a time of day.", "3pm")
    rule = ""
    if hour == 12:
        rule = "12am = midnight at the start of the day" if meridiem == "am" else "12pm = noon"
    hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return _Time(hour, minute, typed=typed, rule=rule)


# -- making sense of the parts --------------------------------------------------------------


def _add_months(day: date, months: int) -> tuple[date, bool]:
    """``day`` plus ``months``, clamped to the month's end (31 Jan + 1 month = 28 Feb)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    if year > 9998:
        raise Refusal(TOO_FAR, "That's further ahead than I can keep track of.", "in 2 weeks")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last)), day.day > last


def _real_date(year: int, month: int, day: int, typed: str) -> date:
    if not 1 <= month <= 12:
        raise Refusal(IMPOSSIBLE, f"There's no month {month} in “{echo(typed)}”.", "15 dec")
    if not 1 <= year <= 9998:
        raise Refusal(TOO_FAR, "That's further ahead than I can keep track of.", "15 dec")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = MONTH_NAMES[month - 1]
        why = f"February has {last} days in {year}" if month == 2 else f"{name} has {last} days"
        raise Refusal(
            IMPOSSIBLE,
            f"{why}, so “{echo(typed)}” doesn't exist.",
            f"{last} {name[:3].lower()}",
        )
    return date(year, month, day)


def _past_either_way(a: int, b: int, year: int, today: date) -> bool:
    """Whether ``a/b/year`` read day-first has passed while month-first has not."""
    try:
        return date(year, b, a) < today <= date(year, a, b)
    except ValueError:
        return False


def _numeric(
    a: int, b: int, year: int | None, typed: str, order: str | None
) -> tuple[int, int, str]:
    """(month, day, rule) for ``a/b`` under the one numeric-date policy."""
    as_dmy = 1 <= b <= 12 and 1 <= a <= 31
    as_mdy = 1 <= a <= 12 and 1 <= b <= 31
    if as_dmy and as_mdy and a != b:
        if order == "DMY":
            return b, a, f"{typed} = {a} {MONTH_NAMES[b - 1]} (your dates are day/month)"
        if order == "MDY":
            return a, b, f"{typed} = {MONTH_NAMES[a - 1]} {b} (your dates are month/day)"
        raise Refusal(
            AMBIGUOUS,
            f"“{typed}” could be {a} {MONTH_NAMES[b - 1]} or {MONTH_NAMES[a - 1]} {b}. "
            "Please write the month as a word.",
            f"{a} {MONTH_NAMES[b - 1][:3].lower()}" + (f" {year}" if year else ""),
        )
    if as_dmy and as_mdy:  # 5/5
        return a, b, ""
    if as_dmy:
        return b, a, f"{typed} can only be {a} {MONTH_NAMES[b - 1]}"
    if as_mdy:
        return a, b, f"{typed} can only be {MONTH_NAMES[a - 1]} {b}"
    raise Refusal(IMPOSSIBLE, f"“{typed}” isn't a date I can read either way round.", "15 dec")


def _localize(
    day: date, at: time, zone: Zone, typed: bool, day_words: str = "", zone_words: str = ""
) -> tuple[datetime, str]:
    """The aware moment for a wall-clock time; refuses times DST skips or repeats.

    ``day_words`` is the day as the member wrote it ("31 oct", "tomorrow") and
    ``zone_words`` the zone they wrote, if any: the refusal's example keeps them, so
    copying the example never moves the day. A repeated time written with a one-season
    abbreviation ("02:30 CET") is the one of that season."""
    tz: tzinfo = zone.tzinfo
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first, ""
    shown = f"{WEEKDAY_NAMES[day.weekday()][:3]} {day.day} {MONTH_NAMES[day.month - 1][:3]}"
    words = day_words or f"{day.day} {MONTH_NAMES[day.month - 1][:3].lower()} {day.year}"
    back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if back != naive:  # a gap: the clocks jump over this time
        later = (first.astimezone(UTC)).astimezone(tz)
        if not typed:
            return later, f"{at:%H:%M} doesn't exist that day (clocks go forward): {later:%H:%M}"
        raise Refusal(
            DST_GAP,
            f"{at:%H:%M} doesn't exist on {shown} in {zone.name}: the clocks jump forward "
            f"over it. Did you mean {later:%H:%M}?",
            " ".join(x for x in (words, f"{later:%H:%M}", zone_words) if x),
        )
    a, b = _offset(first.utcoffset()), _offset(second.utcoffset())
    if zone.summer is not None:
        chosen = first if bool(first.dst()) == zone.summer else second
        said = zone.said.upper()
        return chosen, f"{at:%H:%M} {said} = the {at:%H:%M} at {_offset(chosen.utcoffset())}"
    if not typed:
        return first, f"{at:%H:%M} happens twice that day: the first one ({a})"
    raise Refusal(
        AMBIGUOUS,
        f"{at:%H:%M} happens twice on {shown} in {zone.name} (the clocks go back). "
        f"Which one: {at:%H:%M} {a} or {at:%H:%M} {b}?",
        f"{words} {at:%H:%M} {a}",
    )


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def _show_day(day: date, this_year: int | None = None) -> str:
    """``Wed 2 Dec`` (``Fri 1 Dec 2036`` when ``this_year`` is given and differs)."""
    text = f"{WEEKDAY_NAMES[day.weekday()][:3]} {day.day} {MONTH_NAMES[day.month - 1][:3]}"
    return text if this_year in (None, day.year) else f"{text} {day.year}"


_HINT_EXAMPLE = {"morning": "9am", "afternoon": "3pm", "evening": "7pm"}


def am_or_pm(hour: int, before: str = "", after: str = "") -> Refusal:
    """Refuse a bare hour ("at 9"), suggesting the likelier reading with the words
    ``before`` and ``after`` it kept: a morning for 7 to 11, an afternoon for 1 to 6."""

    def example(clock: str) -> str:
        return " ".join(x for x in (before.strip(), clock, after.strip()) if x)

    if hour == 12:
        return Refusal(VAGUE, "12 noon or midnight? Please write 12pm or 00:00.", example("12pm"))
    if hour == 0:
        return Refusal(VAGUE, "Midnight? Please write 00:00.", example("00:00"))
    likely = "am" if 7 <= hour <= 11 else "pm"
    return Refusal(
        VAGUE,
        f"{hour} in the morning or in the afternoon? Please add am or pm: {hour}am or {hour}pm.",
        example(f"{hour}{likely}"),
    )


class _Resolver:
    def __init__(
        self,
        parts: _Parts,
        *,
        member_zone: Zone,
        now: datetime,
        need_time: bool,
        default_time: time | None,
        date_order: str | None,
        latest: timedelta,
        typed_text: str,
    ) -> None:
        self.p = parts
        self.zone = parts.zone or member_zone
        self.now = now
        self.local_now = now.astimezone(self.zone.tzinfo)
        self.today = self.local_now.date()
        self.need_time = need_time
        self.default_time = default_time
        self.order = date_order
        self.latest = latest
        self.text = typed_text
        self.rules: list[str] = []
        if parts.zone and parts.zone.note:
            self.rules.append(parts.zone.note)

    # -- examples that keep what the member wrote --

    def _day_words(self, day: date) -> str:
        """The day as typed ("31 oct", "tomorrow", "wed"), or one that names it exactly."""
        if self.p.typed:
            return " ".join(self.p.typed)
        if day == self.today:
            return "today"
        if day == self.today + timedelta(days=1):
            return "tomorrow"
        month = MONTH_NAMES[day.month - 1][:3].lower()
        return f"{day.day} {month}" + ("" if day.year == self.today.year else f" {day.year}")

    def _zone_words(self) -> str:
        zone = self.p.zone
        return "" if zone is None else (zone.said or zone.name)

    def _example(self, day_words: str, clock: str) -> str:
        return " ".join(x for x in (day_words, clock, self._zone_words()) if x)

    def _far_example(self) -> str:
        return "in 2 weeks at 3pm" if self.need_time else "in 2 weeks"

    def moment(self) -> Moment:
        p = self.p
        if p.exact:
            if p.time:
                raise Refusal(
                    CONFLICT,
                    f"“in {p.exact[0].words()}” and “{p.time.typed}” don't go together.",
                    "in 2 hours",
                )
            minutes = sum(a.minutes() for a in p.exact)
            at = (self.now + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
            self.rules.append(f"in {' and '.join(a.words() for a in p.exact)} from now")
            return self._checked(at, True)
        at_time = self._time_of_day()
        day = self._day(at_time)
        self._midnight(day)
        if at_time is None:
            if self.need_time or self.default_time is None:
                self._reachable(day)
                raise Refusal(
                    NEEDS_TIME,
                    f"What time on {_show_day(day, self.today.year)}? Please add a time of day.",
                    self._example(self._day_words(day), "3pm"),
                )
            at_time = self.default_time
            has_time = False
            self.rules.append(f"no time given: {at_time:%H:%M}")
        else:
            has_time = True
        moment, note = _localize(
            day, at_time, self.zone, has_time, self._day_words(day), self._zone_words()
        )
        if note:
            self.rules.append(note)
        self._in_season(moment, day)
        return self._checked(moment.astimezone(UTC), has_time)

    def _midnight(self, day: date) -> None:
        """Refuse "wed midnight" and "24:00", keeping the day in the example."""
        t = self.p.time
        if t is None or not (t.h24 or (t.midnight and self.p.date is not None)):
            return
        words = self._day_words(day)
        shown = _show_day(day, self.today.year)
        if t.h24:
            raise Refusal(
                IMPOSSIBLE,
                f"24:00 is the very end of {shown}: please write 23:59, or 00:00 on the next day.",
                self._example(words, "23:59"),
            )
        raise Refusal(
            AMBIGUOUS,
            f"Midnight at the start or at the end of {shown}? Please write 00:00 for its "
            "start or 23:59 for its end.",
            self._example(words, "23:59"),
        )

    def _reachable(self, day: date) -> None:
        """A day already gone or beyond the bound is said before asking for a time."""
        if day < self.today:
            raise Refusal(
                PAST,
                f"{_show_day(day, self.today.year)} has already passed: I can only plan ahead.",
                "tomorrow 3pm" if self.need_time else "tomorrow",
            )
        if day > (self.local_now + self.latest).date():
            raise Refusal(
                TOO_FAR,
                f"That's more than {self.latest.days} days ahead: please pick a closer date.",
                self._far_example(),
            )

    def _in_season(self, moment: datetime, day: date) -> None:
        """Refuse "3pm BST" in December, "3pm EST" in July: the abbreviation names the
        season the place is not in that day, so the hour meant can't be sure."""
        zone = self.p.zone
        if zone is None:
            return
        local = moment.astimezone(zone.tzinfo)
        now_abbr = out_of_season(zone, local)
        if not now_abbr:
            return
        said = zone.said.upper()
        season = "summer" if zone.summer else "standard"
        pattern = re.compile(rf"\b{re.escape(zone.said)}(?:\s+time)?\b", re.I)
        place_text = pattern.sub(lambda _m: zone.name, self.text, count=1)
        season_text = pattern.sub(lambda _m: now_abbr, self.text, count=1)
        raise Refusal(
            ZONE,
            f"{said} is {season} time, but on {_show_day(day, self.today.year)} "
            f"{zone.place} is on {now_abbr} ({_offset(local.utcoffset())}), so I can't be "
            f"sure which hour you mean. For {zone.place} time that day, write the place "
            f"(or “{season_text}”).",
            place_text,
        )

    def _checked(self, at: datetime, has_time: bool) -> Moment:
        if at <= self.now:
            local = at.astimezone(self.zone.tzinfo)
            raise Refusal(
                PAST,
                f"{_show_day(local.date())} {local:%H:%M} ({self.zone.name}) has already passed: "
                f"it's {self.local_now:%H:%M} on {_show_day(self.today)} there now.",
                "tomorrow 3pm",
            )
        if at - self.now > self.latest:
            raise Refusal(
                TOO_FAR,
                f"That's more than {self.latest.days} days ahead: please pick a closer date.",
                self._far_example(),
            )
        return Moment(
            at=at,
            zone=self.zone,
            zone_typed=self.p.zone is not None,
            has_time=has_time,
            rules=tuple(self.rules),
            text=self.text,
        )

    def _time_of_day(self) -> time | None:
        p = self.p
        t = p.time
        day_words = " ".join(p.typed)
        if t is None:
            if p.hint:
                clock = _HINT_EXAMPLE.get(p.hint_word, "8pm" if p.hint == "pm" else "9am")
                raise Refusal(
                    VAGUE,
                    f"“{p.hint_word}” is a bit vague: what time exactly?",
                    self._example(day_words or "tomorrow", clock),
                )
            return None
        if t.midnight or t.h24:
            return time(0, 0)  # "wed midnight", "24:00": refused once the day is known
        hour = t.hour
        if t.bare or (t.soft and p.hint == "pm"):
            if p.hint == "am" and 1 <= hour <= 12:
                hour = hour % 12
            elif p.hint == "pm" and 1 <= hour <= 11:
                hour += 12
            elif p.hint == "pm" and hour == 12:
                pass
            else:
                raise am_or_pm(t.hour, day_words, self._zone_words())
            self.rules.append(f"{t.typed} {p.hint_word} = {hour:02d}:{t.minute:02d}")
        elif p.hint and (p.hint == "am") != (hour < 12):
            raise Refusal(
                CONFLICT,
                f"“{t.typed}” and “{p.hint_word}” don't agree.",
                self._example(day_words, t.typed),
            )
        if t.rule:
            self.rules.append(t.rule)
        return time(hour, t.minute)

    def _day(self, at_time: time | None) -> date:
        p = self.p
        d = p.date
        today = self.today
        if d is None:
            if p.time and p.time.midnight:
                self.rules.append(f"midnight = the start of {_show_day(today + timedelta(1))}")
                return today + timedelta(days=1)
            if p.time is None:
                raise Refusal(UNREADABLE, "When? I found no day or time in that.", "tomorrow 3pm")
            self.rules.append(f"{p.time.typed} = today")
            return today
        if d.kind == "offset":
            if d.days > 366 * 200:
                raise Refusal(
                    TOO_FAR, "That's further ahead than I can keep track of.", "in 2 weeks"
                )
            day = today + timedelta(days=d.days)
            if d.rule:
                self.rules.append(d.rule)
            return day
        if d.kind == "month":
            day, clamped = _add_months(today, d.months)
            if d.days:
                day += timedelta(days=d.days)
            rule = d.rule
            if clamped:
                rule += f" (the month is shorter: {_show_day(day)})"
            self.rules.append(rule)
            return day
        if d.kind == "weekday":
            return self._weekday(d, at_time)
        day = self._calendar_day(d)
        if p.weekday_check is not None and day.weekday() != p.weekday_check:
            raise Refusal(
                IMPOSSIBLE,
                f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year} is a "
                f"{WEEKDAY_NAMES[day.weekday()]}, not a {WEEKDAY_NAMES[p.weekday_check]}.",
                f"{WEEKDAY_NAMES[day.weekday()][:3].lower()} {day.day} "
                f"{MONTH_NAMES[day.month - 1][:3].lower()}",
            )
        return day

    def _weekday(self, d: _Date, at_time: time | None) -> date:
        assert d.weekday is not None
        today = self.today
        name = WEEKDAY_NAMES[d.weekday]
        ahead = (d.weekday - today.weekday()) % 7
        if d.which == "next":
            monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
            day = monday + timedelta(days=d.weekday)
            self.rules.append(f"next {name.lower()} = the {name} of next week ({_show_day(day)})")
            return day
        if d.which == "this week":
            day = today + timedelta(days=d.weekday - today.weekday())
            self.rules.append(f"{name.lower()} this week = {_show_day(day)}")
            return day
        if ahead == 0 and d.which == "plain":
            raise Refusal(
                AMBIGUOUS,
                f"Today is {name}: do you mean today, or {name} next week?",
                "today 3pm" if at_time is None else f"today {at_time:%H:%M}",
            )
        day = today + timedelta(days=ahead)
        label = "today" if ahead == 0 else f"the coming {name}"
        self.rules.append(f"{name.lower()} = {label} ({_show_day(day)})")
        return day

    def _calendar_day(self, d: _Date) -> date:
        today = self.today
        typed = " ".join(self.p.typed) or self.text
        if d.numeric is not None:
            a, b, year, typed_num = d.numeric
            try:
                month, dom, rule = _numeric(a, b, year, typed_num, self.order)
            except Refusal as refusal:
                if refusal.kind != AMBIGUOUS or not refusal.suggestion:
                    raise
                if year is not None and _past_either_way(a, b, year, self.today):
                    # 12/10/2026 on 1 Dec 2026: 12 October has passed, 10 December not.
                    refusal = Refusal(
                        AMBIGUOUS, refusal.reason, f"{b} {MONTH_NAMES[a - 1][:3].lower()} {year}"
                    )
                # The whole reading with the date spelt out: "12 oct 2026 3pm".
                whole = re.sub(
                    rf"(?<![\d/.]){re.escape(typed_num)}(?![\d/.])",
                    refusal.suggestion,
                    self.text,
                    count=1,
                    flags=re.I,
                )
                if self.p.time is None and self.need_time:
                    whole += " 3pm"
                raise refusal.retried(whole) from None
            if rule:
                self.rules.append(rule)
            if year is not None:
                return _real_date(year, month, dom, typed_num)
            return self._yearless(month, dom, typed_num)
        if d.ymd is not None:
            y, m, dd = d.ymd
            return _real_date(y, m, dd, typed)
        if d.yearless is not None:
            return self._yearless(*d.yearless, typed)
        assert d.day_of_month is not None
        dom = d.day_of_month
        year, month = today.year, today.month
        if dom < today.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        day = _real_date(year, month, dom, typed)
        self.rules.append(f"the {typed.removeprefix('the ')} = {_show_day(day)}")
        return day

    def _yearless(self, month: int, dom: int, typed: str) -> date:
        today = self.today
        if not 1 <= month <= 12:
            return _real_date(today.year, month, dom, typed)
        if dom < 1 or dom > 31 or (month != 2 and dom > calendar.monthrange(2001, month)[1]):
            return _real_date(today.year, month, dom, typed)
        last = calendar.monthrange(today.year, month)[1]
        this_year = date(today.year, month, min(dom, last))
        if this_year >= today and dom <= last:
            return this_year
        if this_year < today and today - this_year < RECENT_PAST:
            raise Refusal(
                PAST,
                f"{dom} {MONTH_NAMES[month - 1]} has just passed. If you mean next year's, "
                "add the year.",
                f"{dom} {MONTH_NAMES[month - 1][:3].lower()} {today.year + 1}",
            )
        year = today.year + 1 if this_year < today else today.year
        day = _real_date(year, month, dom, typed)
        if year != today.year:
            self.rules.append(f"{typed} = the next {dom} {MONTH_NAMES[month - 1]} ({year})")
        return day


# -- the public readers ---------------------------------------------------------------


def _prepare(text: str) -> tuple[str, list[_Word]]:
    if not isinstance(text, str):
        raise Refusal(EMPTY, "When?", "tomorrow 3pm")
    text = _GLUED_OFFSET.sub(r" \1", join_signs(text.replace("\u00a0", " ")))
    return text, _words(text[:2000])  # a time is at the start; the rest is kept whole


def split_moment(
    text: str,
    zone: Zone | tzinfo | str,
    now: datetime,
    *,
    need_time: bool = True,
    default_time: time | None = None,
    date_order: str | None = None,
    latest: timedelta = DEFAULT_LATEST,
    example: str | None = None,
) -> tuple[Moment, str]:
    """The moment the words at the start of ``text`` mean, and the rest (a topic or note).

    ``tomorrow 3pm Europe/London career switch`` → (Wed 15:00 London, "career switch").
    ``zone`` is the member's zone, used unless the text names one. With
    ``need_time=False`` a day alone means ``default_time`` on that day.
    """
    try:
        return _split(text, as_zone(zone), now, need_time, default_time, date_order, latest)
    except Refusal as refusal:
        raise refusal.with_example(example)


def _split(
    text: str,
    zone: Zone,
    now: datetime,
    need_time: bool,
    default_time: time | None,
    date_order: str | None,
    latest: timedelta,
) -> tuple[Moment, str]:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if date_order not in (None, "DMY", "MDY"):
        raise ValueError(f"date_order must be 'DMY', 'MDY' or None, not {date_order!r}")
    text, words = _prepare(text)
    if not words:
        raise Refusal(EMPTY, "When? Please add a day and a time.", "tomorrow 3pm")
    reader = _Reader(words, now.year)
    parts = reader.read()
    if parts.used == 0:
        raise Refusal(
            UNREADABLE,
            f"I couldn't read a day or time in “{echo(text)}”.",
            "tomorrow 3pm",
        )
    rest = text[words[parts.used - 1].end :]
    own = _OWN_CLOCK.match(rest)
    if own and parts.time is not None:  # "3pm my time": the member's zone, as always
        rest = rest[own.end() :]
    elif _THEIR_CLOCK.match(rest) and parts.time is not None:
        said = text[: words[parts.used - 1].end].strip()
        raise Refusal(
            ZONE,
            f"Whose clock is “{echo(rest.strip())}”? I read times on yours "
            f"({zone.name}); for someone else's, add their zone, like “{said} Asia/Tokyo”.",
            said,
        )
    if not rest.strip(" \t\n!?.;:…"):
        rest = ""
    if (
        parts.time is None
        and need_time
        and parts.used < len(words)
        and _CLOCK.match(words[parts.used].low)
        and not parts.exact
    ):
        hour = int(_CLOCK.match(words[parts.used].low).group(1))  # type: ignore[union-attr]
        raise am_or_pm(hour, " ".join(parts.typed) or "today")
    read = text[: words[parts.used - 1].end].strip()
    if rest.strip() and (parts.time is None or parts.date is None) and not parts.exact:
        more = _Reader(_words(rest), now.year)
        try:
            extra = more.read()
        except Refusal:
            extra = None
        if extra is None or extra.date or extra.time or extra.exact:
            raise Refusal(
                CONFLICT,
                f"I read “{echo(read)}”, and then “{echo(rest.strip())}” doesn't fit with it.",
                "tomorrow 3pm",
            )
    try:
        moment = _Resolver(
            parts,
            member_zone=zone,
            now=now,
            need_time=need_time,
            default_time=default_time,
            date_order=date_order,
            latest=latest,
            typed_text=read,
        ).moment()
    except Refusal as refusal:
        if refusal.kind == NEEDS_TIME and any(c.isdigit() for c in rest):
            # A time was written, in a way we don't read: say which words, not "add one".
            raise Refusal(
                NEEDS_TIME,
                f"I read “{echo(read)}”, but not “{echo(rest.strip())}” as a time of day.",
                refusal.suggestion,
            ) from None
        raise
    return moment, rest.strip()


def read_moment(
    text: str,
    zone: Zone | tzinfo | str,
    now: datetime,
    *,
    need_time: bool = True,
    default_time: time | None = None,
    date_order: str | None = None,
    latest: timedelta = DEFAULT_LATEST,
    example: str | None = None,
) -> Moment:
    """The moment all of ``text`` means (nothing may be left over)."""
    moment, rest = split_moment(
        text,
        zone,
        now,
        need_time=need_time,
        default_time=default_time,
        date_order=date_order,
        latest=latest,
        example=example,
    )
    if rest:
        raise Refusal(
            UNREADABLE,
            f"I read “{echo(moment.text)}” but not “{echo(rest)}”.",
            "tomorrow 3pm Europe/London",
            example,
        )
    return moment
