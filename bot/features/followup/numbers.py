"""What the follow-up feature counts: follow-ups done, and being in touch at all.

A follow-up is *done* when its **Done** was pressed (contact rows with source
``followup``, or ``nudge`` for the other features' reminders).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import read_moment
from bot.context import Context
from bot.features.followup.contacts import CONTACTS
from bot.features.followup.records import FOLLOWUPS
from bot.numbers import records, within
from bot.registry import Numbers

DONE_SOURCES = ("followup", "nudge")


def member(ctx: Context, user: str) -> dict[str, int]:
    contacts = records(ctx, CONTACTS, user=user)
    return {"followups_done": sum(1 for c in contacts if c.get("source") in DONE_SOURCES)}


def steps(ctx: Context, user: str) -> list[Any]:
    """Being in touch with someone (any source), and setting a follow-up."""
    moments: list[Any] = [c.get("at") for c in records(ctx, CONTACTS, user=user)]
    return moments + [f.get("created") for f in records(ctx, FOLLOWUPS, owner=user)]


def window(ctx: Context, start: datetime, end: datetime) -> dict[str, int]:
    done = sum(
        1
        for c in records(ctx, CONTACTS)
        if c.get("source") in DONE_SOURCES and within(read_moment(c.get("at")), start, end)
    )
    return {"followups": done}


NUMBERS = Numbers(member=member, steps=steps, window=window)
