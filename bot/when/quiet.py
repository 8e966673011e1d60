"""Quiet hours: ``22-7``, ``10pm-7am``, ``22:00–07:30``, ``from 22:00 to 07:00``.

The range may wrap past midnight. Bare hours are the 24-hour clock ("22-7"), except
that a reading which would be quiet for more than 16 hours with a start of 12 or less
("10-7": 21 quiet hours) is refused: they almost certainly meant 10pm-7am.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.when.refusals import AMBIGUOUS, EMPTY, IMPOSSIBLE, UNREADABLE, Refusal, echo

EXAMPLE = "22:00-07:00"
_SIDE = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)?"
_RANGE = re.compile(rf"^(?:from\s+)?{_SIDE}\s*(?:-|to|until|till)\s*{_SIDE}$")
_DASHES = re.compile(r"[‐‑‒–—―−~]")
LONGEST_BARE = timedelta(hours=16)


@dataclass(frozen=True)
class QuietHours:
    """Quiet from ``start`` to ``end`` (local wall clock); wraps midnight when end < start."""

    start: time
    end: time

    def words(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def length(self) -> timedelta:
        minutes = (self.end.hour * 60 + self.end.minute) - (
            self.start.hour * 60 + self.start.minute
        )
        return timedelta(minutes=minutes % 1440)

    def contains(self, local: time | datetime) -> bool:
        """Whether a local wall-clock time falls in the quiet hours."""
        at = local.time() if isinstance(local, datetime) else local
        at = at.replace(tzinfo=None, second=0, microsecond=0)
        if self.start < self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end


def _side(hour: str, minute: str | None, meridiem: str | None, typed: str) -> tuple[time, bool]:
    h, m = int(hour), int(minute or 0)
    if meridiem:
        if not 1 <= h <= 12 or m > 59:
            raise Refusal(IMPOSSIBLE, f"“{echo(typed)}” has a time that doesn't exist.", EXAMPLE)
        h = h % 12 + (12 if meridiem.startswith("p") else 0)
        return time(h, m), True
    if h == 24 and m == 0:
        h = 0
    if h > 23 or m > 59:
        raise Refusal(
            IMPOSSIBLE, f"“{echo(typed)}”: hours go from 0 to 23, minutes to 59.", EXAMPLE
        )
    return time(h, m), False


def read_quiet(text: str, *, example: str | None = None) -> QuietHours:
    """Read quiet hours, or refuse with an example."""
    typed = " ".join(str(text).split())
    norm = _DASHES.sub("-", typed.lower()).rstrip(".!")
    if not norm:
        raise Refusal(EMPTY, "From when to when? Quiet hours look like 22:00-07:00.", EXAMPLE)
    m = _RANGE.match(norm)
    if not m:
        raise Refusal(
            UNREADABLE,
            f"I couldn't read “{echo(typed)}” as quiet hours: start-end.",
            EXAMPLE,
            example,
        )
    try:
        start, start_ampm = _side(m.group(1), m.group(2), m.group(3), typed)
        end, end_ampm = _side(m.group(4), m.group(5), m.group(6), typed)
        quiet = QuietHours(start, end)
        if start == end:
            raise Refusal(IMPOSSIBLE, "Quiet hours need a different start and end.", EXAMPLE)
        bare_small = (not start_ampm and int(m.group(1)) <= 12) or (
            not end_ampm and int(m.group(4)) <= 12
        )
        if start_ampm != end_ampm and bare_small:
            raise Refusal(
                AMBIGUOUS,
                f"In “{echo(typed)}” only one side says am or pm: please say both.",
                "10pm-7am",
            )
        if not start_ampm and not end_ampm and start.hour <= 12 and quiet.length() > LONGEST_BARE:
            hours = quiet.length().seconds // 3600
            raise Refusal(
                AMBIGUOUS,
                f"“{echo(typed)}” would keep me quiet {hours} hours a day, "
                f"from {start:%H:%M} to {end:%H:%M}. Did you mean "
                f"{(start.hour + 12) % 24:02d}:{start.minute:02d}-{end:%H:%M}?",
                f"{(start.hour + 12) % 24:02d}:{start.minute:02d}-{end:%H:%M}",
            )
        return quiet
    except Refusal as refusal:
        raise refusal.with_example(example)
