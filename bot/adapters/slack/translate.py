"""Slack payloads → neutral inputs.

With "escape channels, users and links" on (``should_escape: true``), Slack sends a
slash command's mentions as ``<@U123|name>`` and channels as ``<#C123|name>``; only
those become ``UserArg`` / ``ChannelArg``. Everything else stays text: links become
the text the user typed, ``<!here>`` becomes the words ``@here``, and ``&lt;``,
``&gt;``, ``&amp;`` are unescaped — so ``<@U999>`` typed by hand is text, never a
mention. Names in mentions are only display hints; ids are what count.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from bot.adapters.slack.render import action_name
from bot.directory import Member
from bot.io import (
    ButtonPress,
    ChannelArg,
    CommandInvocation,
    Community,
    FormSubmission,
    Part,
    UserArg,
)

PLATFORM = "slack"

_TOKEN = re.compile(r"<([^<>]*)>")
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]+$")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _special(inner: str) -> str:
    """``!here`` → ``@here``; user groups and dates → their label, as plain text."""
    name, _, label = inner[1:].partition("|")
    word = name.split("^", 1)[0]
    if word in _SPECIAL:
        return _SPECIAL[word]
    return unescape(label) if label else ""


def parse_text(text: str) -> tuple[Part, ...]:
    """A slash command's escaped text as parts: text, and platform-resolved users/channels."""
    parts: list[Part] = []
    buf: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        buf.append(unescape(text[pos : m.start()]))
        pos = m.end()
        inner = m.group(1)
        ident, _, label = inner[1:].partition("|")
        arg: Part | None = None
        if inner.startswith("@") and _USER_ID.match(ident):
            arg = UserArg(ident, unescape(label) or None)
        elif inner.startswith("#") and _CHANNEL_ID.match(ident):
            arg = ChannelArg(ident, unescape(label) or None)
        elif inner.startswith("!"):
            buf.append(_special(inner))
        elif inner.startswith(("@", "#")):
            buf.append(unescape(m.group(0)))  # not an id Slack would send: keep as typed
        else:
            url, _, shown = inner.partition("|")
            buf.append(unescape(shown or url))
        if arg is not None:
            if buf and "".join(buf):
                parts.append("".join(buf))
            buf = []
            parts.append(arg)
    buf.append(unescape(text[pos:]))
    if "".join(buf):
        parts.append("".join(buf))
    return tuple(parts)


def read_body(text: str, content_type: str) -> tuple[dict[str, Any] | None, str | None]:
    """A signed request's body as Slack's fields, or what is wrong with it.

    Returns ``(body, None)`` when it can be handled, ``(None, problem)`` when it cannot
    be read at all, and ``(body, problem)`` when it was read but lacks a field we need
    (``body`` then may carry a ``response_url`` to say so through).
    """
    if content_type == "application/json":
        try:
            body = json.loads(text)
        except ValueError:
            return None, "malformed JSON"
        if not isinstance(body, dict):
            return None, "the JSON body is not an object"
        return body, _event_problem(body)
    if content_type not in ("application/x-www-form-urlencoded", ""):
        return None, f"unsupported content type {content_type}"
    try:
        form = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text)))
    except ValueError:
        return None, "malformed form"
    if "payload" in form:
        try:
            payload = json.loads(form["payload"])
        except ValueError:
            return None, "malformed payload"
        if not isinstance(payload, dict):
            return None, "the payload is not an object"
        return payload, _payload_problem(payload)
    if "command" in form:
        missing = [f for f in ("user_id", "command") if not form.get(f)]
        return form, (f"{', '.join(missing)} missing" if missing else None)
    if "ssl_check" in form:
        return form, None
    return None, "neither a command nor a payload"


def _payload_problem(payload: Mapping[str, Any]) -> str | None:
    if not isinstance(payload.get("type"), str):
        return "type missing"
    user = payload.get("user")
    if payload["type"] == "block_actions":
        if not isinstance(user, dict) or not user.get("id"):
            return "user.id missing"
        if not isinstance(payload.get("actions"), list):
            return "actions missing"
    return None


def _event_problem(body: Mapping[str, Any]) -> str | None:
    if not isinstance(body.get("type"), str):
        return "type missing"
    if body["type"] != "event_callback":
        return None
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event missing"
    if event["type"] == "app_home_opened" and not event.get("user"):
        return "event.user missing"
    return None


def with_members(
    parts: tuple[Part, ...], member: Callable[[str], Member | None]
) -> tuple[Part, ...]:
    """Fill in whether each mentioned user is a bot (from the directory, never from text)."""
    out: list[Part] = []
    for part in parts:
        if isinstance(part, UserArg):
            found = member(part.id)
            name = (found.name if found else None) or part.name
            out.append(UserArg(part.id, name, found.is_bot if found else None))
        else:
            out.append(part)
    return tuple(out)


