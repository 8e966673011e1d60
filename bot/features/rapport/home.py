"""A member's home: what is open with their people, with buttons to act on it.

``build_home`` reads the records of every feature and returns a neutral ``HomeView``:
asks waiting for the member and their own open intro requests, coffee chats to
answer, check in on or look forward to, follow-ups, and coffee roulette. Its buttons
are the features' own (the intro's **Make the intro**, the chat's **Accept**…), so a
press here does exactly what the same press in a DM does.

Each section shows at most ``HOME_SECTION_ITEMS`` items and counts the rest in
``more``; each platform's renderer cuts further to fit its own limits.
"""

from __future__ import annotations

from bot.context import Context
from bot.features.rapport import text as t
from bot.io import HomeView
from bot.markup import fmt, join


def build_home(ctx: Context, user: str | None = None) -> HomeView:
    """The home of ``user`` (the acting member by default) as it stands now: each family
    contributes its own sections, in the families' order."""
    user = user or ctx.user
    builders = sorted(
        (entry for family in ctx.families.values() for entry in family.home_sections),
        key=lambda entry: entry[0],
    )
    sections = [s for _, build in builders if (s := build(ctx, user)) is not None]
    return HomeView(
        user=user,
        sections=tuple(sections),
        intro=join(fmt(t.HOME_HELLO, name=ctx.name(user)), fmt(t.HOME_HINT)),
    )
