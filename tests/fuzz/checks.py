"""What must hold for every output: no crash, clear refusals, nothing stored on a refusal,
and no ping a user typed — checked on what each platform's renderer would send.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.adapters.discord import render as discord_render
from bot.adapters.slack import render as slack_render
from bot.core import REQUESTS, Rapport
from bot.errors import UserError
from bot.io import ButtonPress, CommandInvocation, Form, MessageUpdate, Output, Reply
from bot.markup import (
    Bold,
    ChannelLink,
    Code,
    Italic,
    Link,
    Mention,
    Moment,
    Span,
    Text,
    plain,
    to_plain,
)
from bot.messages import Message
from store import Store
from store.base import OUTBOX

APOLOGY = "Sorry, something went wrong"
# Tables that are bookkeeping, not anybody's data: a refused press may note its request id.
BOOKKEEPING = frozenset({REQUESTS})


def short(value: object, limit: int = 300) -> str:
    """A repr fit for a failure message: long runs and long texts abbreviated."""
    text = re.sub(
        r"(.{1,12}?)\1{4,}",
        lambda m: f"{m.group(1)}…×{len(m.group(0)) // len(m.group(1))}",
        repr(value),
    )
    return text if len(text) <= limit else text[:limit] + f"…(+{len(text) - limit})"


def spans(text: Text) -> Iterator[Span]:
    """Every span, nested ones included."""
    for span in text:
        yield span
        if isinstance(span, (Bold, Italic)):
            yield from spans(span.parts)


def state(store: Store, skip: frozenset[str] = BOOKKEEPING) -> dict[str, list[dict[str, Any]]]:
    """Every record of every table but bookkeeping ones (to prove a refusal stored nothing)."""
    return {
        t: sorted(store.find(t), key=lambda d: d["id"]) for t in store.tables() if t not in skip
    }


def diff(before: dict[str, list[dict]], after: dict[str, list[dict]]) -> str:
    """A short description of what changed between two states (for failure messages)."""
    lines = []
    for table in sorted(set(before) | set(after)):
        a = {d["id"]: d for d in before.get(table, [])}
        b = {d["id"]: d for d in after.get(table, [])}
        for id in sorted(set(a) | set(b)):
            if a.get(id) != b.get(id):
                lines.append(f"{table}/{id}: {a.get(id)!r} -> {b.get(id)!r}")
    return "\n".join(lines[:10])


# -- rendering checks -------------------------------------------------------------------------


def slack_problems(message: Message) -> list[str]:
    """Live Slack references in the rendered payload that our own spans didn't put there."""
    users = {s.user for s in spans(message.text) if isinstance(s, Mention)}
    channels = {s.channel for s in spans(message.text) if isinstance(s, ChannelLink)}
    urls = {slack_render.escape(s.url) for s in spans(message.text) if isinstance(s, Link)}
    # A date token from our own Moment spans is the one ``<!…>`` allowed.
    dates = {slack_render.mrkdwn((s,)) for s in spans(message.text) if isinstance(s, Moment)}
    payload = slack_render.payload(message)
    texts = [payload["text"]]
    for block in payload["blocks"]:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts.extend(e["text"] for e in block["elements"])
    found: list[str] = []
    for t in texts:
        for date in dates:
            t = t.replace(date, "")
        if "<!" in t:
            found.append(f"slack broadcast in {t[:200]!r}")
        for m in re.finditer(r"<([^<>]*)>", t):
            inner = m.group(1)
            target = inner[1:].split("|")[0]
            if inner.startswith("@") and target not in users:
                found.append(f"slack user ping <{inner}> not from a Mention")
            elif inner.startswith("#") and target not in channels:
                found.append(f"slack channel link <{inner}> not from a ChannelLink")
            elif not inner.startswith(("@", "#")) and inner.split("|")[0] not in urls:
                found.append(f"slack link <{inner[:80]}> not from a Link")
    return found


_DISCORD_LIVE = re.compile(r"<(@[!&]?|#)(\d{15,21})>")


def discord_problems(message: Message) -> list[str]:
    """Live Discord pings and links our own spans didn't put there."""
    users = {s.user for s in spans(message.text) if isinstance(s, Mention)}
    channels = {s.channel for s in spans(message.text) if isinstance(s, ChannelLink)}
    body = discord_render.to_markdown(message.text)
    # Inside inline code a channel link shows as typed; ``_code`` keeps the text inside.
    links = discord_render.to_markdown(_without_code(message.text))
    found: list[str] = []
    if re.search(r"@(everyone|here)", body):
        found.append(f"discord broadcast in {body[:200]!r}")
    for m in _DISCORD_LIVE.finditer(body):
        kind, id = m.groups()
        if kind == "@&":
            found.append(f"discord role ping {m.group(0)}")
        elif kind.startswith("@") and id not in users:
            found.append(f"discord user ping {m.group(0)} not from a Mention")
        elif kind == "#" and id not in channels and m.group(0) in links:
            found.append(f"discord channel link {m.group(0)} not from a ChannelLink")
    allowed = discord_render.allowed_mentions(discord_render.mentioned_users(message.text))
    if allowed.everyone or allowed.roles:
        found.append("discord allowed_mentions lets everyone/roles ping")
    if isinstance(allowed.users, list) and not {str(u.id) for u in allowed.users} <= users:
        found.append("discord allowed_mentions names someone no Mention names")
    return found