def _digest(*values: Any) -> str:
    return hashlib.sha1("\x1f".join(str(v) for v in values).encode()).hexdigest()[:24]


def community_of(body: Mapping[str, Any]) -> Community:
    team = (
        body.get("team_id")
        or (body.get("team") or {}).get("id")
        or (body.get("user") or {}).get("team_id")
        or (body.get("event") or {}).get("team")
        or "unknown"
    )
    return Community(PLATFORM, str(team))


def command_request_id(body: Mapping[str, Any]) -> str:
    """Stable across Slack's retries of one invocation: its trigger id."""
    trigger = body.get("trigger_id")
    if trigger:
        return f"slack-cmd:{trigger}"
    return "slack-cmd:" + _digest(
        body.get("team_id"), body.get("user_id"), body.get("command"), body.get("text")
    )


def command(
    body: Mapping[str, Any], parts: tuple[Part, ...], *, is_admin: bool = False
) -> CommandInvocation:
    return CommandInvocation(
        community=community_of(body),
        user=str(body["user_id"]),
        command=str(body.get("command", "")).lstrip("/").lower(),
        parts=parts,
        channel=body.get("channel_id"),
        request_id=command_request_id(body),
        is_admin=is_admin,
        user_name=body.get("user_name"),
    )


def message_ref(body: Mapping[str, Any]) -> str | None:
    """Where the pressed button lives: ``channel:ts`` for a message, ``view:id`` for a view."""
    container = body.get("container") or {}
    if container.get("type") == "view" or (body.get("view") and not container.get("message_ts")):
        view = body.get("view") or {}
        return f"view:{container.get('view_id') or view.get('id')}"
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return f"{channel}:{ts}" if ts else None


def action_request_id(body: Mapping[str, Any], action: Mapping[str, Any]) -> str:
    """The same for a double click: one message, one button, one person.

    A press on a view (App Home) includes the view's hash, which changes whenever
    the view is republished, so a later press of a refreshed button counts anew.
    """
    ref = message_ref(body)
    user = (body.get("user") or {}).get("id")
    if ref and ref.startswith("view:"):
        ref += ":" + str((body.get("view") or {}).get("hash"))
    if ref is None:
        ref = str(action.get("action_ts"))
    return "slack-btn:" + _digest(ref, user, action.get("action_id"), action.get("value"))


def button(body: Mapping[str, Any], *, is_admin: bool = False) -> ButtonPress | None:
    """The first button action of a ``block_actions`` payload, or None if there is none."""
    actions = [a for a in body.get("actions") or () if a.get("type", "button") == "button"]
    if not actions:
        return None
    action = actions[0]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return ButtonPress(
        community=community_of(body),
        user=str((body.get("user") or {}).get("id")),
        action=action_name(str(action.get("action_id", ""))),
        value=str(action.get("value") or ""),
        channel=channel,
        message_ref=message_ref(body),
        request_id=action_request_id(body, action),
        is_admin=is_admin,
    )


def submission(body: Mapping[str, Any], *, is_admin: bool = False) -> FormSubmission:
    """A ``view_submission`` of one of our modals: the key from ``private_metadata``,
    each input read back by its block id (the field's name) into a neutral value.

    The request id is the view's id and hash: the same submission sent twice acts once,
    and a form sent again after its errors were shown counts anew (nothing was kept)."""
    view = body.get("view") or {}
    values: dict[str, Any] = {}
    for name, actions in ((view.get("state") or {}).get("values") or {}).items():
        for action in (actions or {}).values():
            value = _input_value(action or {})
            if value is not None:
                values[str(name)] = value
    return FormSubmission(
        community=community_of(body),
        user=str((body.get("user") or {}).get("id")),
        key=str(view.get("private_metadata") or ""),
        values=values,
        request_id="slack-view:" + _digest(view.get("id"), view.get("hash")),
        is_admin=is_admin,
    )


def _input_value(action: Mapping[str, Any]) -> Any:
    kind = action.get("type")
    if kind == "users_select":
        user = action.get("selected_user")
        return UserArg(str(user)) if user else None
    if kind == "multi_users_select":
        users = tuple(UserArg(str(u)) for u in action.get("selected_users") or ())
        return users or None
    if kind in ("conversations_select", "channels_select"):
        channel = action.get("selected_conversation") or action.get("selected_channel")
        return ChannelArg(str(channel)) if channel else None
    if kind == "datetimepicker":
        at = action.get("selected_date_time")
        return datetime.fromtimestamp(int(at), UTC) if at is not None else None
    if kind == "static_select":
        option = action.get("selected_option") or {}
        return option.get("value")
    value = action.get("value")
    return str(value) if value else None
