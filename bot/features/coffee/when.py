"""Reading "tomorrow 3pm" in a person's own time zone, and showing a moment in another's.

dateparser reads the words against the person's *local* wall clock (a naive
``RELATIVE_BASE``); zoneinfo then places that wall-clock time in their zone. Doing the
localisation ourselves lets us catch the two DST traps dateparser would pass silently:
a time that never happens (clocks jump forward) and one that happens twice (clocks go
back). Anything unclear — no time of day, "at 3", 03/04 — is refused with examples
rather than guessed, because a chat booked at the wrong hour is worse than a question.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

from bot.errors import UserError
from bot.features.coffee import text as t
from bot.markup import fmt

MAX_AHEAD = timedelta(days=366)
MAX_WORDS = 8  # the longest "when" we try before the rest becomes the topic

_RELATIVE = re.compile(r"^in\s+(\d{1,4})\s*(minutes?|mins?|hours?|hrs?|h|m)$", re.I)
_NUMERIC_DATE = re.compile(r"(?<![\d])(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?(?![\d])")
_BARE_HOUR = re.compile(r"\bat\s+(\d{1,2})(?![\d:.]|\s*(?:am|pm|a\.m|p\.m|h\b))", re.I)


def _settings(base: datetime) -> dict[str, object]:
    return {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,
        "RETURN_TIME_AS_PERIOD": True,
        "STRICT_PARSING": False,
    }


def _dateparser(text: str, base: datetime) -> tuple[datetime | None, str]:
    """dateparser's reading of ``text`` at local naive ``base``: (moment, period)."""
    data = DateDataParser(languages=["en"], settings=_settings(base)).get_date_data(text)
    return data.date_obj, data.period or "day"


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """Place a wall-clock time in ``zone``; refuses times DST skips or repeats."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    shown = fmt_time(naive)
    day = fmt_day(naive)
    if first.utcoffset() != second.utcoffset():
        # A gap: the wall-clock time doesn't survive a round trip through UTC.
        back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if back != naive:
            later = fmt_time(naive + timedelta(hours=1))
            raise UserError(
                fmt(t.WHEN_DST_GAP, time=shown, day=day, zone=str(zone), later=later),
                t.EXAMPLE_INVITE,
            )
        later = fmt_time(naive + timedelta(hours=2))
        raise UserError(
            fmt(t.WHEN_DST_TWICE, time=shown, day=day, zone=str(zone), later=later),
            t.EXAMPLE_INVITE,
        )
    return first


def parse_when(
    text: str, zone: ZoneInfo, now: datetime, *, need_time: bool = True, example: str = ""
) -> datetime:
    """The moment (UTC) ``text`` means for someone in ``zone``; a friendly refusal otherwise.

    With ``need_time=False`` a bare date ("dec 20") means the start of that day
    (used for "pause until").
    """
    example = example or t.EXAMPLE_INVITE
    words = " ".join(text.split())
    if not words:
        raise UserError(fmt(t.WHEN_MISSING), example)
    moment = _relative(words, now)
    if moment is None:
        _check_date_order(words, example)
        base = now.astimezone(zone).replace(tzinfo=None)
        found, period = _dateparser(words, base)
        if found is None:
            raise UserError(fmt(t.WHEN_UNREADABLE, text=words), example)
        if found.tzinfo is not None:
            # They named a zone themselves ("3pm UTC"): believe it.
            moment = found.astimezone(UTC)
        elif period == "time":
            moment = localize(found, zone).astimezone(UTC)
        elif need_time:
            bare = _BARE_HOUR.search(words)
            if bare:
                hour = bare.group(1)
                raise UserError(fmt(t.WHEN_AM_PM, hour=hour, text=words), example)
            if period == "part_of_day":
                raise UserError(fmt(t.WHEN_VAGUE, text=words), example)
            raise UserError(fmt(t.WHEN_NO_TIME, text=words), example)
        else:
            start = found.replace(hour=0, minute=0, second=0, microsecond=0)
            moment = localize(start, zone).astimezone(UTC)
    moment = moment.replace(second=0, microsecond=0)
    if moment <= now:
        local_now = now.astimezone(zone)
        raise UserError(
            fmt(
                t.WHEN_PAST,
                when=describe(moment, zone),
                now=f"{fmt_day(local_now)}, {fmt_time(local_now)}",
            ),
            example,
        )
    if moment - now > MAX_AHEAD:
        raise UserError(fmt(t.WHEN_TOO_FAR, when=describe(moment, zone)), example)
    return moment


def split_when(
    words: list[str], zone: ZoneInfo, now: datetime, *, example: str = ""
) -> tuple[datetime, str]:
    """The longest leading run of ``words`` that reads as a time, and the rest (a topic).

    ``tomorrow 3pm career switch`` → (tomorrow 15:00, "career switch"). When no prefix
    reads as a time, the whole text is reported back with examples.
    """
    if not words:
        raise UserError(fmt(t.WHEN_MISSING), example or t.EXAMPLE_INVITE)
    base = now.astimezone(zone).replace(tzinfo=None)
    for n in range(min(len(words), MAX_WORDS), 0, -1):
        head = " ".join(words[:n])
        if _relative(head, now) is None and _dateparser(head, base)[0] is None:
            continue
        return parse_when(head, zone, now, example=example), " ".join(words[n:])
    return parse_when(" ".join(words), zone, now, example=example), ""


def _relative(text: str, now: datetime) -> datetime | None:
    """ "in 90 minutes" / "in 2 hours": counted on the real clock, so DST can't shift it."""
    m = _RELATIVE.match(text)
    if not m:
        return None
    amount = int(m.group(1))
    unit = m.group(2).lower()
    return now + (timedelta(hours=amount) if unit.startswith("h") else timedelta(minutes=amount))


def _check_date_order(text: str, example: str) -> None:
    """03/04 is 3 April in Berlin and March 4 in New York: ask rather than guess."""
    for m in _NUMERIC_DATE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a != b and 1 <= a <= 12 and 1 <= b <= 12:
            raise UserError(fmt(t.WHEN_DAY_MONTH, text=m.group(0)), example)


# -- showing moments -----------------------------------------------------------


def fmt_time(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def fmt_day(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}"


def describe(moment: datetime, zone: ZoneInfo, *, now: datetime | None = None) -> str:
    """``Wed 2 Dec, 15:00 (Europe/Berlin)``; the year appears when it isn't this one."""
    local = moment.astimezone(zone)
    year = f" {local.year}" if now is not None and local.year != now.astimezone(zone).year else ""
    return f"{fmt_day(local)}{year}, {fmt_time(local)} ({zone})"


def clock_in(moment: datetime, zone: ZoneInfo) -> str:
    """Just the wall-clock time and weekday in a zone: ``Wed 09:00``."""
    local = moment.astimezone(zone)
    return f"{local:%a} {fmt_time(local)}"
