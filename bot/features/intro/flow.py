"""The warm-intro lifecycle as an explicit state machine, and the intro records.

An intro moves ``requested → asked_connector → asked_target → introduced`` when
everyone says yes. The connector may instead make it outside the community
(``made_outside``) or decline; the target may decline; a request nobody answers
expires; the requester may cancel while it is open; a target the bot cannot reach
at all (their DMs closed, gone) closes it as ``unreachable``, and so does a connector
the ask never reached (``unreachable: "connector"`` on the record). Every transition is a
compare-and-set on the state it leaves and is appended to the record's
``history``, so two presses of one button act once and the story stays auditable.

No user-facing words live here: ``commands.py`` and ``text.py`` speak.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import iso
from bot.features.followup.contacts import log_contact
from bot.io import Community
from store import Store
from store.base import new_id

INTROS = "intros"
SYSTEM = "system"  # the "by" of transitions nobody pressed a button for (expiry…)

REQUESTED = "requested"
ASKED_CONNECTOR = "asked_connector"
ASKED_TARGET = "asked_target"
INTRODUCED = "introduced"
MADE_OUTSIDE = "made_outside"
DECLINED = "declined"
EXPIRED = "expired"
CANCELLED = "cancelled"
UNREACHABLE = "unreachable"  # the ask (to the target or connector) failed for good

PENDING = (REQUESTED, ASKED_CONNECTOR, ASKED_TARGET)
MADE = (INTRODUCED, MADE_OUTSIDE)
STATES = (*PENDING, INTRODUCED, MADE_OUTSIDE, DECLINED, EXPIRED, CANCELLED, UNREACHABLE)

# Every allowed move; a state missing here (or mapping to nothing) is final.
ALLOWED: dict[str, frozenset[str]] = {
    REQUESTED: frozenset({ASKED_CONNECTOR, CANCELLED}),
    ASKED_CONNECTOR: frozenset(
        {ASKED_TARGET, MADE_OUTSIDE, DECLINED, EXPIRED, CANCELLED, UNREACHABLE}
    ),
    ASKED_TARGET: frozenset({INTRODUCED, DECLINED, EXPIRED, CANCELLED, UNREACHABLE}),
}


class InvalidTransition(ValueError):
    """A programming error: the code asked for a move the state machine forbids."""


def can_move(frm: str, to: str) -> bool:
    return to in ALLOWED.get(frm, frozenset())


def is_final(state: str) -> bool:
    return not ALLOWED.get(state)


def normalise_phrase(text: str) -> str:
    """When two descriptions of an outsider match ("Someone at  ACME" = "someone at acme")."""
    return " ".join(text.split()).casefold()


# -- records -------------------------------------------------------------------


def create(
    store: Store,
    community: Community,
    *,
    requester: str,
    connector: str,
    target: str | None,
    target_text: str | None,
    reason: str,
    at: datetime,
    via: str | None = None,
) -> dict[str, Any]:
    """Store a new request in ``requested``; the caller moves it on in the same atomic block.

    ``via`` says how it started (``path``: from a path ``/intro find`` showed)."""
    moment = iso(at)
    return store.insert(
        INTROS,
        {
            "id": new_id(6),
            "community": community.key,
            "requester": requester,
            "connector": connector,
            "target": target,
            "target_text": target_text,
            "target_norm": normalise_phrase(target_text) if target_text else None,
            "reason": reason,
            "via": via,
            "state": REQUESTED,
            "created": moment,
            "updated": moment,
            "history": [{"state": REQUESTED, "at": moment, "by": requester}],
        },
    )


def get(store: Store, community: Community, intro_id: str) -> dict[str, Any] | None:
    """The intro with this id in this community (ids from another community don't exist here)."""
    doc = store.get(INTROS, intro_id.strip().lower())
    if doc is None or doc.get("community") != community.key:
        return None
    return doc


def transition(
    store: Store,
    intro: dict[str, Any],
    to: str,
    *,
    by: str,
    at: datetime,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Move ``intro`` from the state it was read in to ``to``; None if someone moved it first."""
    frm = intro["state"]
    if not can_move(frm, to):
        raise InvalidTransition(f"intro {intro['id']}: {frm} -> {to}")
    moment = iso(at)
    entry = {"state": to, "at": moment, "by": by}
    return store.update(
        INTROS,
        intro["id"],
        {
            **(changes or {}),
            "state": to,
            "updated": moment,
            "history": [*intro.get("history", []), entry],
        },
        expect={"state": frm},
    )


def pending_of(store: Store, community: Community, requester: str) -> list[dict[str, Any]]:
    """A requester's open requests, oldest first."""
    return store.find(
        INTROS,
        {"community": community.key, "requester": requester, "state": list(PENDING)},
        order_by="created",
    )


def find_same_pending(
    store: Store,
    community: Community,
    *,
    requester: str,
    connector: str,
    target: str | None,
    target_text: str | None,
) -> dict[str, Any] | None:
    """An open request from the same person, to the same connector, about the same person."""
    norm = normalise_phrase(target_text) if target_text else None
    for doc in pending_of(store, community, requester):
        if doc["connector"] != connector:
            continue
        if target is not None and doc.get("target") == target:
            return doc
        if norm is not None and doc.get("target_norm") == norm:
            return doc
    return None


def mine(store: Store, community: Community, requester: str) -> list[dict[str, Any]]:
    """Every request a member made, newest first."""
    docs = store.find(INTROS, {"community": community.key, "requester": requester})
    return sorted(docs, key=lambda d: d["created"], reverse=True)


def waiting_on(store: Store, community: Community, user: str) -> list[dict[str, Any]]:
    """Open requests waiting for this member's answer (as connector or as target)."""
    asked = store.find(
        INTROS, {"community": community.key, "connector": user, "state": ASKED_CONNECTOR}
    )
    asked += store.find(INTROS, {"community": community.key, "target": user, "state": ASKED_TARGET})
    return sorted(asked, key=lambda d: d["created"])


def count_declined(store: Store, community: Community, requester: str) -> int:
    return store.count(
        INTROS, {"community": community.key, "requester": requester, "state": DECLINED}
    )


def log_contacts(store: Store, intro: dict[str, Any], at: datetime) -> list[dict[str, Any]]:
    """Record that the requester is now in touch with the connector (and the target).

    One record per direction, so a follow-up feature can reset "it's been a while"
    clocks for each person (``source: "intro"``, ``ref`` the intro).
    """
    pairs = [(intro["requester"], intro["connector"])]
    if intro.get("target"):
        pairs.append((intro["requester"], intro["target"]))
    community = Community.from_key(intro["community"])
    written = []
    for a, b in pairs:
        for user, other in ((a, b), (b, a)):
            row = log_contact(store, community, user, other, at, "intro", intro["id"])
            if row is not None:
                written.append(row)
    return written


def recently_unreachable(
    store: Store, community: Community, requester: str, since: str
) -> list[dict[str, Any]]:
    """A requester's requests closed as unreachable since ``since`` (ISO), newest first."""
    docs = store.find(
        INTROS, {"community": community.key, "requester": requester, "state": UNREACHABLE}
    )
    return sorted(
        (d for d in docs if str(d.get("updated") or "") >= since),
        key=lambda d: d["updated"],
        reverse=True,
    )
