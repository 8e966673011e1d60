"""The coffee feature's part of erasing a member, and what it keeps (for export)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.clock import iso, parse_iso
from bot.context import Context
from bot.features.coffee import text as t
from bot.features.coffee.records import CHATS, ROULETTE_GROUPS, ROULETTE_ROUNDS, ROULETTES
from bot.features.coffee.when import describe
from bot.markup import fmt
from bot.messages import Message
from bot.registry import FORMER_MEMBER, Kept

LIVE_CHATS = ("proposed", "accepted", "rescheduled", "missed")
CHECKIN_AFTER = timedelta(minutes=60)

KEPT = (
    Kept(CHATS, mine=lambda d, uid: uid in (d.get("requester"), d.get("invitee")), shared=True),
    Kept(ROULETTE_GROUPS, mine=lambda d, uid: uid in (d.get("users") or ()), shared=True),
    Kept(ROULETTES, mine=lambda d, uid: d.get("enabled_by") == uid, shared=True),
    Kept(ROULETTE_ROUNDS, exported=False),
)


def withdraw_chats(ctx: Context, uid: str, notes: list[tuple[str, Message]]) -> None:
    key = ctx.community.key
    now = ctx.now()
    for role in ("requester", "invitee"):
        for chat in ctx.store.find(CHATS, {"community": key, role: uid}):
            changes: dict[str, Any] = {f"said_{role}": None}
            if chat["state"] in LIVE_CHATS:
                changes.update(state="cancelled", cancelled_by=FORMER_MEMBER, updated=iso(now))
                start = parse_iso(chat["start"])
                if chat["state"] == "rescheduled" or start + CHECKIN_AFTER > now:
                    other = chat["invitee"] if role == "requester" else chat["requester"]
                    when = describe(start, ctx.zone(other), now=now)
                    notes.append((other, Message(fmt(t.WITHDRAWN_CHAT, id=chat["id"], when=when))))
            ctx.store.update(CHATS, chat["id"], changes)


def leave_roulette(ctx: Context, uid: str, notes: list[tuple[str, Message]]) -> None:
    for group in ctx.store.find(ROULETTE_GROUPS, {"users": uid}):
        if group.get("community") != ctx.community.key:
            continue
        others = [u for u in group["users"] if u != uid]
        rnd = ctx.store.get(ROULETTE_ROUNDS, str(group.get("round")))
        if rnd is not None and rnd.get("state") == "open" and not group.get("met"):
            notes.extend((u, Message(fmt(t.WITHDRAWN_ROULETTE))) for u in others)
        responded = [u for u in group.get("responded") or () if u != uid]
        ctx.store.update(ROULETTE_GROUPS, group["id"], {"users": others, "responded": responded})
