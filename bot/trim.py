"""Cutting long lists and text to fit, platform-neutrally.

Each platform rejects a message that is too big; its adapter knows by how much
(``bot/adapters/<platform>/limits.py``) and cuts *before* sending, with these helpers:
long lists keep their first items and end with an "…and N more" line instead of being
refused. The core only chooses how much it wants to show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from bot.io import HomeSection, HomeView
from bot.markup import Text, fmt
from bot.messages import Message

# What we choose to show, well inside every platform's limits
HOME_SECTION_ITEMS = 8  # items per home section before "…and N more"
HOME_TEXT_CHARS = 160  # of text a member typed, quoted in one home line

# The one generic word of this module (the features' words live with the features).
MORE = "_…and {n} more_"

T = TypeVar("T")


def more_text(n: int) -> Text:
    """The line that ends a list cut short."""
    return fmt(MORE, n=n)


def take(items: Sequence[T], limit: int) -> tuple[list[T], int]:
    """The first ``limit`` items, and how many were left out."""
    limit = max(0, limit)
    return list(items[:limit]), max(0, len(items) - limit)


def clip(text: str, limit: int = HOME_TEXT_CHARS) -> str:
    """User text shortened to ``limit`` characters, on a word where possible."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head[limit // 2 :]:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,.;:") + "…"


def fit_home(view: HomeView, budget: int, cost: Callable[[HomeView], int]) -> HomeView:
    """``view`` with items dropped — last ones first, from the longest section — until
    ``cost(view) <= budget``. Dropped items are counted in their section's ``more``,
    so the renderer still says how many there are."""
    sections = list(view.sections)
    current = replace(view, sections=tuple(sections))
    while cost(current) > budget:
        longest = max(range(len(sections)), key=lambda i: len(sections[i].items), default=None)
        if longest is None or not sections[longest].items:
            break  # nothing left to drop: the fixed parts alone are over (never with ours)
        s = sections[longest]
        sections[longest] = HomeSection(s.title, s.items[:-1], s.more + 1, s.footer)
        current = replace(view, sections=tuple(sections))
    return current


def home_section(title: str, items: list[Message], empty: str, footer: str) -> HomeSection:
    """A home section of at most ``HOME_SECTION_ITEMS`` items, or its "nothing yet" line."""
    shown, more = take(items, HOME_SECTION_ITEMS)
    if not shown:
        return HomeSection(fmt(title), (Message(fmt(empty)),))
    return HomeSection(fmt(title), tuple(shown), more, fmt(footer) if more else ())
