"""Builders for the ``INTERACTION_CREATE`` payloads Discord's gateway sends.

Shapes follow Discord's documentation: an application command (type 2) with nested
subcommand options and ``resolved`` users and members, an autocomplete (type 4), and a
component press (type 3) carrying the message it was pressed on *with its
components* — discord.py finds dynamic items through them.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.adapters.discord.fake_api import APP_ID

GUILD = "700000000000000001"
CHANNEL = "700000000000000002"
MANAGE_GUILD = 1 << 5
EVERYONE_PERMS = (1 << 10) | (1 << 11)  # view channel, send messages

_ids = itertools.count(1_100_000_000_000_000_000)

# Option types (Discord's ApplicationCommandOptionType).
SUB, GROUP, STRING, INTEGER, USER, CHANNEL_OPT = 1, 2, 3, 4, 6, 7


def next_id() -> str:
    return str(next(_ids))


def user(id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": id,
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


def member(u: dict[str, Any], *, permissions: int = EVERYONE_PERMS) -> dict[str, Any]:
    return {
        "user": u,
        "roles": [],
        "joined_at": "2026-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(permissions),
    }


def opt(name: str, value: Any, type: int = STRING, *, focused: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": type, "value": value}
    if focused:
        out["focused"] = True
    return out


def sub(name: str, *options: dict[str, Any], group: bool = False) -> dict[str, Any]:
    return {"name": name, "type": GROUP if group else SUB, "options": list(options)}


def text_channel(id: str, guild: str, name: str = "general") -> dict[str, Any]:
    """A guild text channel as an interaction carries it."""
    return {
        "id": id,
        "type": 0,
        "guild_id": guild,
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "topic": None,
        "parent_id": None,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
        "permissions": str(EVERYONE_PERMS),
    }


def _base(
    kind: int,
    actor: dict[str, Any],
    *,
    guild: str | None,
    channel: str,
    permissions: int,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": next_id(),
        "application_id": APP_ID,
        "type": kind,
        "token": f"itoken{next_id()}",
        "version": 1,
        "locale": "en-US",
        "attachment_size_limit": 8 * 1024 * 1024,
        "app_permissions": str((1 << 41) - 1),
        "entitlements": [],
    }
    if guild is not None:
        payload["guild_id"] = guild
        payload["guild_locale"] = "en-US"
        payload["guild"] = {"id": guild, "locale": "en-US", "features": []}
        payload["channel"] = text_channel(channel, guild)
        payload["channel_id"] = channel
        payload["member"] = member(actor, permissions=permissions)
        payload["context"] = 0
    else:
        payload["channel"] = {"id": channel, "type": 1, "recipients": [actor]}
        payload["channel_id"] = channel
        payload["user"] = actor
        payload["context"] = 1
    return payload


def command(
    name: str,
    options: list[dict[str, Any]],
    actor: dict[str, Any],
    *,
    users: list[dict[str, Any]] = (),  # type: ignore[assignment]
    channels: list[dict[str, Any]] = (),  # type: ignore[assignment]
    guild: str = GUILD,
    channel: str = CHANNEL,
    permissions: int = EVERYONE_PERMS,
    autocomplete: bool = False,
) -> dict[str, Any]:
    """A slash command (or its autocomplete) with ``resolved`` users, as Discord sends it."""
    payload = _base(
        4 if autocomplete else 2, actor, guild=guild, channel=channel, permissions=permissions
    )
    data: dict[str, Any] = {"id": next_id(), "name": name, "type": 1, "options": options}
    resolved: dict[str, Any] = {}
    if users:
        resolved["users"] = {u["id"]: u for u in users}
        resolved["members"] = {
            u["id"]: {k: v for k, v in member(u).items() if k != "user"} for u in users
        }
    if channels:
        resolved["channels"] = {
            c["id"]: {"permissions": str(EVERYONE_PERMS), "type": 0, **c} for c in channels
        }
    if resolved:
        data["resolved"] = resolved
    payload["data"] = data
    return payload


def press(
    message: dict[str, Any],
    custom_id: str,
    actor: dict[str, Any],
    *,
    guild: str | None = None,
    permissions: int = EVERYONE_PERMS,
) -> dict[str, Any]:
    """A button press on ``message`` (as the fake recorded it, components included)."""
    channel = message["channel_id"]
    payload = _base(3, actor, guild=guild, channel=channel, permissions=permissions)
    payload["message"] = {k: v for k, v in message.items() if not k.startswith("_")}
    payload["data"] = {"custom_id": custom_id, "component_type": 2}
    return payload


def modal_submit(
    modal: dict[str, Any],
    texts: dict[str, str],
    actor: dict[str, Any],
    *,
    channel: str = CHANNEL,
    guild: str | None = None,
    custom_id: str | None = None,
    picked: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """A MODAL_SUBMIT (type 5) of a modal the bot answered with: its labelled inputs,
    with ``texts`` typed into the text inputs and the users ``picked`` in the user
    selects (by custom id, ``resolved`` filled in), as Discord sends it."""
    payload = _base(5, actor, guild=guild, channel=channel, permissions=EVERYONE_PERMS)
    picked = picked or {}
    components = []
    users: dict[str, Any] = {}
    for label in modal.get("components", []):
        inner = label["component"]
        leaf: dict[str, Any] = {"type": inner["type"], "id": next_id()}
        leaf["custom_id"] = inner["custom_id"]
        if inner["type"] == 5:
            leaf["values"] = [u["id"] for u in picked.get(inner["custom_id"], [])]
            users.update({u["id"]: u for u in picked.get(inner["custom_id"], [])})
        else:
            leaf["value"] = texts.get(inner["custom_id"], "")
        components.append({"type": 18, "id": next_id(), "component": leaf})
    data: dict[str, Any] = {"custom_id": custom_id or modal["custom_id"], "components": components}
    if users:
        data["resolved"] = {"users": users}
    payload["data"] = data
    return payload


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button of a recorded message, in order."""
    return [c for row in message.get("components", []) for c in row.get("components", [])]


def button(message: dict[str, Any], label: str) -> dict[str, Any]:
    for b in buttons(message):
        if b.get("label") == label:
            return b
    raise AssertionError(f"no button {label!r} in {[b.get('label') for b in buttons(message)]}")


def slash(
    name: str,
    path: tuple[str, ...] | list[str],
    actor: dict[str, Any],
    *,
    permissions: int = EVERYONE_PERMS,
    focused: str | None = None,
    **values: Any,
) -> dict[str, Any]:
    """``/name path… option:value…`` — users and channels given as payload dicts are resolved."""
    opts: list[dict[str, Any]] = []
    users: list[dict[str, Any]] = []
    channels: list[dict[str, Any]] = []
    for key, value in values.items():
        if isinstance(value, dict) and "username" in value:
            opts.append(opt(key, value["id"], USER, focused=key == focused))
            users.append(value)
        elif isinstance(value, dict) and "position" in value:
            opts.append(opt(key, value["id"], CHANNEL_OPT, focused=key == focused))
            channels.append(value)
        elif isinstance(value, int):
            opts.append(opt(key, value, INTEGER, focused=key == focused))
        else:
            opts.append(opt(key, value, STRING, focused=key == focused))
    options = opts
    if len(path) == 2:
        options = [sub(path[0], sub(path[1], *opts), group=True)]
    elif len(path) == 1:
        options = [sub(path[0], *opts)]
    return command(
        name,
        options,
        actor,
        users=users,
        channels=channels,
        permissions=permissions,
        autocomplete=focused is not None,
    )
