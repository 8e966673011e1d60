"""What the coffee feature counts: chats held, and how check-ins were answered.

A chat is *held* only when someone answered its check-in with yes — the contact rows a
check-in writes (source ``coffee`` or ``roulette``, one per person, the chat counted
once). A booked chat nobody confirmed is not counted: the number is honest.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.clock import read_moment
from bot.context import Context
from bot.features.coffee.records import CHATS
from bot.features.followup.contacts import CONTACTS
from bot.numbers import records, within
from bot.registry import Numbers

CHAT_SOURCES = ("coffee", "roulette")
CHECKIN_AFTER = timedelta(minutes=60)


def _held(contacts: list[dict[str, Any]]) -> set[tuple[str, str]]:
    held = set()
    for c in contacts:
        if c.get("source") in CHAT_SOURCES:
            pair = "|".join(sorted((str(c.get("user")), str(c.get("other")))))
            held.add((str(c["source"]), str(c.get("ref") or c.get("chat") or f"{pair}|{c['at']}")))
    return held


def member(ctx: Context, user: str) -> dict[str, int]:
    return {"chats_held": len(_held(records(ctx, CONTACTS, user=user)))}


def steps(ctx: Context, user: str) -> list[Any]:
    """Inviting someone for coffee."""
    return [c.get("created") for c in records(ctx, CHATS, requester=user)]


def window(ctx: Context, start: datetime, end: datetime) -> dict[str, int]:
    contacts = [c for c in records(ctx, CONTACTS) if within(read_moment(c.get("at")), start, end)]
    due = answered = said_held = 0
    for chat in records(ctx, CHATS):
        if chat.get("state") not in ("accepted", "done", "rescheduled", "missed"):
            continue
        moment = read_moment(chat.get("start"))
        if moment is None or not within(moment + CHECKIN_AFTER, start, end):
            continue
        due += 1
        if chat.get("said_requester") is not None or chat.get("said_invitee") is not None:
            answered += 1
        if chat.get("state") == "done":
            said_held += 1
    return {
        "chats": len(_held(contacts)),
        "checkins_due": due,
        "checkins_answered": answered,
        "checkins_held": said_held,
    }


NUMBERS = Numbers(member=member, steps=steps, window=window)
