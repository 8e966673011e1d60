"""Showing a reading back: ``Thu 3 Dec 15:00 Europe/Berlin (14:00 in London for Bob)``.

The year appears only when it isn't the reader's current year; the other person's
local time carries its weekday only when it falls on another day. A wall-clock time
the clocks show twice that day (when they go back) carries its offset: ``02:30 UTC+2``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.when.moments import MONTH_NAMES, WEEKDAY_NAMES, Moment, _offset
from bot.when.zones import Zone, as_zone


def show_clock(local: datetime) -> str:
    """``15:00``; ``02:30 UTC+2`` when that wall-clock time happens twice that day, so
    the two can't be mistaken for each other."""
    text = f"{local:%H:%M}"
    if local.tzinfo is None:
        return text
    other = local.replace(fold=1 - local.fold)
    if other.utcoffset() == local.utcoffset():
        return text
    if other.astimezone(local.tzinfo).replace(tzinfo=None) != local.replace(tzinfo=None):
        return text  # a time the clocks skip: it can't be shown twice
    return f"{text} {_offset(local.utcoffset())}"


def show_day(moment: datetime, zone: Zone | tzinfo | str, *, now: datetime | None = None) -> str:
    """``Thu 3 Dec`` (``Thu 3 Dec 2027`` when not this year) on ``zone``'s calendar."""
    local = moment.astimezone(as_zone(zone).tzinfo)
    text = f"{WEEKDAY_NAMES[local.weekday()][:3]} {local.day} {MONTH_NAMES[local.month - 1][:3]}"
    if now is not None and now.astimezone(local.tzinfo).year != local.year:
        text += f" {local.year}"
    return text


def show_moment(
    moment: datetime | Moment,
    zone: Zone | tzinfo | str | None = None,
    *,
    now: datetime | None = None,
    other_zone: Zone | tzinfo | str | None = None,
    other_name: str | None = None,
) -> str:
    """``Thu 3 Dec 15:00 Europe/Berlin``, plus ``(14:00 in London for Bob)`` when an
    other person's zone is given and differs."""
    if isinstance(moment, Moment):
        zone = zone if zone is not None else moment.zone
        moment = moment.at
    if zone is None:
        raise TypeError("show_moment needs a zone for a plain datetime")
    reader = as_zone(zone)
    local = moment.astimezone(reader.tzinfo)
    text = f"{show_day(moment, reader, now=now)} {show_clock(local)} {reader.name}"
    if other_zone is not None:
        other = as_zone(other_zone)
        there = moment.astimezone(other.tzinfo)
        if there.utcoffset() != local.utcoffset() or other.name != reader.name:
            when = show_clock(there)
            if there.date() != local.date():
                when = f"{show_day(moment, other, now=now)} {when}"
            who = f" for {other_name}" if other_name else ""
            text += f" ({when} in {other.place}{who})"
    return text


def show_reading(moment: Moment, *, now: datetime | None = None) -> str:
    """The moment and, after a dash, the rules used: what the member sees to confirm."""
    text = show_moment(moment, now=now)
    if moment.rules:
        text += " — " + "; ".join(moment.rules)
    return text
