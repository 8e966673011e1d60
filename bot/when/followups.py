"""Reading when a follow-up is due: ``in 2 weeks``, ``on 3 march``, ``next monday``,
``tomorrow``, ``every month`` — each with an optional note after it.

A day without a time means ``default_time`` (09:00) in the member's zone, so a
reminder lands at the start of their day. Numeric dates follow the one policy of
:mod:`bot.when.moments` (``date_order``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from bot.when.cadences import Cadence, split_cadence
from bot.when.moments import Moment, split_moment
from bot.when.refusals import UNREADABLE, Refusal
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
) -> FollowUp:
    """``in 2 weeks ask about the job`` → due in 2 weeks at 09:00, note "ask about the job".

    ``every month say hi`` → first due a month from today at 09:00, repeating monthly.
    """
    member = as_zone(zone)
    first = text.strip().split()[0].lower() if text.strip() else ""
    if first in _STARTS_CADENCE:
        cadence, rest = split_cadence(text, example=example)
        at = cadence.after(now, member)
        due = Moment(
            at=at,
            zone=member,
            zone_typed=False,
            has_time=False,
            rules=(f"{cadence.words()}: the first one {default_time:%H:%M}",),
            text=text[: len(text) - len(rest)].strip() if rest else text.strip(),
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
