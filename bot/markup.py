"""A small neutral markup for message text.

Message text is a tuple of spans. Templates written by us may use ``*bold*`` and
``_italic_``; values substituted into a template are never parsed, so text a user
typed is always carried as plain text and can never become a mention or a link.
Each adapter renders spans into its platform's syntax and escapes ``Plain`` text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Plain:
    """Literal text: rendered escaped, never interpreted."""

    text: str


@dataclass(frozen=True)
class Bold:
    parts: tuple[Span, ...]


@dataclass(frozen=True)
class Italic:
    parts: tuple[Span, ...]


@dataclass(frozen=True)
class Code:
    """A command or snippet shown in monospace (our own text, e.g. an example)."""

    text: str


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True)
class Mention:
    """A reference to a member by platform user id; the adapter renders it."""

    user: str


@dataclass(frozen=True)
class ChannelLink:
    """A reference to a channel by platform channel id."""

    channel: str


@dataclass(frozen=True)
class Moment:
    """A moment shown to several people: each platform that can shows it in each reader's
    own zone (Slack's date token, Discord's timestamp); elsewhere it reads in ``zone``,
    named (``moment_text``)."""

    at: datetime  # aware
    zone: str = "UTC"


def moment_text(span: Moment) -> str:
    """``Tue 8 Dec, 09:00 (UTC)``: the fallback wherever a platform can't localise."""
    try:
        zone: tzinfo = ZoneInfo(span.zone)
    except (ValueError, KeyError, OSError):
        zone = UTC
    local = span.at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({span.zone})"


# Who an erased member becomes in others' records: never a mention, always these words.
FORMER = "former-member"
FORMER_WORDS = "a former member"

Span = Plain | Bold | Italic | Code | Link | Mention | ChannelLink | Moment
Text = tuple[Span, ...]

_TOKEN = re.compile(r"(\*[^*\n]+\*|_[^_\n]+_|`[^`\n]+`|\{[a-z_][a-z0-9_]*\})")


# Characters that are never text a member meant to show: C0 controls (but tab and newline),
# DEL, and the bidirectional overrides that can make a line read backwards.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """User text without control characters or direction overrides (renderers call it)."""
    return _INVISIBLE.sub("", text)


def fmt(template: str, **values: Any) -> Text:
    """Build text from one of our templates, substituting values as spans.

    A ``str`` value becomes ``Plain`` (never parsed), a span is used as is, and a
    tuple of spans is spliced in. ``*…*`` and ``_…_`` in the template itself mark
    bold and italic runs, which may contain placeholders.
    """

    def fill(parts: tuple[_Part, ...]) -> list[Span]:
        out: list[Span] = []
        for kind, content in parts:
            if kind == _PLAIN:
                out.append(Plain(content))
            elif kind == _VALUE:
                out.extend(_as_spans(values[content]))
            elif kind == _CODE:
                out.append(Code(_CODE_VALUE.sub(lambda m: str(values[m[1]]), content)))
            elif kind == _BOLD:
                out.append(Bold(tuple(fill(content))))
            else:
                out.append(Italic(tuple(fill(content))))
        return out

    return _merge(fill(_parsed(template)))


_PLAIN, _VALUE, _CODE, _BOLD, _ITALIC = "plain", "value", "code", "bold", "italic"
_Part = tuple[str, Any]
_CODE_VALUE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@functools.lru_cache(maxsize=4096)
def _parsed(chunk: str) -> tuple[_Part, ...]:
    """A template split into its parts, once: our templates are few and used often."""
    out: list[_Part] = []
    pos = 0
    for m in _TOKEN.finditer(chunk):
        if m.start() > pos:
            out.append((_PLAIN, chunk[pos : m.start()]))
        tok = m.group(0)
        if tok.startswith("{"):
            out.append((_VALUE, tok[1:-1]))
        elif tok.startswith("`"):
            out.append((_CODE, tok[1:-1]))
        elif tok.startswith("*"):
            out.append((_BOLD, _parsed(tok[1:-1])))
        else:
            out.append((_ITALIC, _parsed(tok[1:-1])))
        pos = m.end()
    if pos < len(chunk):
        out.append((_PLAIN, chunk[pos:]))
    return tuple(out)


