"""The follow-up feature's part of erasing a member, and what it keeps (for export)."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.features.followup import text as t
from bot.features.followup.contacts import CONTACTS
from bot.features.followup.nudges import NUDGE_DAYS
from bot.features.followup.records import FOLLOWUPS, event_key
from bot.registry import Kept
from store.base import OUTBOX

KEPT = (
    Kept(CONTACTS, shared=True, owner="user"),
    Kept(FOLLOWUPS, mine=lambda d, uid: d.get("owner") == uid, shared=True, owner="owner"),
    Kept(NUDGE_DAYS, mine=lambda d, uid: str(d.get("who", "")).endswith("|" + uid)),
)


def keep_followups_about(ctx: Context, uid: str, notes: list[tuple[str, Any]]) -> None:
    """Other people's follow-ups with the member are theirs: they stay, and keep
    reminding them, about "a former member" (no id, the note kept: their own words)."""
    key = ctx.community.key
    for f in ctx.store.find(FOLLOWUPS, {"person": uid}):
        if f.get("community") != key or f.get("owner") == uid:
            continue
        ctx.store.update(FOLLOWUPS, f["id"], {"person": None, "person_name": t.FORMER_MEMBER})
        # Its next reminder named the member only among the people it is about.
        item = ctx.store.find_one(OUTBOX, {"key": f"{key}|{event_key(f)}"})
        if item is not None and item.get("state") == "pending":
            about = [u for u in item.get("about") or () if u != uid]
            ctx.store.update(OUTBOX, item["id"], {"about": about}, expect={"state": "pending"})
