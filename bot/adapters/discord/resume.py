"""Deferred interactions: recorded before the defer, answered after a crash.

Discord waits 3 s for an interaction's first response. rapport answers at once when the
core is quick (the answer is the acknowledgement: nothing to lose). When it is not, it
defers — from then on the member has been told "working on it" — so the interaction's
raw payload is first recorded in the durable inbox (``bot.inbox``), and marked done once
answered. If the process dies in between, any process over the same store takes the
entry over when its lease runs out: the payload goes through discord.py again, its
response marked as already deferred, so the very same translation runs; the core
answers from its stored replies if it had finished (request ids), and the answer goes
out through the interaction's webhook while its token lives, by DM after that.

The first answer to a deferred command edits the "thinking…" message rather than adding
a follow-up, so an answer given again after a crash replaces itself instead of
appearing twice.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import discord
from discord.enums import InteractionResponseType

from bot import inbox
from bot.inbox import Entry
from bot.io import Community
from store import Store

log = logging.getLogger(__name__)

PLATFORM = "discord"
TOKEN_LIFE = timedelta(minutes=14)  # Discord's interaction tokens live 15 minutes
MAX_RESUMES = 3  # an entry taken over this often without an answer is given up
RAW_MEMORY = 2_000  # raw payloads of interactions still being answered


class RawPayloads:
    """The raw ``INTERACTION_CREATE`` payloads of interactions not answered yet.

    discord.py builds an ``Interaction`` from the payload and keeps no copy; the inbox
    needs the payload itself to go through discord.py again after a crash."""

    def __init__(self, limit: int = RAW_MEMORY) -> None:
        self.limit = limit
        self._raw: OrderedDict[int, dict[str, Any]] = OrderedDict()

    def install(self, state: Any) -> None:
        """Keep each payload as it arrives, on both ways into ``parse_interaction_create``
        (the gateway's parser table, and direct calls)."""
        original: Callable[[dict[str, Any]], None] = state.parse_interaction_create

        def parse(data: dict[str, Any]) -> None:
            self.keep(data)
            original(data)

        state.parse_interaction_create = parse
        state.parsers["INTERACTION_CREATE"] = parse

    def keep(self, data: dict[str, Any]) -> None:
        if int(data.get("type", 0)) not in (2, 3, 5):  # commands, components, modal submits
            return
        self._raw[int(data["id"])] = data
        while len(self._raw) > self.limit:
            self._raw.popitem(last=False)

    def pop(self, interaction_id: int) -> dict[str, Any] | None:
        return self._raw.pop(interaction_id, None)


def record(
    store: Store,
    community: Community,
    raw: dict[str, Any],
    *,
    component: bool,
    now: datetime,
    worker: str,
    lease: timedelta,
) -> Entry | None:
    """Record a deferred interaction (before the defer is sent)."""
    kind = {2: "command", 3: "press", 5: "form"}.get(int(raw.get("type", 0)), "other")
    return inbox.record(
        store,
        community,
        kind,
        str(raw["id"]),
        {"raw": raw, "component": component},
        now=now,
        worker=worker,
        reply_until=now + TOKEN_LIFE,
        lease=lease,
    )


def mark_deferred(interaction: discord.Interaction[Any], entry: Entry) -> None:
    """Make a payload taken over look as it stood: already deferred before the crash.

    discord.py tracks that only on the live ``InteractionResponse``; from here every
    answer goes through the webhook (``followup`` / ``edit_original_response``)."""
    interaction.response._response_type = (
        InteractionResponseType.deferred_message_update
        if entry.payload.get("component")
        else InteractionResponseType.deferred_channel_message
    )


def command_name(entry: Entry) -> str:
    """What the member ran, for the late answer's heading (``/intro ask``)."""
    data = entry.payload.get("raw", {}).get("data") or {}
    words = [str(data.get("name", ""))]
    options = data.get("options") or []
    while options and options[0].get("type") in (1, 2):  # subcommand (group)
        words.append(str(options[0].get("name", "")))
        options = options[0].get("options") or []
    return "/" + " ".join(w for w in words if w)
