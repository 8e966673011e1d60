"""The contact log: when two people were last in touch, whatever brought them together.

Other features write to the ``contacts`` table directly (an intro made: ``intro``; a
coffee chat that happened: ``coffee``); pressing **Done** on a follow-up writes one
too. Being in touch is mutual: a row for (alice, bob) counts for both of them, so a
chat logged by either side resets both people's "it's been a while" clocks.

Rows: ``{community, user, other, at, source}`` with ``community`` the community key
and ``at`` an ISO-8601 moment (ours, ``2026-12-01T09:00:00.000000Z``, or any
``datetime.isoformat()``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import iso, read_moment
from bot.io import Community
from store import Store

CONTACTS = "contacts"


def log_contact(
    store: Store, community: Community, user: str, other: str, at: datetime, source: str
) -> dict[str, Any]:
    """Record that ``user`` and ``other`` were in touch at ``at`` (inside the caller's block)."""
    return store.insert(
        CONTACTS,
        {"community": community.key, "user": user, "other": other, "at": iso(at), "source": source},
    )


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
