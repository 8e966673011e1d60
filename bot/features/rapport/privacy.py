"""A member's data: a copy of everything about them, or erasing it.

**Export** gathers, table by table, the records that are the member's own or that
they took part in — never what is private to someone else (another member's
follow-up notes about them, someone's roulette "avoid" list, an intro the target
was never asked about) — and sends it as ``rapport-export.json`` by DM.

**Erase** runs after an explicit confirmation, in one atomic block:

1. what other people are waiting on is closed first: the member's open intro
   requests, intros waiting on them as connector or target, their live coffee chats
   and this round's roulette matches. The other people are told only that it was
   withdrawn (the note names no one, and is queued without an origin, so not even the
   outbox remembers who withdrew);
2. other members' own follow-ups about the member stay theirs and keep reminding
   them: the person becomes nobody, shown as "a former member", and their note (their
   own words) is kept;
3. then every table of the store is swept: a record the member owns is deleted; a
   record someone else owns keeps working with the member replaced by ``FORMER_MEMBER``
   (the requester's intro that the member was to make stays, cancelled; a chat that
   happened still counts for the other person). Every outbox item to, from or about
   the member goes, queued or already sent.

Once that block has committed, the store is compacted (``Store.compact``), so no byte
of the member's records stays in its files.

A record is "about" the member when any value in it is their id, or a key names them
(``console:local|carol|…``); delivered messages also when they carry the member's name.
Everything is scoped to the community the command was run in: identities are
per community (``(platform, workspace, user)``).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from bot.clock import iso, parse_iso
from bot.context import Context
from bot.features.rapport import text as t
from bot.io import DirectMessage, MessageUpdate, Output, Queued, Reply
from bot.markup import fmt, to_plain
from bot.messages import Attachment, Button, Message
from bot.registry import FORMER_MEMBER, Kept
from store.base import OUTBOX, new_id

EXPORT_FILE = "rapport-export.json"
CONFIRMS = "privacy_confirms"  # {community, user, at, expires}: an erase waiting for its yes
KEPT = (Kept(CONFIRMS, exported=False),)
CONFIRM_FOR = timedelta(minutes=30)
ERASE = "rapport.privacy_erase"
KEEP = "rapport.privacy_keep"

_PERSON_FIELDS = ("user", "owner")
_DELIMS = re.compile(r"([|:])")


# -- finding the member in a record ------------------------------------------------------------


def _names(value: str, uid: str) -> bool:
    if value == uid:
        return True
    return ("|" in value or ":" in value) and uid in _DELIMS.split(value)


def mentions(value: Any, uid: str) -> bool:
    """Whether ``uid`` is anywhere in ``value``: a value equal to it, or a key naming it."""
    if isinstance(value, str):
        return _names(value, uid)
    if isinstance(value, dict):
        return any(_names(str(k), uid) or mentions(v, uid) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(mentions(v, uid) for v in value)
    return False


def scrub(value: Any, uid: str, placeholder: str = FORMER_MEMBER) -> Any:
    """``value`` with every mention of ``uid`` replaced by ``placeholder``."""
    if isinstance(value, str):
        if value == uid:
            return placeholder
        if "|" in value or ":" in value:
            return "".join(placeholder if p == uid else p for p in _DELIMS.split(value))
        return value
    if isinstance(value, dict):
        return {k: scrub(v, uid, placeholder) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, uid, placeholder) for v in value]
    return value


def _in_community(ctx: Context, doc: dict[str, Any]) -> bool:
    """Records of this community (those without a community field: by their key, if any)."""
    key = ctx.community.key
    if "community" in doc:
        return doc.get("community") == key
    for field in ("key", "who"):
        value = doc.get(field)
        if isinstance(value, str) and "|" in value:
            return value.startswith(key + "|")
    return True


# -- export -------------------------------------------------------------------------------------


def _mine(ctx: Context, table: str, doc: dict[str, Any], uid: str) -> bool:
    """Whether a record belongs in ``uid``'s export (theirs, or something they took part in)."""
    rule = ctx.kept.get(table)
    if rule is not None and rule.mine is not None:
        return rule.mine(doc, uid)
    # Everything else: records whose person is the member (their settings, wins, log…).
    # Someone else's record that only points at them (an "avoid" list) is not theirs.
    return any(doc.get(f) == uid for f in _PERSON_FIELDS)


