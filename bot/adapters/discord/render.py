"""Neutral messages → what discord.py sends: Discord markdown, buttons, files, mentions.

Text a user typed arrives as ``Plain`` spans and is escaped twice over: markdown
(``discord.utils.escape_markdown``) and mentions (``escape_mentions``: ``@everyone``,
``@here``, ``<@&role>`` and ``<@user>`` lose their power). On top of that every
message carries ``allowed_mentions`` that may ping only the users our own ``Mention``
spans name — never everyone, here or a role. Text past Discord's 2,000 characters
goes into an embed (4,096); past that it is cut on a line with a note.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

import discord

from bot.adapters.discord import limits
from bot.adapters.discord import text as t
from bot.adapters.discord.buttons import RapportButton, custom_id
from bot.adapters.plain_home import home_messages
from bot.io import Community, HomeView, Reply
from bot.markup import Bold, Italic, Mention, Plain, Span, Text, inert, join, plain, render
from bot.messages import Message
from store import Store

CONTENT_MAX = limits.CONTENT_CHARS
EMBED_MAX = limits.EMBED_CHARS
BUTTONS_MAX = limits.BUTTONS  # 5 rows of 5
EMBED_COLOUR = 0x5B8DEF


_LIVE_MENTION = re.compile("<@(?!\u200b)")


def escape(text: str) -> str:
    """User text as inert Discord text: no markdown, no mentions, no channel or command links.

    ``escape_mentions`` covers @everyone, @here, users and roles; a typed ``<#id>`` or
    ``</name:id>`` (or an id of any length) would still render, so a zero-width space
    breaks those too; control characters and direction overrides are dropped.
    """
    text = discord.utils.escape_mentions(discord.utils.escape_markdown(inert(text)))
    # escape_mentions only knows full-length ids: break every other <@…>, <#…>, </…> too.
    text = _LIVE_MENTION.sub("<\u200b@", text)
    return text.replace("<#", "<\u200b#").replace("</", "<\u200b/")


def _code(text: str) -> str:
    # Mentions don't fire inside code, but a family may put user text here: make sure.
    text = discord.utils.escape_mentions(text)
    if "`" in text:
        return "`` " + text.replace("``", "`\u200b`") + " ``"
    return f"`{text}`"


def _mention(user: str) -> str:
    return f"<@{user}>" if user.isdigit() else "@" + escape(user)


def _channel(channel: str) -> str:
    return f"<#{channel}>" if channel.isdigit() else "#" + escape(channel)


def to_markdown(text: Text) -> str:
    return render(
        text,
        escape=escape,
        bold=lambda s: f"**{s}**",
        italic=lambda s: f"*{s}*",
        code=_code,
        link=lambda url, label: f"[{label}]({url})" if label != escape(url) else url,
        mention=_mention,
        channel=_channel,
        # Discord's timestamp: each reader sees it in their own zone.
        moment=lambda span: f"<t:{int(span.at.timestamp())}:f>",
    )


def mentioned_users(text: Text) -> list[str]:
    """Users our own ``Mention`` spans name (the only people a message may ping)."""
    found: list[str] = []

    def walk(spans: tuple[Span, ...]) -> None:
        for span in spans:
            if isinstance(span, Mention) and span.user.isdigit() and span.user not in found:
                found.append(span.user)
            elif isinstance(span, (Bold, Italic)):
                walk(span.parts)

    walk(text)
    return found


def allowed_mentions(users: list[str]) -> discord.AllowedMentions:
    return discord.AllowedMentions(
        everyone=False,
        roles=False,
        replied_user=False,
        users=[discord.Object(int(u)) for u in users] if users else False,
    )


@dataclass
class Rendered:
    """One message, ready for ``send`` / ``send_message`` / ``edit_message``."""

    content: str | None
    embed: discord.Embed | None
    view: discord.ui.View | None
    files: list[discord.File] = field(default_factory=list)
    mentions: discord.AllowedMentions = field(default_factory=discord.AllowedMentions.none)

    def send_kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"allowed_mentions": self.mentions}
        if self.content is not None:
            out["content"] = self.content
        if self.embed is not None:
            out["embed"] = self.embed
        if self.view is not None:
            out["view"] = self.view
        if self.files:
            out["files"] = self.files
        return out

    def edit_kwargs(self) -> dict[str, Any]:
        """For replacing a message: clears the old buttons and embed when there are none now."""
        out: dict[str, Any] = {
            "content": self.content,
            "embeds": [self.embed] if self.embed is not None else [],
            "view": self.view,
            "allowed_mentions": self.mentions,
        }
        if self.files:
            out["attachments"] = self.files
        return out


def render_message(
    message: Message,
    community: Community,
    store: Store,
    *,
    ping: tuple[str, ...] = (),
) -> Rendered:
    """Render a neutral message; ``ping`` adds users who may be pinged besides mentions."""
    body = to_markdown(message.text)
    content: str | None = body
    embed = None
    if len(body) > CONTENT_MAX:
        content = None
        embed = discord.Embed(description=_cut(body, EMBED_MAX), colour=EMBED_COLOUR)
    elif not body.strip():
        content = "\u200b" if not message.attachments else None
    users = list(dict.fromkeys([*mentioned_users(message.text), *ping]))
    return Rendered(
        content=content,
        embed=embed,
        view=_view(message, community, store),
        files=[
            discord.File(io.BytesIO(a.content.encode("utf-8")), filename=a.filename)
            for a in message.attachments
        ],
        mentions=allowed_mentions(users),
    )


def _view(message: Message, community: Community, store: Store) -> discord.ui.View | None:
    if not message.buttons:
        return None
    view = discord.ui.View(timeout=None)
    used: set[str] = set()
    for button in message.buttons[:BUTTONS_MAX]:
        cid = custom_id(community, button, store, used=used)
        used.add(cid)
        view.add_item(RapportButton.make(button, cid))
    # A stopped view is never kept in discord.py's view store: our buttons are
    # dispatched by their custom_id pattern, so nothing per message stays in memory.
    view.stop()
    return view


def _cut(body: str, limit: int) -> str:
    if len(body) <= limit:
        return body
    note = "\n" + t.CUT
    room = limit - len(note)
    head = body[:room]
    if "\n" in head:
        head = head[: head.rindex("\n")]
    return head + note


PARTS_MAX = 10  # messages one long answer may take before the rest is cut


def long_replies(reply: Reply) -> list[Reply]:
    """A reply longer than one message (an embed holds 4,096 characters) as several, split
    between lines; its buttons go with the last. Short replies are left as they are."""
    message = reply.message
    if len(to_markdown(message.text)) <= EMBED_MAX:
        return [reply]
    chunks: list[list[Text]] = [[]]
    size = 0
    for line in _lines(message.text):
        n = len(to_markdown(line)) + 1
        if chunks[-1] and size + n > EMBED_MAX:
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += n
    parts = [join(*lines) for lines in chunks[:PARTS_MAX]]
    if len(chunks) > PARTS_MAX:
        parts[-1] = join(parts[-1], plain(t.CUT))
    out = [replace(reply, message=Message(text)) for text in parts[:-1]]
    return [*out, replace(reply, message=replace(message, text=parts[-1]))]


def _lines(text: Text) -> list[Text]:
    """A text's lines (spans split at the line breaks in their plain text)."""
    lines: list[list[Span]] = [[]]
    for span in text:
        if isinstance(span, Plain) and "\n" in span.text:
            first, *rest = span.text.split("\n")
            lines[-1].append(Plain(first))
            lines.extend([Plain(piece)] for piece in rest)
        else:
            lines[-1].append(span)
    return [tuple(line) for line in lines]


def home_replies(view: HomeView) -> list[Reply]:
    """A home view as private messages, each within 2,000 characters and 25 buttons."""
    return [
        Reply(message)
        for message in home_messages(
            view,
            max_chars=CONTENT_MAX,
            max_buttons=BUTTONS_MAX,
            max_label=limits.BUTTON_LABEL,
            measure=lambda text: len(to_markdown(text)),
        )
    ]
