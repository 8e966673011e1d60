"""Opt-in profiles: what a member does, what they look for, how they help, and two switches.

Everything is off by default: a profile appears in searches only when *findable* is on, and
its owner is suggested as someone who can make intros only when *connector* is on.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from bot.args import Args, Quoted
from bot.clock import iso
from bot.context import Context
from bot.errors import UserError
from bot.features.network import text as t
from bot.markup import Text, fmt, join
from bot.registry import Kept

PROFILES = "profiles"  # {key: community|user, community, user, role, company, …, updated}
TEXT_FIELDS = ("role", "company", "field", "seeking", "fields", "companies", "helps")
SWITCHES = ("open", "findable", "connector")
LIMIT = 120  # characters per field
EXAMPLE = '/rapport profile role "data engineer" company Acme findable on'

KEPT = (Kept(PROFILES),)


@dataclass(frozen=True)
class Profile:
    user: str
    role: str = ""
    company: str = ""
    field: str = ""
    seeking: str = ""  # roles they look for
    fields: str = ""  # fields they look at
    companies: str = ""  # companies they'd love to hear from
    helps: str = ""
    open: bool = False
    findable: bool = False
    connector: bool = False

    def does(self) -> str:
        """``data engineer at Acme (data)``, whatever parts there are."""
        role = self.role or self.field
        where = f" at {self.company}" if self.company else ""
        extra = f" ({self.field})" if self.role and self.field else ""
        return f"{role}{where}{extra}".strip() or "a member"


def _key(ctx: Context, user: str) -> str:
    return f"{ctx.community.key}|{user}"


_FIELDS = frozenset(TEXT_FIELDS) | frozenset(SWITCHES)


def _profile(doc: dict[str, Any], user: str | None = None) -> Profile:
    """A stored profile record as a ``Profile`` (only the fields a profile has)."""
    return Profile(user or doc["user"], **{k: v for k, v in doc.items() if k in _FIELDS})


def load(ctx: Context, user: str) -> Profile | None:
    doc = ctx.store.find_one(PROFILES, {"key": _key(ctx, user)})
    if doc is None:
        return None
    return _profile(doc, user)


def open_to_work(ctx: Context) -> list[Profile]:
    """This community's profiles of members open to work (an indexed look-up, not all)."""
    return [
        _profile(d)
        for d in ctx.store.find(PROFILES, {"community": ctx.community.key, "open": True})
    ]


def terms(*values: str) -> set[str]:
    """What a member listed, one by one: ``data engineer, analyst or ML`` → three terms."""
    return {
        w.strip().lower() for v in values for w in re.split(r"[,;/]| or | and ", v) if w.strip()
    }


def within(part: str, whole: str) -> bool:
    """Whether ``part`` is in ``whole`` as whole words ("data" in "data engineer", not
    "go" in "google" nor "ai" in "retail"); case ignored."""
    part, whole = norm(part), norm(whole)
    return bool(part) and re.search(rf"(?<!\w){re.escape(part)}(?!\w)", whole) is not None


def norm(text: str) -> str:
    """How a searched word and a profile's word are compared: case and spacing ignored."""
    return " ".join(text.lower().split())


def save(ctx: Context, profile: Profile) -> None:
    data = {k: v for k, v in asdict(profile).items() if k != "user"}
    # Exact-match keys, so a search is an indexed look-up rather than a scan.
    data.update({f"{k}_norm": norm(getattr(profile, k)) for k in ("role", "company", "field")})
    with ctx.store.atomic():
        doc = ctx.store.find_one(PROFILES, {"key": _key(ctx, profile.user)})
        stamp = {"updated": iso(ctx.now())}
        if doc is None:
            ctx.store.insert(
                PROFILES,
                {
                    "key": _key(ctx, profile.user),
                    "community": ctx.community.key,
                    "user": profile.user,
                    **data,
                    **stamp,
                },
            )
        else:
            ctx.store.update(PROFILES, doc["id"], {**data, **stamp})


def clear(ctx: Context, user: str) -> None:
    doc = ctx.store.find_one(PROFILES, {"key": _key(ctx, user)})
    if doc is not None:
        ctx.store.delete(PROFILES, doc["id"])


