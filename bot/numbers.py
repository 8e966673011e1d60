"""Adding up what the families count (``Numbers``), for stats and the weekly digest."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from bot.clock import read_moment
from bot.context import Context


def member(ctx: Context, user: str) -> Counter[str]:
    """A member's own numbers, from every family."""
    total: Counter[str] = Counter()
    for family in ctx.families.values():
        for numbers in family.numbers:
            if numbers.member is not None:
                total.update(numbers.member(ctx, user))
    return total


def steps(ctx: Context, user: str) -> list[datetime]:
    """Every moment ``user`` took a step toward someone, from every family."""
    found: list[Any] = []
    for family in ctx.families.values():
        for numbers in family.numbers:
            if numbers.steps is not None:
                found += numbers.steps(ctx, user)
    moments = (read_moment(m) for m in found)
    return sorted(m for m in moments if m is not None)


def window(ctx: Context, start: datetime, end: datetime) -> Counter[str]:
    """The community's numbers for the moments in (start, end], from every family."""
    total: Counter[str] = Counter()
    for family in ctx.families.values():
        for numbers in family.numbers:
            if numbers.window is not None:
                total.update(numbers.window(ctx, start, end))
    return total


def records(ctx: Context, table: str, **where: Any) -> list[dict[str, Any]]:
    """This community's records of a table (none if nobody has written to it yet)."""
    return [
        d
        for d in ctx.store.find(table, {"community": ctx.community.key, **where})
        if isinstance(d, dict)
    ]


def within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start < moment <= end
