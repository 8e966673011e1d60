"""Table names of the coffee feature, and the records other features read.

``contacts`` and ``keep_in_touch`` are shared with the follow-up feature: a chat that
happened is a contact for both people, and a keep-in-touch choice is what the
follow-up machinery turns into a reminder. The shapes are documented here so the
two sides agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.features.followup.contacts import log_contact
from bot.io import Community
from store import Store

CHATS = "coffee_chats"
# {community, user, other, at, source: "coffee" | "roulette", chat, key}
# {community, user, other, choice: "2w" | "1m" | "no", at, followup_due (iso or None),
#  chat, source: "coffee", key, followup: None — set by the follow-up feature when it
#  takes the reminder over, which silences our own fallback reminder}
KEEP_IN_TOUCH = "keep_in_touch"
INTROS = "intros"  # written by the intro feature: {requester, connector, target, state}

ROULETTES = "roulettes"
ROULETTE_MEMBERS = "roulette_members"
ROULETTE_AVOID = "roulette_avoid"
ROULETTE_ROUNDS = "roulette_rounds"
ROULETTE_GROUPS = "roulette_groups"


def record_contact(
    store: Store,
    community: Community,
    user: str,
    other: str,
    at: datetime,
    *,
    source: str,
    ref: str,
) -> dict[str, Any] | None:
    """Note that ``user`` met ``other`` (once per ``ref``); None if already noted."""
    return log_contact(store, community, user, other, at, source, ref)