def join(*texts: Text | str, sep: str = "\n") -> Text:
    """Join several texts (or plain strings) with a separator."""
    out: list[Span] = []
    for i, t in enumerate(texts):
        if i and sep:
            out.append(Plain(sep))
        out.extend(_as_spans(t))
    return _merge(out)


def plain(value: str) -> Text:
    return (Plain(value),)


def _as_spans(value: Any) -> list[Span]:
    if isinstance(value, str):
        return [Plain(value)]
    if isinstance(value, (Plain, Bold, Italic, Code, Link, Mention, ChannelLink, Moment)):
        return [value]
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, (int, float)):
        return [Plain(str(value))]
    raise TypeError(f"cannot put {type(value).__name__} into message text")


def _merge(spans: Iterable[Span]) -> Text:
    out: list[Span] = []
    for s in spans:
        if isinstance(s, Plain) and not s.text:
            continue
        if isinstance(s, Plain) and out and isinstance(out[-1], Plain):
            out[-1] = Plain(out[-1].text + s.text)
        else:
            out.append(s)
    return tuple(out)


def render(
    text: Text,
    *,
    escape: Callable[[str], str],
    bold: Callable[[str], str],
    italic: Callable[[str], str],
    code: Callable[[str], str],
    link: Callable[[str, str], str],
    mention: Callable[[str], str],
    channel: Callable[[str], str],
    moment: Callable[[Moment], str],
) -> str:
    """Render spans with one function per span kind; adapters supply them."""

    def one(span: Span) -> str:
        if isinstance(span, Plain):
            return escape(span.text)
        if isinstance(span, Bold):
            return bold("".join(one(s) for s in span.parts))
        if isinstance(span, Italic):
            return italic("".join(one(s) for s in span.parts))
        if isinstance(span, Code):
            return code(span.text)
        if isinstance(span, Link):
            return link(span.url, escape(span.label))
        if isinstance(span, Mention):
            return escape(FORMER_WORDS) if span.user == FORMER else mention(span.user)
        if isinstance(span, Moment):
            return moment(span)
        return channel(span.channel)

    return "".join(one(s) for s in text)


def to_plain(text: Text, name_of: Callable[[str], str] = lambda u: u) -> str:
    """Plain-text rendering (fallback text, logs, the console without colour)."""
    return render(
        text,
        escape=lambda s: s,
        bold=lambda s: s,
        italic=lambda s: s,
        code=lambda s: s,
        link=lambda url, label: f"{label} ({url})" if label != url else url,
        mention=lambda u: "@" + name_of(u),
        channel=lambda c: "#" + c,
        moment=moment_text,
    )


def to_data(text: Text) -> list[Any]:
    """Serialise spans to JSON-friendly data (for the outbox)."""

    def one(span: Span) -> Any:
        if isinstance(span, Plain):
            return span.text
        if isinstance(span, Bold):
            return {"b": [one(s) for s in span.parts]}
        if isinstance(span, Italic):
            return {"i": [one(s) for s in span.parts]}
        if isinstance(span, Code):
            return {"code": span.text}
        if isinstance(span, Link):
            return {"link": span.url, "label": span.label}
        if isinstance(span, Mention):
            return {"user": span.user}
        if isinstance(span, Moment):
            return {"at": span.at.isoformat(), "zone": span.zone}
        return {"channel": span.channel}

    return [one(s) for s in text]


def from_data(data: list[Any]) -> Text:
    def one(item: Any) -> Span:
        if isinstance(item, str):
            return Plain(item)
        if "b" in item:
            return Bold(tuple(one(s) for s in item["b"]))
        if "i" in item:
            return Italic(tuple(one(s) for s in item["i"]))
        if "code" in item:
            return Code(item["code"])
        if "link" in item:
            return Link(item["link"], item["label"])
        if "user" in item:
            return Mention(item["user"])
        if "at" in item:
            return Moment(datetime.fromisoformat(item["at"]), item.get("zone", "UTC"))
        return ChannelLink(item["channel"])

    return tuple(one(x) for x in data)