def read_changes(args: Args) -> dict[str, Any]:
    """``role "data engineer" company Acme open on`` → the changes, checked."""
    changes: dict[str, Any] = {}
    while not args.empty():
        key = (args.peek_word() or "").lower()
        tok = args.take()
        if key not in TEXT_FIELDS and key not in SWITCHES:
            shown = tok.text if isinstance(tok, Quoted) else str(tok)
            raise UserError(fmt(t.PROFILE_BAD_KEY, word=shown[:40]), EXAMPLE)
        value = args.take()
        if value is None or not isinstance(value, (str, Quoted)):
            raise UserError(fmt(t.PROFILE_NEED_VALUE, key=key), EXAMPLE)
        text = " ".join((value.text if isinstance(value, Quoted) else value).split())
        if key in SWITCHES:
            if text.lower() not in ("on", "off"):
                raise UserError(fmt(t.PROFILE_ON_OFF, key=key), EXAMPLE)
            changes[key] = text.lower() == "on"
        else:
            if len(text) > LIMIT:
                raise UserError(fmt(t.PROFILE_TOO_LONG, key=key, limit=LIMIT), EXAMPLE)
            changes[key] = "" if text.lower() in ("-", "none") else text
    return changes


def apply(ctx: Context, user: str, changes: dict[str, Any]) -> Profile:
    profile = replace(load(ctx, user) or Profile(user), **changes)
    save(ctx, profile)
    return profile


def show(profile: Profile | None, *, titled: bool = True) -> Text:
    """A profile as its owner sees it; ``titled=False`` where a heading says it already
    (the home's "Your profile" section)."""
    title = [fmt(t.PROFILE_TITLE)] if titled else []
    if profile is None:
        return join(*title, fmt(t.PROFILE_EMPTY))
    on = {True: "on", False: "off"}
    seeks = ", ".join(p for p in (profile.seeking, profile.fields, profile.companies) if p)
    lines = [*title, fmt(t.PROFILE_DOES, does=profile.does())]
    if seeks:
        lines.append(fmt(t.PROFILE_SEEKS, seeks=seeks))
    lines.append(fmt(t.PROFILE_OPEN, state=on[profile.open]))
    if profile.helps:
        lines.append(fmt(t.PROFILE_HELPS, helps=profile.helps))
    lines.append(
        fmt(t.PROFILE_FINDABLE, state=on[profile.findable], connector=on[profile.connector])
    )
    lines.append(fmt(t.PROFILE_HINT))
    return join(*lines)


def candidates(ctx: Context, query: str) -> list[Profile]:
    """Findable profiles whose company, role or field is exactly what was searched
    (indexed); when none is, every findable profile (the caller scores each with
    ``matches``). Only findable ones: nobody else may be found, and reading the rest
    would only cost time."""
    wanted = norm(query)
    found: dict[str, Profile] = {}
    for field in ("company_norm", "role_norm", "field_norm"):
        for d in ctx.store.find(PROFILES, {field: wanted, "findable": True}):
            if d.get("community") == ctx.community.key:
                found[d["user"]] = _profile(d)
    if found:
        return list(found.values())
    everyone = ctx.store.find(PROFILES, {"community": ctx.community.key, "findable": True})
    return [_profile(d) for d in everyone]


def by_user(ctx: Context, users: list[str]) -> dict[str, Profile]:
    """The profiles of these members (one look-up)."""
    if not users:
        return {}
    docs = ctx.store.find(PROFILES, {"key": [f"{ctx.community.key}|{u}" for u in users]})
    return {d["user"]: _profile(d) for d in docs}


def matches(profile: Profile, query: str) -> int:
    """How well a profile matches what was searched: company 3, role 2, field 1, else 0."""
    wanted = norm(query)
    if not wanted:
        return 0

    def has(value: str) -> bool:
        return bool(value) and (within(wanted, value) or within(value, wanted))

    return max(
        (3 if has(profile.company) else 0),
        (2 if has(profile.role) else 0),
        (1 if has(profile.field) else 0),
    )
