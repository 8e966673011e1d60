"""Neutral messages → Slack Block Kit and mrkdwn.

Every ``Plain`` span is escaped (``&``, ``<``, ``>``), so nothing a user typed can
become ``<!channel>``, ``<!here>`` or a ``<@U…>`` ping. Only ``Mention`` and
``ChannelLink`` spans, which carry ids the platform gave us, render as Slack
references, and only when the id looks like one.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.adapters.slack import limits
from bot.adapters.slack import text as t
from bot.io import ChannelArg, Field, Form, UserArg
from bot.markup import Moment, Text, inert, moment_text, render
from bot.messages import Button, Message

SECTION_LIMIT = limits.SECTION_CHARS  # characters of text in one section block
MESSAGE_BLOCKS = limits.MESSAGE_BLOCKS  # blocks in one message
BUTTONS_PER_BLOCK = limits.BUTTONS_PER_BLOCK
BUTTON_LABEL = limits.BUTTON_LABEL
BUTTON_VALUE = limits.BUTTON_VALUE
FALLBACK_LIMIT = 3000

_USER_ID = re.compile(r"^[UWB][A-Z0-9]{2,}$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_URL = re.compile(r"^(https?://|mailto:)[^\s]+$", re.I)
_ACTION_SUFFIX = "~"


def escape(text: str) -> str:
    """Slack's three control characters, escaped as its docs ask (and no invisible ones)."""
    return inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wrap(marker: str, inner: str) -> str:
    # mrkdwn only formats when the markers touch text: keep outer spaces outside.
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def _link(url: str, label: str) -> str:
    if not _URL.match(url):
        return f"{label} ({escape(url)})" if label != escape(url) else escape(url)
    safe = escape(url).replace("|", "%7C")
    return f"<{safe}|{label}>" if label else f"<{safe}>"


def _mention(user: str) -> str:
    return f"<@{user}>" if _USER_ID.match(user) else "@" + escape(user)


def _channel(channel: str) -> str:
    return f"<#{channel}>" if _CHANNEL_ID.match(channel) else "#" + escape(channel)


def _moment(span: Moment) -> str:
    """Slack's date token: each reader sees the moment in their own zone (the text after
    ``|`` where a client can't)."""
    unix = int(span.at.timestamp())
    return f"<!date^{unix}^{{date_short_pretty}} at {{time}}|{escape(moment_text(span))}>"


def mrkdwn(text: Text) -> str:
    """Our markup as Slack mrkdwn."""
    return render(
        text,
        escape=escape,
        bold=lambda s: _wrap("*", s),
        italic=lambda s: _wrap("_", s),
        code=lambda s: f"`{escape(s)}`" if s else "",
        link=_link,
        mention=_mention,
        channel=_channel,
        moment=_moment,
    )


def _cut(text: str, limit: int) -> tuple[str, str]:
    """Split at most ``limit`` characters off the front, at a newline or space if possible,
    and never inside an ``&amp;``-style entity."""
    if len(text) <= limit:
        return text, ""
    at = text.rfind("\n", 0, limit)
    if at < limit // 2:
        at = text.rfind(" ", 0, limit)
    if at < limit // 2:
        at = limit
        amp = text.rfind("&", at - 5, at)
        if amp != -1 and ";" not in text[amp:at]:
            at = amp
    return text[:at], text[at:].lstrip("\n")


def chunks(body: str, limit: int = SECTION_LIMIT) -> list[str]:
    out: list[str] = []
    while body:
        head, body = _cut(body, limit)
        if head.strip():
            out.append(head)
    return out


def action_id(button: Button, index: int) -> str:
    """Slack wants action ids unique within a block: our action plus its position."""
    return f"{button.action}{_ACTION_SUFFIX}{index}"[:255]


def action_name(slack_action_id: str) -> str:
    """The neutral action a Block Kit button stands for (inverse of ``action_id``)."""
    head, sep, tail = slack_action_id.rpartition(_ACTION_SUFFIX)
    return head if sep and tail.isdigit() else slack_action_id


def button_element(button: Button, index: int) -> dict[str, Any]:
    label = button.label if len(button.label) <= BUTTON_LABEL else button.label[:74] + "…"
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id(button, index),
        "text": {"type": "plain_text", "text": label or " ", "emoji": True},
        "value": button.value[:BUTTON_VALUE],
    }
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    return element


def text_blocks(text: Text, *, room: int = MESSAGE_BLOCKS) -> list[dict[str, Any]]:
    """Section blocks for a text, cut to fit ``room`` blocks."""
    parts = chunks(mrkdwn(text)) or [" "]
    if len(parts) > room:
        parts = [*parts[: room - 1], "…"]
    return [{"type": "section", "text": {"type": "mrkdwn", "text": p}} for p in parts]


