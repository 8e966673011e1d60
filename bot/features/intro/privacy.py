"""The intro feature's part of erasing a member, and what it keeps (for export)."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.features.intro import text as t
from bot.features.intro.flow import ASKED_TARGET, CANCELLED, INTROS, PENDING, transition
from bot.markup import fmt
from bot.messages import Message
from bot.registry import FORMER_MEMBER, Kept


def mine(doc: dict[str, Any], uid: str) -> bool:
    """The requester's and connector's; the target's only once the connector said yes."""
    if uid in (doc.get("requester"), doc.get("connector")):
        return True
    asked = any(h.get("state") == ASKED_TARGET for h in doc.get("history") or ())
    return doc.get("target") == uid and asked


KEPT = (Kept(INTROS, mine=mine, shared=True, owner="requester"),)


def withdraw(ctx: Context, uid: str, notes: list[tuple[str, Message]]) -> None:
    key = ctx.community.key
    now = ctx.now()
    for role in ("requester", "connector", "target"):
        for intro in ctx.store.find(INTROS, {"community": key, role: uid}):
            if intro["state"] not in PENDING:
                continue
            note = Message(fmt(t.WITHDRAWN_INTRO, id=intro["id"]))
            told = [intro["requester"], intro["connector"]]
            if intro["state"] == ASKED_TARGET and intro.get("target"):
                told.append(intro["target"])
            notes.extend((u, note) for u in told)
            if role != "requester":  # the requester's record stays, closed
                transition(ctx.store, intro, CANCELLED, by=FORMER_MEMBER, at=now)
