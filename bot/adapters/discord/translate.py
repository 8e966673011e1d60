"""Discord interactions → the core's neutral inputs. The only place that reads them.

A slash command's typed options become the same ``parts`` the Slack text form
gives: words, plus users and channels Discord itself resolved (a user picker's
value is a real member, never text). Text typed into an option stays text:
``<@123>`` or ``@everyone`` in it is never taken for anyone.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.adapters.discord.buttons import Target
from bot.io import ButtonPress, ChannelArg, CommandInvocation, Community, Part, UserArg
from bot.registry import Param, Variant

PLATFORM = "discord"


def community_of(guild_id: int | str) -> Community:
    return Community(PLATFORM, str(guild_id))


def user_arg(user: discord.abc.User) -> UserArg:
    return UserArg(str(user.id), user.display_name, bool(user.bot))


def channel_arg(channel: Any) -> ChannelArg:
    return ChannelArg(str(channel.id), getattr(channel, "name", None))


def is_admin(interaction: discord.Interaction[Any]) -> bool:
    """Manage Server (or Administrator) in this guild; the core adds the configured list."""
    if interaction.guild_id is None:
        return False
    perms = interaction.permissions
    return bool(perms.manage_guild or perms.administrator)


def _value(param: Param, value: Any) -> list[Part]:
    words: list[Part] = list(param.prefix.split())
    if param.kind == "user":
        words.append(user_arg(value))
    elif param.kind == "channel":
        words.append(channel_arg(value))
    elif param.kind == "quoted":
        words.append('"' + " ".join(str(value).replace('"', "'").split()) + '"')
    else:
        words.append(str(value).strip())
    return words


def _given(values: dict[str, Any]) -> set[str]:
    return {
        k for k, v in values.items() if v is not None and not (isinstance(v, str) and not v.strip())
    }


def skipped(variant: Variant, values: dict[str, Any]) -> tuple[Param, ...]:
    """Alternatives (an option and those declared ``unless`` it: a member, or someone
    outside) all left empty while a later option is filled: the core reads by position
    and would take the later one's text for them (a reason read as the person to meet).
    Returns the empty alternatives, else ().

    Options typed with a ``prefix`` are read by their word, not their place, and empty
    alternatives at the end leave nothing to misread: the core asks for them itself.
    """
    given = _given(values)
    positional = [p for p in variant.params if not p.prefix]
    for i, param in enumerate(positional):
        if param.required or param.unless:
            continue
        group = (param, *(q for q in positional if q.unless == param.name))
        if len(group) < 2 or any(q.name in given for q in group):
            continue
        if any(q.name in given for q in positional[i + 1 :] if q not in group):
            return group
    return ()


def both(variant: Variant, values: dict[str, Any]) -> tuple[Param, ...]:
    """Two alternatives both filled in (a member *and* someone outside): the core would
    read only one, so the other would be dropped without a word. Returns the pair, else
    ()."""
    given = _given(values)
    for param in variant.params:
        if param.unless and param.name in given and param.unless in given:
            other = next(p for p in variant.params if p.name == param.unless)
            return other, param
    return ()


def parts_for(variant: Variant, values: dict[str, Any]) -> tuple[Part, ...]:
    """The chosen options as the core reads them: ``cancel k3f9qz``, ``@ana @bo why…``."""
    given = _given(values)
    items: list[Part] = [variant.sub] if variant.sub else []
    items.extend(variant.words)
    for param in variant.params:
        if param.name not in given or (param.unless and param.unless in given):
            continue
        items.extend(_value(param, values[param.name]))
    parts: list[Part] = []
    for item in items:
        if parts:
            _add(parts, " ")
        _add(parts, item)
    return tuple(parts)


def _add(parts: list[Part], item: Part) -> None:
    if isinstance(item, str) and parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1] + item
    else:
        parts.append(item)


def invocation(
    interaction: discord.Interaction[Any], family: str, variant: Variant, values: dict[str, Any]
) -> CommandInvocation:
    assert interaction.guild_id is not None
    return CommandInvocation(
        community=community_of(interaction.guild_id),
        user=str(interaction.user.id),
        command=family,
        parts=parts_for(variant, values),
        channel=str(interaction.channel_id) if interaction.channel_id else None,
        request_id=str(interaction.id),
        is_admin=is_admin(interaction),
        user_name=interaction.user.display_name,
    )


def press(interaction: discord.Interaction[Any], target: Target) -> ButtonPress:
    """A button press; the community comes from the button (a DM has no guild)."""
    same_guild = interaction.guild_id is not None and str(interaction.guild_id) == (
        target.community.workspace
    )
    return ButtonPress(
        community=target.community,
        user=str(interaction.user.id),
        action=target.action,
        value=target.value,
        channel=str(interaction.channel_id) if interaction.channel_id else None,
        message_ref=str(interaction.message.id) if interaction.message else None,
        request_id=str(interaction.id),
        is_admin=same_guild and is_admin(interaction),
    )


def resolved_users(interaction: discord.Interaction[Any], values: dict[str, Any]) -> list[UserArg]:
    """The acting user and everyone picked in the options (to learn their names)."""
    found = [user_arg(interaction.user)]
    for value in values.values():
        if isinstance(value, (discord.User, discord.Member)):
            found.append(user_arg(value))
    return found
