"""Buttons that keep working after a restart.

Every button rapport sends is a ``DynamicItem``: its ``custom_id`` carries the
community (guild id), the action and the record id, e.g. ``rp:7001:intro.make:k3f9qz``.
The class is registered once at startup (``Client.add_dynamic_items``), so a press
on a message sent by an earlier process is understood from the id alone; nothing
is kept in memory per message. A ``custom_id`` longer than Discord's 100
characters (or one already used in the same message) is stored instead and the
button carries a short reference, ``rp#<ref>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

import discord

from bot.io import Community
from bot.messages import Button
from store import Store
from store.base import new_id

BUTTONS = "discord_buttons"  # long button ids, by reference
CUSTOM_ID_MAX = 100
LABEL_MAX = 80

TEMPLATE = re.compile(
    r"rp:(?P<guild>[0-9]+):(?P<action>[^:\s]+):(?P<value>.*)|rp#(?P<ref>[a-z0-9]+)", re.S
)

STYLES = {
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
    "default": discord.ButtonStyle.secondary,
}


@dataclass(frozen=True)
class Target:
    """What a pressed button means: which community, which action, which record."""

    community: Community
    action: str
    value: str


def custom_id(
    community: Community, button: Button, store: Store, *, used: set[str] | None = None
) -> str:
    """The ``custom_id`` for a button: self-describing when it fits, else a stored reference."""
    direct = f"rp:{community.workspace}:{button.action}:{button.value}"
    fits = (
        len(direct) <= CUSTOM_ID_MAX
        and community.workspace.isdigit()
        and TEMPLATE.fullmatch(direct) is not None
    )
    if fits and (used is None or direct not in used):
        return direct
    ref = new_id(12)
    store.insert(
        BUTTONS,
        {
            "id": ref,
            "community": community.key,
            "action": button.action,
            "value": button.value,
        },
    )
    return f"rp#{ref}"


def resolve(match: re.Match[str], store: Store) -> Target | None:
    """The button's meaning from its ``custom_id``; None if a stored reference is gone."""
    if match["ref"]:
        doc = store.get(BUTTONS, match["ref"])
        if doc is None:
            return None
        return Target(Community.from_key(doc["community"]), doc["action"], doc["value"])
    return Target(Community("discord", match["guild"]), match["action"], match["value"])


class RapportButton(discord.ui.DynamicItem[discord.ui.Button], template=TEMPLATE):
    """One of our buttons, rebuilt from its ``custom_id`` whenever it is pressed."""

    def __init__(self, item: discord.ui.Button, target: Target | None = None) -> None:
        super().__init__(item)
        self.target = target

    @classmethod
    def make(cls, button: Button, cid: str) -> RapportButton:
        item: discord.ui.Button = discord.ui.Button(
            label=_label(button.label),
            style=STYLES.get(button.style, discord.ButtonStyle.secondary),
            custom_id=cid,
        )
        return cls(item)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RapportButton:
        adapter = _adapter(interaction)
        target = resolve(match, adapter.store) if adapter is not None else None
        assert isinstance(item, discord.ui.Button)
        return cls(item, target)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        adapter = _adapter(interaction)
        if adapter is not None:
            await adapter.on_button(interaction, self.target)


class PressHandler(Protocol):
    """What a press needs of the adapter (``app.DiscordAdapter``), without importing it."""

    store: Store

    async def on_button(
        self, interaction: discord.Interaction[Any], target: Target | None
    ) -> None: ...


def _adapter(interaction: discord.Interaction[Any]) -> PressHandler | None:
    return getattr(interaction.client, "rapport", None)


def _label(text: str) -> str:
    text = text.strip() or "…"
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"
