"""Who can introduce me to…: paths through the ties members really have.

A tie is a meeting rapport saw happen — an intro made, a coffee chat or roulette group that
met, a follow-up done — read from the contact log (``followup/contacts.py``). A path is a
findable member who matches the search and, unless the asker already knows them, a member
who opted in as a connector and has really met them. Nobody who did not opt in appears, as
target or as connector; nobody on the asker's or the target's avoid list either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso, read_moment
from bot.context import Context
from bot.features.coffee.records import ROULETTE_AVOID as AVOID
from bot.features.followup.contacts import CONTACTS
from bot.features.network.profiles import Profile, everyone, matches

MAX_PATHS = 5
SEARCHES = "path_searches"  # {community, user, paths, at}: a search that found paths


@dataclass(frozen=True)
class Tie:
    times: int
    last: datetime


@dataclass(frozen=True)
class Path:
    target: Profile
    connector: str | None  # None: the asker already knows the target
    tie: Tie
    score: float


def ties(ctx: Context) -> dict[tuple[str, str], Tie]:
    """Every pair that met, both ways round: how many meetings, and when last. A meeting
    logged by both people (one row each) counts once."""
    meetings: dict[tuple[str, str], set[tuple[str, str]]] = {}
    last: dict[tuple[str, str], datetime] = {}
    for row in ctx.store.find(CONTACTS, {"community": ctx.community.key}):
        at = read_moment(row.get("at"))
        a, b = row.get("user"), row.get("other")
        if at is None or not a or not b or a == b:
            continue
        meeting = (str(row.get("source")), str(row.get("ref") or row.get("at")))
        for pair in ((a, b), (b, a)):
            meetings.setdefault(pair, set()).add(meeting)
            last[pair] = max(last.get(pair, at), at)
    return {pair: Tie(len(seen), last[pair]) for pair, seen in meetings.items()}


def _avoids(ctx: Context, user: str) -> set[str]:
    """Everyone ``user`` avoids or who avoids ``user``."""
    out = set()
    for row in ctx.store.find(AVOID, {"community": ctx.community.key}):
        if row.get("user") == user:
            out.add(row.get("other"))
        elif row.get("other") == user:
            out.add(row.get("user"))
    return out


def _strength(tie: Tie, now: datetime) -> float:
    """More meetings and more recent ones make a stronger tie (about 0 to 3)."""
    days = max(0.0, (now - tie.last).total_seconds() / 86400)
    return math.log2(1 + tie.times) + 1 / (1 + days / 30)


def find(
    ctx: Context, asker: str, query: str | None = None, person: str | None = None
) -> list[Path]:
    """Up to five paths to members matching ``query`` (or to ``person``), best first."""
    profiles = {p.user: p for p in everyone(ctx)}
    avoided = _avoids(ctx, asker)
    met = ties(ctx)
    now = ctx.now()
    targets = [
        (p, 3 if person else matches(p, query or ""))
        for p in profiles.values()
        if p.findable
        and p.user != asker
        and p.user not in avoided
        and (p.user == person if person else matches(p, query or "") > 0)
    ]
    paths: list[Path] = []
    for target, fit in targets:
        direct = met.get((asker, target.user))
        if direct is not None:
            paths.append(Path(target, None, direct, 10 + fit + _strength(direct, now)))
            continue
        theirs = _avoids(ctx, target.user)
        for (a, b), tie in met.items():
            if b != target.user or a in (asker, target.user) or a in avoided or a in theirs:
                continue
            helper = profiles.get(a)
            if helper is None or not helper.connector:
                continue
            knows_asker = met.get((asker, a))
            bonus = 1 + _strength(knows_asker, now) if knows_asker else 0
            paths.append(Path(target, a, tie, fit + _strength(tie, now) + bonus))
    paths.sort(key=lambda p: (-p.score, p.target.user, p.connector or ""))
    best: list[Path] = []
    seen: set[tuple[str, str | None]] = set()
    for path in paths:
        if (path.target.user, path.connector) not in seen:
            seen.add((path.target.user, path.connector))
            best.append(path)
        if len(best) == MAX_PATHS:
            break
    return best


def searched(ctx: Context, user: str, found: int) -> None:
    """Remember that a search found paths (for stats: paths found → asks → intros made)."""
    ctx.store.insert(
        SEARCHES,
        {"community": ctx.community.key, "user": user, "paths": found, "at": iso(ctx.now())},
    )
