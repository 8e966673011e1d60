"""Reading when a follow-up is due: ``in 2 weeks``, ``on 3 march``, ``next monday``,
``tomorrow``, ``every month`` — each with an optional note after it.

A day without a time means ``default_time`` (09:00) in the member's zone, so a
reminder lands at the start of their day. A cadence may carry a time of day
(``every month 10am``, ``every 2 weeks at 9:30am``): every reminder then comes at that
time. Numeric dates follow the one policy of :mod:`bot.when.moments` (``date_order``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from bot.when.cadences import Cadence, split_cadence
from bot.when.moments import Moment, _Reader, _Resolver, _words, am_or_pm, split_moment
from bot.when.refusals import CONFLICT, IMPOSSIBLE, UNREADABLE, VAGUE, ZONE, Refusal
from bot.when.zones import Zone, as_zone

MORNING = time(9, 0)
LONGEST = timedelta(days=5 * 366)
_STARTS_CADENCE = (
    "every",
    "each",
    "daily",
    "weekly",
    "fortnightly",
    "monthly",
    "quarterly",
    "yearly",
    "annually",
    "biweekly",
)
_NOTE_LEAD = " \t-–—:,;"


@dataclass(frozen=True)
class FollowUp:
    """When a follow-up is first due, how often it repeats (if it does), and the note."""

    due: Moment
    every: Cadence | None
    note: str


def clean_note(text: str) -> str:
    """The note after the date: leading dashes and colons off, surrounding quotes off."""
    note = text.lstrip(_NOTE_LEAD).strip()
    if len(note) >= 2 and note[0] in "\"“'" and note[-1] in "\"”'":
        note = note[1:-1].strip()
    return note


def read_followup(
    text: str,
    zone: Zone | tzinfo | str,
    now: datetime,
    *,
    date_order: str | None = None,
    default_time: time = MORNING,
    latest: timedelta = LONGEST,
    example: str | None = None,
    weekdays: bool = True,
) -> FollowUp:
    """``in 2 weeks ask about the job`` → due in 2 weeks at 09:00, note "ask about the job".

    ``every month say hi`` → first due a month from today at 09:00, repeating monthly;
    ``every month 10am say hi`` → at 10:00. With ``weekdays=False`` a cadence on days
    of the week ("every monday") is refused with an example that repeats by weeks.
    """
    member = as_zone(zone)
    first = text.strip().split()[0].lower() if text.strip() else ""
    if first in _STARTS_CADENCE:
        cadence, rest = split_cadence(text, example=example)
        said = text[: len(text) - len(rest)].strip() if rest else text.strip()
        try:
            if cadence.weekdays and not weekdays:
                raise _no_weekdays(cadence, rest, member, now)
            at_time, clock, rest = _cadence_time(rest, said, member, now)
        except Refusal as refusal:
            raise refusal.with_example(example) from None
        if at_time is not None:
            cadence = Cadence(cadence.every, cadence.unit, cadence.weekdays, at=at_time)
            said = f"{said} {clock}"
        at = cadence.next_after(now, member) if cadence.weekdays else cadence.after(now, member)
        rule = (
            f"{cadence.words()}"
            if at_time is not None
            else f"{cadence.words()}: the first one {default_time:%H:%M}"
        )
        due = Moment(
            at=at,
            zone=member,
            zone_typed=False,
            has_time=at_time is not None,
            rules=(rule,),
            text=said,
        )
        if at - now > latest:
            raise Refusal(UNREADABLE, "That's too far apart for a reminder.", "every month")
        return FollowUp(due, cadence, clean_note(rest))
    moment, rest = split_moment(
        text,
        member,
        now,
        need_time=False,
        default_time=default_time,
        date_order=date_order,
        latest=latest,
        example=example,
    )
    return FollowUp(moment, None, clean_note(rest))


def _cadence_time(
    rest: str, said: str, member: Zone, now: datetime
) -> tuple[time | None, str, str]:
    """A time of day right after a cadence ("every month 10am say hi"): (the time, the
    words that said it, the rest). No time: (None, "", rest) — the rest is the note."""
    words = _words(rest)
    if not words:
        return None, "", rest
    reader = _Reader(words, now.year)
    try:
        parts = reader.read()
    except Refusal as refusal:  # "every month 3pm-4pm", "every month 10am Europe/Pariss"
        raise refusal.retried(f"{said} {refusal.suggestion}") if refusal.suggestion else refusal
    if parts.used == 0 or (parts.time is None and parts.date is None and not parts.exact):
        return None, "", rest  # "every month morning coffee": all of it is the note
    read = rest[: words[parts.used - 1].end].strip()
    if parts.date is not None or parts.exact:
        raise Refusal(
            CONFLICT,
            f"“{said}” counts from today, so it can't start on another day too "
            f"(“{read}”). Give how often and, if you like, a time of day.",
            f"{said} 10am",
        )
    t = parts.time
    assert t is not None
    if parts.zone is not None and parts.zone.name != member.name:
        raise Refusal(
            ZONE,
            f"Reminders come at your own time ({member.name}), so please leave the zone out.",
            f"{said} {t.typed}",
        )
    if t.bare and not parts.hint:
        raise am_or_pm(t.hour, said)
    if t.h24:
        raise Refusal(
            IMPOSSIBLE, "24:00 is the very end of a day: please write 23:59.", f"{said} 23:59"
        )
    resolver = _Resolver(
        parts,
        member_zone=member,
        now=now,
        need_time=True,
        default_time=None,
        date_order=None,
        latest=LONGEST,
        typed_text=read,
    )
    try:
        at = resolver._time_of_day()
    except Refusal as refusal:
        raise refusal.retried(f"{said} {refusal.suggestion}") if refusal.suggestion else refusal
    assert at is not None
    return at, read, rest[words[parts.used - 1].end :]


def _no_weekdays(cadence: Cadence, rest: str, member: Zone, now: datetime) -> Refusal:
    """Follow-ups repeat by weeks or months from today, not on set days of the week: the
    example repeats by weeks at the time given ("every monday at 10" → "every week 10am")."""
    every = "every week" if cadence.every == 1 else f"every {cadence.every} weeks"
    try:
        at, _, _ = _cadence_time(rest, "", member, now)
        clock = "" if at is None else f"{at:%H:%M}"
    except Refusal as refusal:  # "at 10": the likelier reading, as the am/pm question says
        clock = (refusal.suggestion or "") if refusal.kind == VAGUE else ""
    return Refusal(
        VAGUE,
        "Keeping in touch repeats by weeks or months from today, not on a day of the week.",
        f"{every} {clock}".strip(),
    )
