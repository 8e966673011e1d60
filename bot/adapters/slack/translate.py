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
_CONVERSATION_ID = re.compile(r"^[CGD][A-Z0-9]+$")
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


# -- the shape of a signed body --------------------------------------------------------
#
# Bolt reads many fields of every request before any listener runs (its context: user,
# team, channel, enterprise, authorizations …; its matchers: ``actions[0].action_id``,
# ``view.type`` …) and our listeners read more; a field of the wrong type there is a
# traceback and a 500. Slack never sends one, so whatever it would choke on is refused
# here, in one place, before Bolt sees the body: 400, and a word to the member where
# the body says where. A field's *value* a member chose (a picked time, a member) is not
# checked here: a wrong one is that field's error (``UnreadableFields``).

_TEXT_FIELDS = ("type", "response_url", "trigger_id", "team_id", "user_id", "channel_id")
_TEXT_FIELDS += ("enterprise_id", "api_app_id", "callback_id", "action_ts", "event_id")
# Objects with an id (Slack sends some as a bare id, which Bolt reads too).
_REFERENCES = ("user", "team", "channel", "enterprise")
_OBJECTS = ("container", "message", "previous_message", "item", "assistant_thread")
_OBJECTS += ("function_data", "view", "event", "state")
_CONTAINER_FIELDS = ("type", "message_ts", "channel_id", "view_id", "thread_ts")
_VIEW_FIELDS = ("id", "hash", "type", "callback_id", "private_metadata", "team_id")
_VIEW_FIELDS += ("app_installed_team_id", "root_view_id", "previous_view_id")
_ACTION_FIELDS = ("type", "action_id", "block_id", "value", "action_ts")


def _not_text(value: Any) -> bool:
    return value is not None and not isinstance(value, str)


