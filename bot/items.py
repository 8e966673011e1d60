"""Suggestions while a member types: time zones, and their own open items.

Families declare, on an ``item`` parameter, where a member's open items live
(``open_items(table, owners=…, open_states=…)``); platforms with autocomplete ask the
core for suggestions and never read a family's tables themselves. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import available_timezones

from bot import when

if TYPE_CHECKING:
    from bot.context import Context

MAX_SUGGESTIONS = 25
LABEL_LIMIT = 100  # what a suggestion's label may hold (Discord's choice names)
SUMMARY_FIELDS = ("reason", "topic", "note", "target_text", "person_name", "text")
# Who a record is with, first found first; never the member asking (a chat's invitee
# sees the requester), hence "requester" last.
PEOPLE_FIELDS = ("target", "connector", "person", "invitee", "with", "other", "requester")
POPULAR_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
)


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))


def zones(current: str) -> list[tuple[str, str]]:
    """Zone names matching what was typed: first the zone the command itself would read
    from it (``IST`` → Asia/Kolkata, ``utc+5`` → UTC+05:00, ``new york``), then names
    starting with it, then names containing it."""
    typed = current.strip().lower().replace(" ", "_")
    if not typed:
        return [(z, z) for z in POPULAR_ZONES]
    read: list[tuple[str, str]] = []
    try:
        zone = when.read_zone(current)
    except when.Refusal:
        pass
    else:
        label = f"{zone.name} — {zone.note}" if zone.note else zone.name
        short = label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1] + "…"
        read.append((short, zone.name))
    starts, contains = [], []
    for zone in _zones():
        low = zone.lower()
        city = low.rsplit("/", 1)[-1]
        if low.startswith(typed) or city.startswith(typed):
            starts.append(zone)
        elif typed in low:
            contains.append(zone)
    named = [(z, z) for z in starts + contains if not read or z != read[0][1]]
    return (read + named)[:MAX_SUGGESTIONS]


def open_items(
    table: str, *, owners: tuple[str, ...], open_states: tuple[str, ...]
) -> Callable[[Context, str], list[tuple[str, str]]]:
    """An item source: the member's records in ``table`` that are still open."""

    def source(ctx: Context, current: str) -> list[tuple[str, str]]:
        docs = ctx.store.find(table, {"community": ctx.community.key})
        typed = current.strip().lower()
        found: list[tuple[str, str]] = []
        for doc in sorted(docs, key=lambda d: str(d.get("created", "")), reverse=True):
            if not any(_names(doc.get(f), ctx.user) for f in owners):
                continue
            if str(doc.get("state", "")).lower() not in open_states:
                continue
            label = describe(doc, lambda user: _name(ctx, user), me=ctx.user)
            if typed and typed not in label.lower():
                continue
            found.append((label[:100], str(doc["id"])[:100]))
            if len(found) == MAX_SUGGESTIONS:
                break
        return found

    return source


def _name(ctx: Context, user: str) -> str:
    member = ctx.member(user)
    return member.name if member else "someone"


def _names(value: Any, user: str) -> bool:
    return value == user or (isinstance(value, list) and user in value)


def describe(doc: dict[str, Any], name_of: Callable[[str], str], *, me: str = "") -> str:
    """``k3f9qz · Bo · would love to hear about data teams`` — enough to recognise it;
    the person named is the first one who isn't ``me``."""
    bits = [str(doc["id"])]
    for field in PEOPLE_FIELDS:
        value = doc.get(field)
        if isinstance(value, str) and value and value != me:
            bits.append(name_of(value))
            break
    for field in SUMMARY_FIELDS:
        value = doc.get(field)
        if isinstance(value, str) and value.strip():
            bits.append(" ".join(value.split()))
            break
    if doc.get("state"):
        bits.append(str(doc["state"]).replace("_", " "))
    return " · ".join(bits)
