"""A simple App Home tab: a greeting, your settings, and what you can do.

The full home view (open intros, upcoming chats, follow-ups) arrives as a neutral
output in a later change; until then this page points people at the commands.
"""

from __future__ import annotations

from typing import Any

from bot.adapters.slack import render
from bot.adapters.slack import text as t
from bot.commands.rapport import show_settings
from bot.core import Rapport
from bot.io import Community
from bot.markup import Text, fmt, join


def home_text(core: Rapport, community: Community, user: str) -> tuple[Text, Text, Text]:
    """Greeting, settings summary and command list, in our neutral markup."""
    ctx = core.context(community, user)
    greeting = fmt(t.HOME_INTRO, name=ctx.name(user))
    settings = show_settings(ctx)
    commands = join(
        *(
            fmt("*/{name}* — {summary}", name=family.name, summary=family.summary)
            for family in core.families.values()
        ),
        fmt(t.HOME_HELP),
    )
    return greeting, settings, commands


def home_view(core: Rapport, community: Community, user: str) -> dict[str, Any]:
    greeting, settings, commands = home_text(core, community, user)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": t.HOME_TITLE}},
        *render.text_blocks(greeting, room=5),
        {"type": "divider"},
        *render.text_blocks(settings, room=20),
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": t.HOME_COMMANDS}},
        *render.text_blocks(commands, room=40),
    ]
    return {"type": "home", "blocks": blocks[:100]}