def _without_code(text: Text) -> Text:
    out: list[Span] = []
    for span in text:
        if isinstance(span, Code):
            continue
        if isinstance(span, (Bold, Italic)):
            span = type(span)(_without_code(span.parts))
        out.append(span)
    return tuple(out)


def render_problems(message: Message) -> list[str]:
    return slack_problems(message) + discord_problems(message)


def _slack_refs_ok(texts: list[str], users: set[str], channels: set[str]) -> list[str]:
    found = []
    for t in texts:
        if "<!" in t:
            found.append(f"slack broadcast in {t[:200]!r}")
        for m in re.finditer(r"<([@#])([^<>|]*)", t):
            if m.group(2) not in (users if m.group(1) == "@" else channels):
                found.append(f"slack reference {m.group(0)} not from our spans")
    return found


def home_problems(view: Any) -> list[str]:
    """A home view as each adapter shows it (when the adapter can show one)."""
    texts: list[Text] = [getattr(view, "intro", ()) or ()]
    for section in view.sections:
        texts += [section.title, getattr(section, "footer", ()) or ()]
        texts += [m.text for m in section.items]
    users = {s.user for t in texts for s in spans(t) if isinstance(s, Mention)}
    channels = {s.channel for t in texts for s in spans(t) if isinstance(s, ChannelLink)}
    found: list[str] = []
    slack_home = _optional("bot.adapters.slack.home", "home_message")
    if slack_home is not None:
        payload = slack_home(view)
        strings = [payload.get("text", "")]

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("type") == "mrkdwn":
                    strings.append(node.get("text", ""))
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(payload.get("blocks", []))
        found += _slack_refs_ok(strings, users, channels)
    discord_home = _optional("bot.adapters.discord.render", "home_replies")
    if discord_home is not None:
        for reply in discord_home(view):
            found += discord_problems(reply.message)
    return found


def _optional(module: str, name: str) -> Any:
    import importlib

    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


# -- watching the core ----------------------------------------------------------------------------


@dataclass
class Watch:
    """Hooks on one core: crashes the core caught (with their traceback) and refusals.

    ``_oops`` runs inside the core's ``except`` block, so the exception is still at hand;
    a refusal is a ``UserError`` raised by the handler (the core rolls back on it).
    """

    core: Rapport
    crashes: list[str] = field(default_factory=list)
    refused: UserError | None = None

    def __post_init__(self) -> None:
        oops = self.core._oops
        run = self.core._run

        def watched_oops(ctx: Any) -> list[Output]:
            self.crashes.append("".join(traceback.format_exception(*sys.exc_info())))
            return oops(ctx)

        def watched_run(
            ctx: Any, handler: Callable[[], list[Output]], **labels: str
        ) -> list[Output]:
            def guarded() -> list[Output]:
                try:
                    return handler()
                except UserError as err:
                    self.refused = err
                    raise

            return run(ctx, guarded, **labels)

        self.core._oops = watched_oops  # type: ignore[method-assign]
        self.core._run = watched_run  # type: ignore[method-assign]

    def command(self, inv: CommandInvocation) -> list[Output]:
        self.refused = None
        return self.core.handle_command(inv)

    def press(self, press: ButtonPress) -> list[Output]:
        self.refused = None
        return self.core.handle_button(press)

    def assert_no_crash(self, what: str) -> None:
        if self.crashes:
            raise AssertionError(f"{what} crashed (the core apologised):\n{self.crashes[-1]}")


def shown(outputs: list[Any]) -> list[Message]:
    """Every message shown at once: replies, updates, and home views (read by duck typing,
    so a view type added later is covered too)."""
    found: list[Message] = []
    for o in outputs:
        if isinstance(o, (Reply, MessageUpdate)):
            found.append(o.message)
        elif isinstance(o, Form):  # a form is an answer too: its words as plain text
            words = [o.title, *o.errors.values()]
            words += [w for f in o.fields for w in (f.label, f.placeholder) if w]
            found.append(Message(plain("\n".join(words))))
        elif hasattr(o, "sections"):
            found.append(Message(getattr(o, "intro", ()) or ()))
            for section in o.sections:
                found.append(Message(section.title))
                found.extend(section.items)
                found.append(Message(getattr(section, "footer", ()) or ()))
    return found


def check_outputs(outputs: list[Output], what: str, *, must_answer: bool = True) -> None:
    """Immediate answers: something is said, no apology, no typed ping survives rendering."""
    messages = shown(outputs)
    if must_answer:
        assert messages, f"{what}: no answer at all"
        assert any(to_plain(m.text).strip() for m in messages), f"{what}: a blank answer"
    for o in outputs:
        if hasattr(o, "sections"):
            problems = home_problems(o)
            assert not problems, f"{what}: {problems[:3]}"
    for m in messages:
        body = to_plain(m.text)
        assert APOLOGY not in body, f"{what}: {body[:300]}"
        assert "Traceback" not in body, f"{what}: {body[:300]}"
        problems = render_problems(m)
        assert not problems, f"{what}: {problems[:3]}"


def failed_events(store: Store) -> list[dict[str, Any]]:
    """Scheduled events whose handler raised (the outbox marks them failed)."""
    return [i for i in store.find(OUTBOX, {"state": "failed"}) if i.get("kind") == "event"]
