"""What the intro feature counts: requests asked and helped with, intros made.

An intro is *made* when it reached ``introduced`` or ``made_outside``, dated by the
history entry that moved it there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import read_moment
from bot.context import Context
from bot.features.intro import flow
from bot.numbers import records, within
from bot.registry import Numbers

HELPED = (flow.ASKED_TARGET, flow.MADE_OUTSIDE, flow.INTRODUCED)  # a "yes" on an intro


def made_at(doc: dict[str, Any]) -> datetime | None:
    """When an intro was made: its history entry for that state."""
    for entry in doc.get("history") or ():
        if isinstance(entry, dict) and entry.get("state") in flow.MADE:
            return read_moment(entry.get("at"))
    return None


def member(ctx: Context, user: str) -> dict[str, int]:
    asked = records(ctx, flow.INTROS, requester=user)
    asked_of_me = records(ctx, flow.INTROS, connector=user)
    return {
        "asked": len(asked),
        "made": sum(1 for d in asked if d.get("state") in flow.MADE),
        "asked_of_me": len(asked_of_me),
        "made_for_others": sum(1 for d in asked_of_me if d.get("state") in flow.MADE),
    }


def steps(ctx: Context, user: str) -> list[Any]:
    """Asking for an intro, and saying yes to one (as connector or target)."""
    moments: list[Any] = [d.get("created") for d in records(ctx, flow.INTROS, requester=user)]
    helped = records(ctx, flow.INTROS, connector=user) + records(ctx, flow.INTROS, target=user)
    for intro in helped:
        for entry in intro.get("history") or ():
            if isinstance(entry, dict) and entry.get("by") == user and entry.get("state") in HELPED:
                moments.append(entry.get("at"))
    return moments


def window(ctx: Context, start: datetime, end: datetime) -> dict[str, int]:
    intros = records(ctx, flow.INTROS)
    return {
        "requests": sum(1 for d in intros if within(read_moment(d.get("created")), start, end)),
        "intros": sum(
            1 for d in intros if d.get("state") in flow.MADE and within(made_at(d), start, end)
        ),
    }


NUMBERS = Numbers(member=member, steps=steps, window=window)
