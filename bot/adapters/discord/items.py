"""Autocomplete: time zones, and the user's own open items (for ``cancel`` commands).

The item tables belong to the families (``intros``, ``chats``, ``followups``), so
they are read defensively: a record is the user's if one of the usual owner fields
names them, and open unless its state is one of the usual final ones. Nothing here
writes; a table that doesn't exist yet simply offers nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from bot.io import Community
from store import Store

CHOICES_MAX = 25

# Who may cancel a record, and which states are still open, per table (as the families
# store them today); other tables try the usual names.
OWNERS: dict[str, tuple[str, ...]] = {
    "intros": ("requester",),
    "coffee_chats": ("requester", "invitee"),
    "followups": ("owner",),
}
OPEN_STATES: dict[str, tuple[str, ...]] = {
    "intros": ("requested", "asked_connector", "asked_target"),
    "coffee_chats": ("proposed", "accepted", "rescheduled", "missed"),
    "followups": ("active",),
}
OWNER_FIELDS = (
    "user",
    "owner",
    "requester",
    "inviter",
    "invitee",
    "from",
    "to",
    "by",
    "created_by",
    "users",
    "people",
    "members",
)
FINAL_STATES = {
    "cancelled",
    "canceled",
    "declined",
    "expired",
    "done",
    "introduced",
    "made_outside",
    "completed",
    "happened",
    "held",
    "stopped",
    "deleted",
    "failed",
    "closed",
}
SUMMARY_FIELDS = ("reason", "topic", "note", "target_text", "person_name", "text")
PEOPLE_FIELDS = ("target", "connector", "person", "invitee", "with", "other")


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))


def zones(current: str) -> list[tuple[str, str]]:
    """Zone names matching what was typed: names starting with it first, then containing it."""
    typed = current.strip().lower().replace(" ", "_")
    if not typed:
        popular = ("UTC", "Europe/London", "Europe/Berlin", "America/New_York")
        return [(z, z) for z in (*popular, "America/Los_Angeles", "Asia/Kolkata")]
    starts, contains = [], []
    for zone in _zones():
        low = zone.lower()
        city = low.rsplit("/", 1)[-1]
        if low.startswith(typed) or city.startswith(typed):
            starts.append(zone)
        elif typed in low:
            contains.append(zone)
    return [(z, z) for z in (starts + contains)[:CHOICES_MAX]]


def open_items(
    store: Store,
    table: str,
    community: Community,
    user: str,
    current: str,
    name_of: Callable[[str], str],
) -> list[tuple[str, str]]:
    """(label, id) of the user's open records in ``table`` that match what was typed."""
    try:
        docs = store.find(table, {"community": community.key})
    except Exception:  # a table shaped unlike we guess must not break typing
        return []
    fields = OWNERS.get(table, OWNER_FIELDS)
    typed = current.strip().lower()
    found: list[tuple[str, str]] = []
    for doc in sorted(docs, key=lambda d: str(d.get("created", "")), reverse=True):
        if not _owned(doc, fields, user) or not _open(table, doc):
            continue
        label = describe(doc, name_of)
        if typed and typed not in label.lower():
            continue
        found.append((label[:100], str(doc["id"])[:100]))
        if len(found) == CHOICES_MAX:
            break
    return found


def _open(table: str, doc: dict[str, Any]) -> bool:
    state = str(doc.get("state", "")).lower()
    if table in OPEN_STATES:
        return state in OPEN_STATES[table]
    return state not in FINAL_STATES


def _owned(doc: dict[str, Any], fields: tuple[str, ...], user: str) -> bool:
    for field in fields:
        value = doc.get(field)
        if value == user or (isinstance(value, list) and user in value):
            return True
    return False


def describe(doc: dict[str, Any], name_of: Callable[[str], str]) -> str:
    """``k3f9qz · Bo · would love to hear about data teams`` — enough to recognise it."""
    bits = [str(doc["id"])]
    for field in PEOPLE_FIELDS:
        value = doc.get(field)
        if isinstance(value, str) and value:
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
