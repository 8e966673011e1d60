"""What the network map counts: paths found → intros asked through a path → intros made,
and openings shared → members told."""

from __future__ import annotations

from datetime import datetime

from bot.clock import read_moment
from bot.context import Context
from bot.features.intro.flow import INTROS, MADE
from bot.features.network.openings import OPENINGS, TOLD
from bot.features.network.paths import SEARCHES
from bot.numbers import records, within
from bot.registry import Numbers


def _made_at(doc: dict) -> datetime | None:
    for entry in doc.get("history") or ():
        if isinstance(entry, dict) and entry.get("state") in MADE:
            return read_moment(entry.get("at"))
    return None


def member(ctx: Context, user: str) -> dict[str, int]:
    asked = records(ctx, INTROS, requester=user, via="path")
    return {
        "paths_found": sum(int(d.get("paths") or 0) for d in records(ctx, SEARCHES, user=user)),
        "path_asks": len(asked),
        "path_intros": sum(1 for d in asked if d.get("state") in MADE),
    }


def window(ctx: Context, start: datetime, end: datetime) -> dict[str, int]:
    def inside(doc: dict, field: str) -> bool:
        return within(read_moment(doc.get(field)), start, end)

    asked = [d for d in records(ctx, INTROS, via="path") if inside(d, "created")]
    return {
        "paths_found": sum(
            int(d.get("paths") or 0) for d in records(ctx, SEARCHES) if inside(d, "at")
        ),
        "path_asks": len(asked),
        "path_intros": sum(
            1 for d in records(ctx, INTROS, via="path") if within(_made_at(d), start, end)
        ),
        "openings": sum(1 for d in records(ctx, OPENINGS) if inside(d, "created")),
        "openings_told": sum(
            len(d.get("users") or ()) for d in records(ctx, TOLD) if inside(d, "at")
        ),
    }


NUMBERS = Numbers(member=member, window=window)
