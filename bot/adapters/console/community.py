"""The console's local community: its members, and how a typed line becomes arguments."""

from __future__ import annotations

import re

from bot.directory import Member, StaticDirectory
from bot.io import ChannelArg, Community, Part, UserArg

COMMUNITY = Community("console", "local")
DEFAULT_MEMBERS = ("you", "alice", "bob", "carol", "dan")
BOT_NAME = "rapport"
CHANNELS = ("general", "jobs", "wins", "intros")

_MENTION = re.compile(r"(?<![\w@])([@#])([A-Za-z0-9_.-]+)")


def build_directory(extra: int = 0, tz: str | None = None) -> StaticDirectory:
    """you (the admin), alice, bob, carol, dan, ``extra`` more, and the bot itself."""
    names = list(DEFAULT_MEMBERS) + [f"member{i}" for i in range(1, extra + 1)]
    members = [Member(name, name, tz=tz, is_admin=name == "you") for name in names]
    members.append(Member(BOT_NAME, BOT_NAME, is_bot=True))
    return StaticDirectory(members)


def parse_parts(text: str, directory: StaticDirectory) -> tuple[Part, ...]:
    """``@alice`` becomes a resolved user when alice is a member, ``#jobs`` a channel.

    This is what Slack and Discord do for us: only real members resolve; anything
    else stays text, and the core answers "I couldn't find …".
    """
    parts: list[Part] = []
    pos = 0
    for m in _MENTION.finditer(text):
        sigil, name = m.group(1), m.group(2)
        if sigil == "@":
            member = directory.named(COMMUNITY, name)
            if member is None:
                continue
            arg: Part = UserArg(member.id, member.name, member.is_bot)
        else:
            arg = ChannelArg(name, name)
        parts.append(text[pos : m.start()])
        parts.append(arg)
        pos = m.end()
    parts.append(text[pos:])
    return tuple(p for p in parts if p != "")