def _outbox_entry(doc: dict[str, Any]) -> dict[str, Any] | None:
    """A pending outbox item for the member, summarised (what and when, not the plumbing)."""
    entry: dict[str, Any] = {"due": doc.get("due"), "state": doc.get("state")}
    if doc.get("kind") == "event":
        entry.update(kind="scheduled", event=doc.get("event"), data=doc.get("data"))
        return entry
    message = Message.from_data((doc.get("out") or {}).get("message") or {"text": []})
    if any(a.filename == EXPORT_FILE for a in message.attachments):
        return None  # an earlier export on its way: not part of the data itself
    entry.update(kind="message", text=to_plain(message.text))
    return entry


def export_data(ctx: Context, uid: str | None = None) -> dict[str, Any]:
    """Everything this community's store keeps about ``uid``, as JSON-able data."""
    uid = uid or ctx.user
    tables: dict[str, list[Any]] = {}
    for table in sorted(ctx.store.tables()):
        rule = ctx.kept.get(table)
        if (rule is not None and not rule.exported) or table.startswith("_"):
            continue
        rows: list[Any] = []
        for doc in ctx.store.find(table):
            if not isinstance(doc, dict) or not _in_community(ctx, doc):
                continue
            if table == OUTBOX:
                if doc.get("user") == uid and doc.get("state") == "pending":
                    entry = _outbox_entry(doc)
                    if entry is not None:
                        rows.append(entry)
            elif _mine(ctx, table, doc, uid):
                rows.append(doc)
        if rows:
            tables[table] = sorted(rows, key=lambda d: str(d.get("id") or d.get("due") or ""))
    return {
        "community": ctx.community.key,
        "user": uid,
        "exported_at": iso(ctx.now()),
        "records": sum(len(rows) for rows in tables.values()),
        "tables": tables,
    }


def export(ctx: Context) -> list[Output]:
    """``/rapport privacy export``: the file by DM, and a word now."""
    data = export_data(ctx)
    body = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    when = ctx.now().strftime("%Y-%m-%d %H:%M")
    return [
        Reply(Message(fmt(t.EXPORT_SENT, filename=EXPORT_FILE))),
        DirectMessage(
            ctx.user,
            Message(
                fmt(t.EXPORT_DM, when=when),
                attachments=(Attachment(EXPORT_FILE, body + "\n", "application/json"),),
            ),
        ),
    ]


# -- erase: asking first ---------------------------------------------------------------------------


def ask_erase(ctx: Context) -> list[Output]:
    """``/rapport privacy delete``: nothing happens until the member presses yes."""
    now = ctx.now()
    for old in ctx.store.find(CONFIRMS, {"user": ctx.user}):
        if old.get("community") == ctx.community.key:
            ctx.store.delete(CONFIRMS, old["id"])
    doc = ctx.store.insert(
        CONFIRMS,
        {
            "id": new_id(10),
            "community": ctx.community.key,
            "user": ctx.user,
            "at": iso(now),
            "expires": iso(now + CONFIRM_FOR),
        },
    )
    return [
        Reply(
            Message(
                fmt(t.DELETE_ASK),
                (
                    Button(ERASE, t.DELETE_YES, doc["id"], "danger"),
                    Button(KEEP, t.DELETE_NO, doc["id"]),
                ),
            )
        )
    ]


