"""The weekly digest: how much relationship-building a community did this week.

Only aggregate numbers are shown, and nobody is named (wins included: the win itself
was celebrated in the wins channel when it was shared). The source tables belong to
other features and are read defensively — a table that doesn't exist yet, or a record
without the fields we look for, counts 0:

- chats held: ``contacts`` rows from a check-in that said yes (source ``coffee`` or
  ``roulette``; both people get a row, the chat is counted once), or a ``chats``
  record with ``happened: true`` and ``checked_in_at``;
- intros made: ``intros`` in state ``introduced``/``made_outside``, dated by the
  history entry that moved them there;
- follow-ups done: ``contacts`` rows with source ``followup``;
- wins shared: our own ``wins`` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import read_moment
from bot.features.followup.contacts import CONTACTS
from bot.features.tips import text as t
from bot.io import Community
from bot.markup import Text, fmt, join
from bot.messages import Message
from store import Store

WINS = "wins"
INTROS = "intros"
CHATS = "chats"  # a check-in record: {community, happened: true, checked_in_at}

CHAT_SOURCES = ("coffee", "roulette")
MADE = ("introduced", "made_outside")
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class WeekNumbers:
    chats: int = 0
    intros: int = 0
    followups: int = 0
    wins: int = 0

    @property
    def quiet(self) -> bool:
        return not (self.chats or self.intros or self.followups or self.wins)


def _records(store: Store, table: str, community: Community) -> list[dict[str, Any]]:
    """A community's records of a table; a table nobody has written to yet has none."""
    return [d for d in store.find(table, {"community": community.key}) if isinstance(d, dict)]


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start < moment <= end


def intro_made_at(doc: dict[str, Any]) -> datetime | None:
    """When an intro was made: its history entry for that state, else a dated field."""
    for entry in doc.get("history") or ():
        if not isinstance(entry, dict):
            continue
        states = {entry.get(k) for k in ("state", "to", "event", "action")}
        if states & set(MADE) and read_moment(entry.get("at")):
            return read_moment(entry.get("at"))
    for field in ("made_at", "introduced_at"):
        if read_moment(doc.get(field)):
            return read_moment(doc.get(field))
    return None


def chats_held(store: Store, community: Community, start: datetime, end: datetime) -> int:
    """Chats whose check-in said they happened, each counted once (both people log it)."""
    held: set[tuple[str, str]] = set()
    for d in _records(store, CONTACTS, community):
        at = read_moment(d.get("at"))
        if d.get("source") in CHAT_SOURCES and _within(at, start, end):
            pair = "|".join(sorted((str(d.get("user")), str(d.get("other")))))
            held.add(
                (str(d["source"]), str(d.get("ref") or d.get("chat") or f"{pair}|{at:%Y-%m-%d}"))
            )
    for d in _records(store, CHATS, community):
        if d.get("happened") is True and _within(read_moment(d.get("checked_in_at")), start, end):
            held.add((CHATS, str(d.get("id"))))
    return len(held)


def count_week(store: Store, community: Community, start: datetime, end: datetime) -> WeekNumbers:
    """Numbers for the moments in (start, end]."""
    intros = sum(
        1
        for d in _records(store, INTROS, community)
        if d.get("state") in MADE and _within(intro_made_at(d), start, end)
    )
    followups = sum(
        1
        for d in _records(store, CONTACTS, community)
        if d.get("source") == "followup" and _within(read_moment(d.get("at")), start, end)
    )
    wins = sum(
        1 for d in _records(store, WINS, community) if _within(read_moment(d.get("at")), start, end)
    )
    return WeekNumbers(chats_held(store, community, start, end), intros, followups, wins)


def _count(n: int, one: str, many: str) -> Text:
    return fmt(one if n == 1 else many, n=n)


def digest_message(numbers: WeekNumbers, start: datetime, end: datetime, tz: str) -> Message:
    """The post itself; a quiet week gets encouragement rather than a row of zeros."""
    zone = ZoneInfo(tz)
    first = (start + timedelta(seconds=1)).astimezone(zone)
    last = end.astimezone(zone)
    span = f"{first.day} {first:%b} – {last.day} {last:%b}"
    lines: list[Text] = [fmt(t.DIGEST_TITLE, span=span)]
    if numbers.quiet:
        lines.append(fmt(t.DIGEST_QUIET))
        return Message(join(*lines))
    lines += [
        _count(numbers.chats, t.DIGEST_CHATS_ONE, t.DIGEST_CHATS),
        _count(numbers.intros, t.DIGEST_INTROS_ONE, t.DIGEST_INTROS),
        _count(numbers.followups, t.DIGEST_FOLLOWUPS_ONE, t.DIGEST_FOLLOWUPS),
        _count(numbers.wins, t.DIGEST_WINS_ONE, t.DIGEST_WINS),
    ]
    lines.append(fmt(t.DIGEST_CLOSING))
    return Message(join(*lines))