def _objects(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _shape_problem(body: Mapping[str, Any], where: str = "") -> str | None:
    """What in ``body`` (or an object within it Bolt reads the same way) is of a type
    Slack never sends, or None."""
    for name in _TEXT_FIELDS:
        if _not_text(body.get(name)):
            return f"{where}{name} is not text"
    for name in _REFERENCES:
        ref = body.get(name)
        if ref is None or isinstance(ref, str):
            continue
        if not isinstance(ref, dict):
            return f"{where}{name} is neither an id nor an object"
        for key in ("id", "team_id", "enterprise_id"):
            if _not_text(ref.get(key)):
                return f"{where}{name}.{key} is not text"
    for name in _OBJECTS:
        if body.get(name) is not None and not isinstance(body[name], dict):
            return f"{where}{name} is not an object"
    container = body.get("container") or {}
    for key in _CONTAINER_FIELDS:
        if _not_text(container.get(key)):
            return f"{where}container.{key} is not text"
    for name in ("authorizations", "response_urls", "actions"):
        if body.get(name) is not None and not _objects(body[name]):
            return f"{where}{name} are not objects"
    for action in body.get("actions") or ():
        for key in _ACTION_FIELDS:
            if _not_text(action.get(key)):
                return f"{where}actions[].{key} is not text"
    if body.get("view") is not None:
        problem = _view_problem(body["view"], f"{where}view.")
        if problem is not None:
            return problem
    for name in ("event", "message", "previous_message", "item", "assistant_thread"):
        if body.get(name):  # Bolt looks into these for the user, channel and team
            problem = _shape_problem(body[name], f"{where}{name}.")
            if problem is not None:
                return problem
    for auth in (body.get("authorizations") or [])[:1]:
        problem = _shape_problem(auth, f"{where}authorizations[0].")
        if problem is not None:
            return problem
    return None


def _view_problem(view: Mapping[str, Any], where: str) -> str | None:
    for key in _VIEW_FIELDS:
        if _not_text(view.get(key)):
            return f"{where}{key} is not text"
    if not isinstance(view.get("type"), str):
        return f"{where}type missing"
    if view.get("blocks") is not None and not _objects(view["blocks"]):
        return f"{where}blocks are not objects"
    state = view.get("state")
    if state is None:
        return None
    if not isinstance(state, dict):
        return f"{where}state is not an object"
    values = state.get("values")
    if values is None:
        return None
    if not isinstance(values, dict):
        return f"{where}state.values is not an object"
    for block in values.values():
        if not isinstance(block, dict) or not all(isinstance(a, dict) for a in block.values()):
            return f"{where}state.values are not objects of objects"
        for action in block.values():
            if _not_text(action.get("type")):
                return f"{where}state.values[][].type is not text"
    return None


def _acting_user(body: Mapping[str, Any]) -> str | None:
    user = body.get("user")
    if not isinstance(user, dict) or not user.get("id"):
        return "user.id missing"
    return None


def _payload_problem(payload: Mapping[str, Any]) -> str | None:
    if not isinstance(payload.get("type"), str):
        return "type missing"
    problem = _shape_problem(payload)
    if problem is not None:
        return problem
    if payload["type"] == "block_actions":
        if not payload.get("actions"):
            return "actions missing"
        if not all(a.get("action_id") for a in payload["actions"]):
            return "actions[].action_id missing"
        return _acting_user(payload)
    if payload["type"] in ("view_submission", "view_closed"):
        view = payload.get("view")
        if not isinstance(view, dict) or not view.get("callback_id"):
            return "view missing"
        return _acting_user(payload)
    return None


def _event_problem(body: Mapping[str, Any]) -> str | None:
    if not isinstance(body.get("type"), str):
        return "type missing"
    problem = _shape_problem(body)
    if problem is not None:
        return problem
    if body["type"] != "event_callback":
        return None
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event missing"
    if event["type"] == "app_home_opened":
        if not event.get("user") or not isinstance(event["user"], str):
            return "event.user missing"
        if _not_text(event.get("tab")):
            return "event.tab is not text"
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


class UnreadableFields(ValueError):
    """Inputs of a submitted modal whose value is not what their element gives (a picked
    time that is not a number, a member that is not an id): field name → element type."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(", ".join(f"{n} ({k})" for n, k in fields.items()))
        self.fields = fields


def _state_values(body: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    view = body.get("view") or {}
    values = (view.get("state") or {}).get("values") or {}
    return {str(name): dict(actions or {}) for name, actions in values.items()}


def form_users(body: Mapping[str, Any]) -> list[str]:
    """The members picked in a submitted modal, to look up before reading it."""
    found: list[str] = []
    for actions in _state_values(body).values():
        for action in actions.values():
            picked = [action.get("selected_user"), *(action.get("selected_users") or ())]
            found += [u for u in picked if isinstance(u, str) and _USER_ID.match(u)]
    return found


def submission(
    body: Mapping[str, Any],
    *,
    is_admin: bool = False,
    member: Callable[[str], Member | None] | None = None,
) -> FormSubmission:
    """A ``view_submission`` of one of our modals: the key from ``private_metadata``,
    each input read back by its block id (the field's name) into a neutral value; picked
    members with their name and whether they are a bot (``member``, the directory), as
    for a command's mentions. An input whose value is not what its element gives raises
    ``UnreadableFields``.

    The request id is the view's id and hash: the same submission sent twice acts once,
    and a form sent again after its errors were shown counts anew (nothing was kept)."""
    view = body.get("view") or {}
    values: dict[str, Any] = {}
    unreadable: dict[str, str] = {}
    for name, actions in _state_values(body).items():
        for action in actions.values():
            try:
                value = _input_value(action or {})
            except ValueError:
                unreadable[name] = str(action.get("type"))
                continue
            if value is not None:
                values[name] = _with_member(value, member) if member is not None else value
    if unreadable:
        raise UnreadableFields(unreadable)
    return FormSubmission(
        community=community_of(body),
        user=str((body.get("user") or {}).get("id")),
        key=str(view.get("private_metadata") or ""),
        values=values,
        request_id="slack-view:" + _digest(view.get("id"), view.get("hash")),
        is_admin=is_admin,
    )


def _with_member(value: Any, member: Callable[[str], Member | None]) -> Any:
    if isinstance(value, UserArg):
        return with_members((value,), member)[0]
    if isinstance(value, tuple) and all(isinstance(v, UserArg) for v in value):
        return with_members(value, member)
    return value


def _picked(value: Any, pattern: re.Pattern[str]) -> str | None:
    """A picked id, or None when nothing was picked; ValueError when it is not an id."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError(f"not an id: {value!r}")
    return value


def _input_value(action: Mapping[str, Any]) -> Any:
    """The neutral value of one input as Slack gives it back (None: left empty);
    ValueError when it is not of the type its element gives."""
    kind = action.get("type")
    if kind == "users_select":
        user = _picked(action.get("selected_user"), _USER_ID)
        return UserArg(user) if user else None
    if kind == "multi_users_select":
        users = action.get("selected_users") or ()
        if not isinstance(users, list):
            raise ValueError(f"not a list of members: {users!r}")
        picked = [_picked(u, _USER_ID) for u in users]
        return tuple(UserArg(u) for u in picked if u) or None
    if kind in ("conversations_select", "channels_select"):
        channel = action.get("selected_conversation") or action.get("selected_channel")
        picked = _picked(channel, _CONVERSATION_ID)
        return ChannelArg(picked) if picked else None
    if kind == "datetimepicker":
        at = action.get("selected_date_time")
        if at is None:
            return None
        if isinstance(at, str) and at.isascii() and at.isdigit():
            at = int(at)
        if isinstance(at, bool) or not isinstance(at, int):
            raise ValueError(f"not a unix time: {at!r}")
        try:
            return datetime.fromtimestamp(at, UTC)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"not a time: {at!r}") from None
    if kind == "static_select":
        option = action.get("selected_option")
        if option is None:
            return None
        if not isinstance(option, dict) or not isinstance(option.get("value"), str):
            raise ValueError(f"not an option: {option!r}")
        return option["value"]
    if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        value = action.get("value")
        if value is not None and not isinstance(value, str):
            raise ValueError(f"not text: {value!r}")
        return value or None
    return None  # an element none of our forms has (a datepicker, a checkbox …)