def _confirmation(ctx: Context, value: str) -> dict[str, Any] | list[Output]:
    doc = ctx.store.get(CONFIRMS, value)
    if doc is None or doc.get("community") != ctx.community.key:
        return [Reply(Message(fmt(t.DELETE_GONE)))]
    if doc.get("user") != ctx.user:
        return [Reply(Message(fmt(t.DELETE_NOT_YOURS)))]
    return doc


def confirm_erase(ctx: Context, value: str) -> list[Output]:
    """The member pressed **Yes, erase everything**."""
    doc = _confirmation(ctx, value)
    if isinstance(doc, list):
        return doc
    if parse_iso(doc["expires"]) < ctx.now():
        ctx.store.delete(CONFIRMS, doc["id"])
        return [MessageUpdate(Message(fmt(t.DELETE_EXPIRED)))]
    count = erase(ctx, ctx.user)
    ctx.erased = True
    ctx.after_commit(ctx.store.compact)  # deleted must mean gone from disk too
    return [MessageUpdate(Message(fmt(t.DELETE_DONE, count=count)))]


def keep(ctx: Context, value: str) -> list[Output]:
    """The member pressed **Keep my data**."""
    doc = _confirmation(ctx, value)
    if isinstance(doc, list):
        return doc
    ctx.store.delete(CONFIRMS, doc["id"])
    return [MessageUpdate(Message(fmt(t.DELETE_KEPT)))]


# -- erase: doing it ---------------------------------------------------------------------


def erase(ctx: Context, uid: str) -> int:
    """Erase ``uid`` from this community's records; returns how many records changed.

    Runs inside the caller's atomic block (the core's, for a button press).
    """
    name = ctx.name(uid)
    notes: list[tuple[str, Message]] = []
    with ctx.store.atomic():
        for family in ctx.families.values():
            for withdraw in family.erasers:
                withdraw(ctx, uid, notes)
        changed = _sweep(ctx, uid, name)
        now = ctx.now()
        batch = new_id(10)
        seen: set[tuple[str, str]] = set()
        for i, (user, message) in enumerate(notes):
            if user in (uid, FORMER_MEMBER) or (user, message.plain()) in seen:
                continue
            seen.add((user, message.plain()))
            note = DirectMessage(user, message)
            due = now - timedelta(microseconds=len(notes) - i)
            ctx.emit(Queued(note, due=due, key=f"privacy-note:{batch}:{i}", anonymous=True))
    return changed


def _sweep(ctx: Context, uid: str, name: str) -> int:
    """Delete or scrub every record of every table that is about the member."""
    # Delivered messages, remembered replies and sent files carry the member as text: by
    # name, or by id (a mention's markup, another member's export naming them).
    words = "|".join(re.escape(w) for w in {name, uid} if w)
    named = re.compile(rf"(?<!\w)(?:{words})(?!\w)")
    changed = 0
    for table in ctx.store.tables():
        if table.startswith("_"):
            continue
        for doc in ctx.store.find(table):
            if not isinstance(doc, dict) or not _in_community(ctx, doc):
                continue
            about = mentions(doc, uid)
            if not about and table in (OUTBOX, "requests"):
                # Delivered messages and remembered replies may carry the name as text.
                logged = table == "requests" or doc.get("state") != "pending"
                about = logged and bool(named.search(json.dumps(doc, ensure_ascii=False)))
            if not about:
                continue
            rule = ctx.kept.get(table)
            owner = rule.owner if rule else None
            if rule is not None and rule.shared and not (owner and doc.get(owner) == uid):
                fields = {k: scrub(v, uid) for k, v in doc.items() if k not in ("id", "key")}
                if isinstance(doc.get("key"), str) and mentions(doc["key"], uid):
                    # Keys are unique: each erased member leaves a different mark.
                    fields["key"] = scrub(doc["key"], uid, f"{FORMER_MEMBER}~{new_id(8)}")
                ctx.store.update(table, doc["id"], fields)
            else:
                ctx.store.delete(table, doc["id"])
            changed += 1
    return changed
