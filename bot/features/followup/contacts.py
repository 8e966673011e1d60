"""The contact log: when two people were last in touch, whatever brought them together.

This module is its one writer: an intro made (``intro``), a coffee chat or roulette
group that met (``coffee``, ``roulette``), a follow-up done (``followup``, ``nudge``)
all call ``log_contact``. Being in touch is mutual: a row for (alice, bob) counts for
both of them, so a chat logged by either side resets both people's clocks.

Rows: ``{community, user, other, at, source, ref?, key?}`` with ``community`` the
community key, ``at`` an ISO-8601 moment, ``ref`` the record that brought them
together (a chat, an intro, a roulette group) and ``key`` making a ``ref`` count once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import iso, read_moment
from bot.io import Community
from store import Conflict, Store

CONTACTS = "contacts"


def log_contact(
    store: Store,
    community: Community,
    user: str,
    other: str,
    at: datetime,
    source: str,
    ref: str | None = None,
) -> dict[str, Any] | None:
    """Record that ``user`` and ``other`` were in touch at ``at`` (inside the caller's block).

    With ``ref`` the same meeting counts once, however often it is reported: None then.
    """
    row = {"community": community.key, "user": user, "other": other, "at": iso(at)}
    row["source"] = source
    if ref is None:
        return store.insert(CONTACTS, row)
    key = f"{community.key}|{source}:{ref}|{user}|{other}"
    if store.find_one(CONTACTS, {"key": key}) is not None:
        return None
    try:
        return store.insert(CONTACTS, {**row, "ref": ref, "key": key})
    except Conflict:
        return None


def last_contact(store: Store, community: Community, a: str, b: str) -> datetime | None:
    """The latest moment ``a`` and ``b`` were in touch, either way round; None if never."""
    latest: datetime | None = None
    for me, them in ((a, b), (b, a)):
        for row in store.find(CONTACTS, {"user": me}):
            if row.get("other") != them or row.get("community") != community.key:
                continue
            at = read_moment(row.get("at"))
            if at is not None and (latest is None or at > latest):
                latest = at
    return latest
