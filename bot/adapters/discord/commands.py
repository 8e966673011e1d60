"""The slash commands: one per command family, with typed options.

Each family becomes ``/family`` with a subcommand per ``Variant`` the family declares
(``bot/registry.py``): user pickers for people, channel pickers, choices for cadences,
autocomplete for time zones and for the member's own open items. The adapter turns
the chosen options back into the same ``parts`` the Slack text form would give
(``translate.parts_for``), so the core cannot tell the platforms apart. Nothing here
knows any family: a family added tomorrow is on Discord at once.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol

import discord
from discord import app_commands

from bot.registry import Family, Param, Variant, param_name

CHOICES_MAX = 25


def variants_of(family: Family) -> list[Variant]:
    """The family's variants as Discord subcommands (names made valid for Discord)."""
    return [
        Variant(tuple(safe_name(w) for w in v.path), v.sub, v.words, v.params, v.help)
        for v in family.variants()
    ]


def safe_name(word: str) -> str:
    """A valid Discord command or option name (lower case, letters, digits, - and _)."""
    return param_name(word)


def description(family: Family, variant: Variant) -> str:
    sub = family.find_sub(variant.sub) if variant.sub else family.default_sub()
    summary = sub.summary if sub else ""
    text = variant.help or summary or (sub.usage if sub else "") or family.summary
    return _cut(text)


def _group_description(family: Family, variant: Variant) -> str:
    sub = family.find_sub(variant.sub) if variant.sub else None
    return _cut((sub.summary if sub else "") or f"{family.name} {variant.path[0]}")


def _cut(text: str, limit: int = 100) -> str:
    text = " ".join(text.split()) or "…"
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- building discord.py commands ------------------------------------------------


class Handler(Protocol):
    async def on_command(
        self,
        interaction: discord.Interaction[Any],
        family: Family,
        variant: Variant,
        values: dict[str, Any],
    ) -> None: ...

    async def complete(
        self, interaction: discord.Interaction[Any], family: Family, param: Param, current: str
    ) -> list[app_commands.Choice[str]]: ...


ANNOTATIONS: dict[str, Any] = {
    "user": discord.User,
    "channel": app_commands.AppCommandChannel,
}


def build_commands(
    families: Iterable[Family], handler: Handler
) -> list[app_commands.Command[Any, ..., Any] | app_commands.Group]:
    """One guild-only command per family; subcommands and subgroups as its variants say."""
    families = list(families)
    names = tuple((f.name, f.name) for f in families)
    built: list[app_commands.Command[Any, ..., Any] | app_commands.Group] = []
    for family in families:
        variants = variants_of(family)
        summary = _cut(family.summary or family.name)
        if len(variants) == 1 and not variants[0].path:
            cmd = _command(family.name, summary, family, variants[0], handler, names)
            cmd.guild_only = True
            built.append(cmd)
            continue
        group = app_commands.Group(
            name=safe_name(family.name), description=summary, guild_only=True
        )
        subgroups: dict[str, app_commands.Group] = {}
        for variant in variants[:CHOICES_MAX]:
            parent = group
            if len(variant.path) == 2:
                parent = subgroups.get(variant.path[0]) or subgroups.setdefault(
                    variant.path[0],
                    app_commands.Group(
                        name=variant.path[0],
                        description=_group_description(family, variant),
                        parent=group,
                    ),
                )
            name = variant.path[-1]
            if parent.get_command(name) is not None:
                continue
            parent.add_command(
                _command(name, description(family, variant), family, variant, handler, names)
            )
        built.append(group)
    return built


def _command(
    name: str,
    desc: str,
    family: Family,
    variant: Variant,
    handler: Handler,
    family_names: tuple[tuple[str, str], ...],
) -> app_commands.Command[Any, ..., Any]:
    async def callback(interaction: discord.Interaction[Any], **values: Any) -> None:
        await handler.on_command(interaction, family, variant, values)

    params = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    descriptions: dict[str, str] = {}
    choices: dict[str, list[app_commands.Choice[str]]] = {}
    completers: dict[str, Callable[..., Awaitable[list[app_commands.Choice[str]]]]] = {}
    # Discord wants required options first; the core still reads them in ``variant.params`` order.
    for param in sorted(variant.params, key=lambda o: not o.required):
        params.append(
            inspect.Parameter(
                param.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=ANNOTATIONS.get(param.kind, str),
                default=inspect.Parameter.empty if param.required else None,
            )
        )
        descriptions[param.name] = _cut(param.help)
        pairs = family_names if param.kind == "family" else param.choices
        if pairs:
            choices[param.name] = [
                app_commands.Choice(name=k, value=v) for k, v in pairs[:CHOICES_MAX]
            ]
        if param.kind in ("zone", "item"):
            completers[param.name] = _completer(handler, family, param)
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = descriptions  # type: ignore[attr-defined]
    if choices:
        callback.__discord_app_commands_param_choices__ = choices  # type: ignore[attr-defined]
    if completers:
        callback.__discord_app_commands_param_autocomplete__ = completers  # type: ignore[attr-defined]
    return app_commands.Command(name=safe_name(name), description=desc, callback=callback)


def _completer(
    handler: Handler, family: Family, param: Param
) -> Callable[[discord.Interaction[Any], str], Awaitable[list[app_commands.Choice[str]]]]:
    async def complete(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await handler.complete(interaction, family, param, current)

    return complete
