"""What the win feature keeps and counts: wins shared."""

from __future__ import annotations

from datetime import datetime

from bot.clock import read_moment
from bot.context import Context
from bot.numbers import records, within
from bot.registry import Numbers

WINS = "wins"  # {community, user, text, at}


def window(ctx: Context, start: datetime, end: datetime) -> dict[str, int]:
    return {
        "wins": sum(1 for d in records(ctx, WINS) if within(read_moment(d.get("at")), start, end))
    }


NUMBERS = Numbers(window=window)
