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
from bot.features.network.profiles import Profile, by_user, candidates, matches

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


def _meetings(rows: list[dict], user: str) -> dict[str, Tie]:
    """``user``'s ties from their contact rows: per other person, how many meetings (a
    meeting logged by both people counts once) and when last."""
    seen: dict[str, set[tuple[str, str]]] = {}
    last: dict[str, datetime] = {}
    for row in rows:
        at = read_moment(row.get("at"))
        other = row.get("other") if row.get("user") == user else row.get("user")
        if at is None or not other or other == user:
            continue
        seen.setdefault(other, set()).add((str(row.get("source")), str(row.get("ref") or at)))
        last[other] = max(last.get(other, at), at)
    return {other: Tie(len(keys), last[other]) for other, keys in seen.items()}


def ties_of(ctx: Context, user: str) -> dict[str, Tie]:
    """Everyone ``user`` has met, with the tie (indexed look-ups: rows naming them)."""
    return ties_of_all(ctx, [user]).get(user, {})


def ties_of_all(ctx: Context, users: list[str]) -> dict[str, dict[str, Tie]]:
    """``ties_of`` for several people at once: two look-ups whatever their number."""
    if not users:
        return {}
    key = ctx.community.key
    rows = ctx.store.find(CONTACTS, {"user": users}) + ctx.store.find(CONTACTS, {"other": users})
    mine: dict[str, list[dict]] = {u: [] for u in users}
    for row in rows:
        if row.get("community") != key:
            continue
        for side in ("user", "other"):
            if row.get(side) in mine:
                mine[row[side]].append(row)
    return {u: _meetings(found, u) for u, found in mine.items()}


def _avoids(ctx: Context, user: str) -> set[str]:
    """Everyone ``user`` avoids or who avoids ``user``."""
    return _avoids_all(ctx, [user]).get(user, set())


def _avoids_all(ctx: Context, users: list[str]) -> dict[str, set[str]]:
    """``_avoids`` for several people at once (two look-ups)."""
    if not users:
        return {}
    key = ctx.community.key
    out: dict[str, set[str]] = {u: set() for u in users}
    for r in ctx.store.find(AVOID, {"user": users}):
        if r.get("community") == key and r.get("user") in out and r.get("other"):
            out[r["user"]].add(r["other"])
    for r in ctx.store.find(AVOID, {"other": users}):
        if r.get("community") == key and r.get("other") in out and r.get("user"):
            out[r["other"]].add(r["user"])
    return out


def _strength(tie: Tie, now: datetime) -> float:
    """More meetings and more recent ones make a stronger tie (about 0 to 3)."""
    days = max(0.0, (now - tie.last).total_seconds() / 86400)
    return math.log2(1 + tie.times) + 1 / (1 + days / 30)


def find(
    ctx: Context, asker: str, query: str | None = None, person: str | None = None
) -> list[Path]:
    """Up to five paths to members matching ``query`` (or to ``person``), best first."""
    pool = by_user(ctx, [person]).values() if person else candidates(ctx, query or "")
    avoided = _avoids(ctx, asker)
    mine = ties_of(ctx, asker)
    now = ctx.now()
    targets = [
        (p, 3 if person else matches(p, query or ""))
        for p in pool
        if p.findable
        and p.user != asker
        and p.user not in avoided
        and (p.user == person if person else matches(p, query or "") > 0)
    ]
    paths: list[Path] = []
    # Everyone the targets met, what they avoid and the helpers' profiles: a handful of
    # look-ups for the whole search, never a few per target.
    others = [t.user for t, _ in targets if t.user not in mine]
    met_by = ties_of_all(ctx, others)
    avoided_by = _avoids_all(ctx, others)
    helpers = by_user(ctx, sorted({u for met in met_by.values() for u in met} - {asker}))
    for target, fit in targets:
        direct = mine.get(target.user)
        if direct is not None:
            paths.append(Path(target, None, direct, 10 + fit + _strength(direct, now)))
            continue
        theirs = avoided_by.get(target.user, set())
        for helper_id, tie in met_by.get(target.user, {}).items():
            helper = helpers.get(helper_id)
            if helper is None or not helper.connector or helper_id == asker:
                continue
            if helper_id in avoided or helper_id in theirs:
                continue
            knows_asker = mine.get(helper_id)
            bonus = 1 + _strength(knows_asker, now) if knows_asker else 0
            paths.append(Path(target, helper_id, tie, fit + _strength(tie, now) + bonus))
    paths.sort(key=lambda p: (-p.score, p.target.user, p.connector or ""))
    return paths[:MAX_PATHS]


def searched(ctx: Context, user: str, found: int) -> None:
    """Remember that a search found paths (for stats: paths found → asks → intros made)."""
    ctx.store.insert(
        SEARCHES,
        {"community": ctx.community.key, "user": user, "paths": found, "at": iso(ctx.now())},
    )
