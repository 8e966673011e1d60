"""The weekly digest: how much relationship-building a community did this week.

Only aggregate numbers are shown, and nobody is named (wins included: the win itself
was celebrated in the wins channel when it was shared). Each family counts its own
(``Numbers.window``): chats held, intros made, follow-ups done, wins shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import numbers
from bot.context import Context
from bot.features.tips import text as t
from bot.markup import Text, fmt, join
from bot.messages import Message

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class WeekNumbers:
    chats: int = 0
    intros: int = 0
    followups: int = 0
    wins: int = 0

    @property
    def quiet(self) -> bool:
        return not (self.chats or self.intros or self.followups or self.wins)


def count_week(ctx: Context, start: datetime, end: datetime) -> WeekNumbers:
    """Numbers for the moments in (start, end], as the families count them."""
    found = numbers.window(ctx, start, end)
    return WeekNumbers(found["chats"], found["intros"], found["followups"], found["wins"])


def _count(n: int, one: str, many: str) -> Text:
    return fmt(one if n == 1 else many, n=n)


def digest_message(numbers: WeekNumbers, start: datetime, end: datetime, tz: str) -> Message:
    """The post itself; a quiet week gets encouragement rather than a row of zeros."""
    zone = ZoneInfo(tz)
    first = (start + timedelta(seconds=1)).astimezone(zone)
    last = end.astimezone(zone)
    span = f"{first.day} {first:%b} – {last.day} {last:%b}"
    lines: list[Text] = [fmt(t.DIGEST_TITLE, span=span)]
    if numbers.quiet:
        lines.append(fmt(t.DIGEST_QUIET))
        return Message(join(*lines))
    lines += [
        _count(numbers.chats, t.DIGEST_CHATS_ONE, t.DIGEST_CHATS),
        _count(numbers.intros, t.DIGEST_INTROS_ONE, t.DIGEST_INTROS),
        _count(numbers.followups, t.DIGEST_FOLLOWUPS_ONE, t.DIGEST_FOLLOWUPS),
        _count(numbers.wins, t.DIGEST_WINS_ONE, t.DIGEST_WINS),
    ]
    lines.append(fmt(t.DIGEST_CLOSING))
    return Message(join(*lines))
