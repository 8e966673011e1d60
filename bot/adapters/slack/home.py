"""The App Home tab: the member's home view (``HomeView`` from the core) as Block Kit.

The same neutral ``HomeView`` is rendered twice: as the Home tab (``views.publish``,
at most 100 blocks) and as the ephemeral answer to ``/rapport home`` (at most 50).
Items that don't fit are dropped from the longest section and counted in its
"…and N more" line (``bot/trim.fit_home``), so Slack never refuses the view.
Under the home come what the core puts in the view's ``tail`` (settings, commands).
"""

from __future__ import annotations

from typing import Any

from bot.adapters.slack import limits, render
from bot.adapters.slack import text as t
from bot.core import Rapport
from bot.io import Community, HomeOpened, HomeSection, HomeView
from bot.markup import Text, fmt, to_plain
from bot.messages import Message
from bot.trim import fit_home, more_text

Block = dict[str, Any]


def _header(text: str) -> Block:
    text = " ".join(text.split()) or " "
    if len(text) > limits.HEADER_CHARS:
        text = text[: limits.HEADER_CHARS - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def _section(text: Text) -> Block:
    """One section block, its text cut to Slack's 3,000 characters."""
    parts = render.chunks(render.mrkdwn(text), limits.SECTION_CHARS - 1) or [" "]
    body = parts[0] + ("…" if len(parts) > 1 else "")
    return {"type": "section", "text": {"type": "mrkdwn", "text": body}}


def _context(texts: list[Text]) -> Block:
    elements = [
        {"type": "mrkdwn", "text": render.chunks(render.mrkdwn(x), 2000)[0] or " "}
        for x in texts[: limits.CONTEXT_ELEMENTS]
    ]
    return {"type": "context", "elements": elements}


def section_blocks(section: HomeSection) -> list[Block]:
    out: list[Block] = [{"type": "divider"}, _header(to_plain(section.title))]
    for item in section.items:
        out.append(_section(item.text))
        if item.buttons:
            buttons = item.buttons[: limits.BUTTONS_PER_BLOCK]
            out.append(
                {
                    "type": "actions",
                    "elements": [render.button_element(b, i) for i, b in enumerate(buttons)],
                }
            )
    tail: list[Text] = []
    if section.more:
        tail.append(more_text(section.more))
    if section.footer:
        tail.append(section.footer)
    if tail:
        out.append(_context(tail))
    return out


def view_blocks(view: HomeView, *, budget: int, tail: list[Block] | None = None) -> list[Block]:
    """The view's blocks and then ``tail``, in at most ``budget`` blocks."""
    tail = list(tail or ())

    def blocks(v: HomeView) -> list[Block]:
        out: list[Block] = [_header(t.HOME_TITLE)]
        if v.intro:
            out.append(_section(v.intro))
        for section in v.sections:
            out.extend(section_blocks(section))
        return out

    fitted = fit_home(view, budget, lambda v: len(blocks(v)) + len(tail))
    return (blocks(fitted) + tail)[:budget]


def home_tail(view: HomeView) -> list[Block]:
    """What the core puts under the home (settings, what you can do), one section each."""
    out: list[Block] = []
    for text in view.tail:
        out.extend(({"type": "divider"}, _section(text)))
    return out


def home_view(core: Rapport, community: Community, user: str) -> dict[str, Any]:
    """The App Home tab of ``user``, built by the core from the records as they are now."""
    view = core.handle_home(HomeOpened(community, user)) or HomeView(user)
    blocks = view_blocks(view, budget=limits.HOME_BLOCKS, tail=home_tail(view))
    return {"type": "home", "blocks": blocks}


def home_message(view: HomeView) -> dict[str, Any]:
    """``/rapport home`` as an ephemeral message (50 blocks), pointing at the Home tab."""
    tail = [_context([fmt(t.HOME_TAB_HINT)])]
    blocks = view_blocks(view, budget=limits.MESSAGE_BLOCKS, tail=tail)
    fallback = render.fallback(Message(view.intro)) if view.intro else t.HOME_TITLE
    return {"text": fallback, "blocks": blocks}
