"""Openings that reach the right people first.

An opening is posted in the openings channel and told privately to members who are open to
work and whose goals match — those who have met the poster first, then friends of friends,
then everyone else — at most ``openings_per_week`` a member, each tell a nudge (quiet hours
and the daily cap apply). The poster learns how many were told, never who.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.clock import iso, read_moment
from bot.context import Context
from bot.features.coffee.records import ROULETTE_AVOID
from bot.features.network.paths import ties_of, ties_of_all
from bot.features.network.profiles import Profile, open_to_work, terms, within

OPENINGS = "openings"  # {id, community, poster, role, company, link, details, state, created}
TOLD = "openings_told"  # {community, opening, users: [...], at}: who an opening was told to
WEEK = timedelta(days=7)
LIMIT = 600
_SHAPE = re.compile(r"^(?P<role>.+?)\s+at\s+(?P<after>\S.*)$", re.S)
_QUOTED = re.compile(r'^(?:"([^"]+)"|“([^”]+)”)(.*)$', re.S)
_JOINERS = {"&", "and", "of", "de", "la", "le", "du", "von", "van", "der", "+"}
COMPANY_WORDS = 5
_LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Opening:
    role: str
    company: str
    link: str = ""
    details: str = ""


def read(text: str) -> Opening | None:
    """``data engineer at Acme https://… remote`` → the opening; None without "at …"."""
    m = _SHAPE.match(" ".join(text.split()))
    if m is None:
        return None
    company, rest = _company(m.group("after"))
    if not company:
        return None
    link = _LINK.search(rest)
    details = (rest[: link.start()] + rest[link.end() :]) if link else rest
    details = " ".join(details.split()).strip(" -–—,;:")
    return Opening(m.group("role").strip(), company, link.group(0) if link else "", details)


def _company(after: str) -> tuple[str, str]:
    """The company named after "at", and what follows it: quoted, or the capitalised
    words that run on ("Stitch Fix", "Bank of America") up to a comma, a dash, a link or
    a lower-case word ("Acme, remote" → "Acme"; "Acme remote" → "Acme")."""
    quoted = _QUOTED.match(after)
    if quoted:
        return (quoted.group(1) or quoted.group(2)).strip(), quoted.group(3)
    words = after.split(" ")
    taken: list[str] = []
    for i, word in enumerate(words):
        bare = word.rstrip(",;:.")
        if taken and (_LINK.match(word) or not bare or len(taken) >= COMPANY_WORDS):
            break
        joins = (
            bare.lower() in _JOINERS and words[i + 1 : i + 2] != [] and words[i + 1][:1].isupper()
        )
        if taken and not (bare[0].isupper() or bare[0].isdigit() or joins):
            break
        taken.append(bare)
        if bare != word:  # "Acme," — the company ends at its punctuation
            break
    return " ".join(taken), " ".join(words[len(taken) :])


def fits(profile: Profile, opening: Opening) -> bool:
    """Whether an opening matches what a member looks for (roles, fields, companies)."""
    if not profile.open:
        return False
    role, company = opening.role, opening.company.lower()
    wanted = terms(profile.seeking, profile.fields)
    if any(within(term, role) or within(role, term) for term in wanted):
        return True
    return any(term == company for term in terms(profile.companies))


def audience(ctx: Context, poster: str, opening: Opening) -> tuple[list[tuple[str, int]], int]:
    """Who to tell, in order, with their distance from the poster (1 met, 2 friend of a
    friend, 3 everyone else); avoid lists and the weekly cap respected. Also how many it
    fits were left out by the cap (the poster is told why nobody heard)."""
    first = set(ties_of(ctx, poster))
    second = {o for met in ties_of_all(ctx, sorted(first)).values() for o in met} - first - {poster}
    avoid = {
        r.get("other") if r.get("user") == poster else r.get("user")
        for r in ctx.store.find(ROULETTE_AVOID, {"community": ctx.community.key})
        if poster in (r.get("user"), r.get("other"))
    }
    cap = int(ctx.setting("openings_per_week"))
    since = ctx.now() - WEEK
    this_week: dict[str, int] = {}
    for record in ctx.store.find(TOLD, {"community": ctx.community.key}):
        if (read_moment(record.get("at")) or since) > since:
            for user in record.get("users") or ():
                this_week[user] = this_week.get(user, 0) + 1
    found = []
    capped = 0
    for profile in open_to_work(ctx):  # only they can fit (``fits``)
        user = profile.user
        if user == poster or user in avoid or not fits(profile, opening):
            continue
        if this_week.get(user, 0) >= cap:
            capped += 1
            continue
        found.append((user, 1 if user in first else 2 if user in second else 3))
    return sorted(found, key=lambda pair: (pair[1], pair[0])), capped


def told(ctx: Context, users: list[str], opening_id: str) -> None:
    """Count the tells of one opening toward each member's weekly cap (one record)."""
    ctx.store.insert(
        TOLD,
        {
            "community": ctx.community.key,
            "opening": opening_id,
            "users": users,
            "at": iso(ctx.now()),
        },
    )


def record(ctx: Context, poster: str, opening: Opening, new_id: str) -> dict[str, Any]:
    return ctx.store.insert(
        OPENINGS,
        {
            "id": new_id,
            "community": ctx.community.key,
            "poster": poster,
            "role": opening.role,
            "company": opening.company,
            "link": opening.link,
            "details": opening.details,
            "state": "open",
            "created": iso(ctx.now()),
        },
    )