def blocks(message: Message, *, notes: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """A message as Block Kit: its text in sections, notes as context, buttons in actions."""
    groups = [
        message.buttons[i : i + BUTTONS_PER_BLOCK]
        for i in range(0, len(message.buttons), BUTTONS_PER_BLOCK)
    ]
    room = MESSAGE_BLOCKS - len(groups) - (1 if notes else 0)
    out = text_blocks(message.text, room=room)
    if notes:
        out.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": escape(n)} for n in notes[:10]],
            }
        )
    index = 0
    for group in groups:
        elements = []
        for button in group:
            elements.append(button_element(button, index))
            index += 1
        out.append({"type": "actions", "elements": elements})
    return out


def fallback(message: Message) -> str:
    """The notification text Slack shows where blocks can't be (escaped like the blocks)."""
    body = render(
        message.text,
        escape=escape,
        bold=lambda s: s,
        italic=lambda s: s,
        code=lambda s: escape(s),
        link=_link,
        mention=_mention,
        channel=_channel,
        moment=_moment,
    )
    head, rest = _cut(body, FALLBACK_LIMIT)
    return head + ("…" if rest else "") if head.strip() else " "


def payload(message: Message, *, notes: tuple[str, ...] = ()) -> dict[str, Any]:
    """``text`` and ``blocks`` for chat.postMessage, chat.update or a response_url."""
    return {"text": fallback(message), "blocks": blocks(message, notes=notes)}


def pack(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Several answers as few messages as Slack allows (``MESSAGE_BLOCKS`` each), in
    order, a divider between two answers sharing a message: a command's answer is one
    message wherever it fits, so it can replace the command's "one moment…" in place."""
    packed: list[dict[str, Any]] = []
    for piece in payloads:
        last = packed[-1] if packed else None
        if last is not None and len(last["blocks"]) + 1 + len(piece["blocks"]) <= MESSAGE_BLOCKS:
            last["blocks"] = [*last["blocks"], {"type": "divider"}, *piece["blocks"]]
            last["text"] = _cut(f"{last['text']}\n\n{piece['text']}", FALLBACK_LIMIT)[0]
        else:
            packed.append({"text": piece["text"], "blocks": list(piece["blocks"])})
    return packed


# -- forms ---------------------------------------------------------------------------

FORM_CALLBACK = "rapport.form"  # every modal of ours; the form's key rides in private_metadata


def _plain(text: str, limit: int) -> dict[str, Any]:
    text = text.strip() or " "
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def modal(form: Form) -> dict[str, Any]:
    """A form as a Slack modal (``views.open``): one input block per field, the block and
    action ids being the field's name, so a ``view_submission`` reads back by name."""
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "private_metadata": form.key[: limits.PRIVATE_METADATA],
        "title": _plain(form.title, limits.MODAL_TITLE),
        "submit": _plain(form.submit, limits.MODAL_TITLE),
        "close": _plain(t.FORM_CLOSE, limits.MODAL_TITLE),
        "blocks": [_input(f) for f in form.fields[: limits.MODAL_INPUTS]],
    }


def _input(field: Field) -> dict[str, Any]:
    element: dict[str, Any] = {"action_id": field.name}
    default = field.default
    if field.kind == "member":
        element["type"] = "users_select"
        if isinstance(default, UserArg):
            element["initial_user"] = default.id
    elif field.kind == "members":
        element["type"] = "multi_users_select"
        if field.limit:
            element["max_selected_items"] = field.limit
        if isinstance(default, tuple):
            element["initial_users"] = [u.id for u in default if isinstance(u, UserArg)]
    elif field.kind == "channel":
        element["type"] = "conversations_select"
        element["filter"] = {"include": ["public", "private"], "exclude_bot_users": True}
        if isinstance(default, ChannelArg):
            element["initial_conversation"] = default.id
    elif field.kind == "when":
        # Slack's own picker, shown in the member's Slack time zone; it gives a unix time.
        element["type"] = "datetimepicker"
        if isinstance(default, datetime):
            element["initial_date_time"] = int(default.timestamp())
    elif field.kind == "choice":
        element["type"] = "static_select"
        options = [
            {"text": _plain(label, 75), "value": value[:150]} for label, value in field.choices
        ]
        element["options"] = options[:100]
        chosen = next((o for o in options if o["value"] == default), None)
        if chosen is not None:
            element["initial_option"] = chosen
    else:
        element["type"] = "plain_text_input"
        element["multiline"] = field.kind == "long"
        element["max_length"] = min(field.limit or limits.TEXT_INPUT, limits.TEXT_INPUT)
        if isinstance(default, str) and default:
            element["initial_value"] = default[: element["max_length"]]
    if field.placeholder and field.kind not in ("when",):
        element["placeholder"] = _plain(field.placeholder, limits.PLACEHOLDER)
    return {
        "type": "input",
        "block_id": field.name,
        "label": _plain(field.label, limits.INPUT_LABEL),
        "optional": not field.required,
        "element": element,
    }


def field_errors(form: Form) -> dict[str, Any]:
    """The ``view_submission`` ack that keeps the modal open with each error on its field."""
    return {"response_action": "errors", "errors": dict(form.errors)}
