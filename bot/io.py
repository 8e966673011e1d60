"""Neutral inputs and outputs: the whole vocabulary between adapters and the core.

Adapters turn platform payloads into the inputs below and render the outputs;
nothing platform-specific crosses this line. New kinds of output are added as new
types here, never as extra arguments every adapter must learn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.markup import Text, from_data, to_data
from bot.messages import Message


@dataclass(frozen=True)
class Community:
    """A workspace (Slack) or guild (Discord) on a platform; identities live inside it."""

    platform: str
    workspace: str

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.workspace}"

    @classmethod
    def from_key(cls, key: str) -> Community:
        platform, _, workspace = key.partition(":")
        return cls(platform, workspace)


# --- inputs -----------------------------------------------------------------


@dataclass(frozen=True)
class UserArg:
    """A user the platform itself resolved from a mention or a user picker."""

    id: str
    name: str | None = None
    is_bot: bool | None = None


@dataclass(frozen=True)
class ChannelArg:
    id: str
    name: str | None = None


Part = str | UserArg | ChannelArg


@dataclass(frozen=True)
class CommandInvocation:
    """A slash command: who ran it, where, and its arguments as text and resolved mentions."""

    community: Community
    user: str
    command: str
    parts: tuple[Part, ...] = ()
    channel: str | None = None
    request_id: str | None = None
    is_admin: bool = False
    user_name: str | None = None


@dataclass(frozen=True)
class HomeOpened:
    """A member opened their home (Slack's App Home tab): show it as it stands now."""

    community: Community
    user: str


@dataclass(frozen=True)
class ButtonPress:
    """A press of one of our buttons. ``user`` is who the platform says pressed it."""

    community: Community
    user: str
    action: str
    value: str
    channel: str | None = None
    message_ref: str | None = None
    request_id: str | None = None
    is_admin: bool = False


@dataclass(frozen=True)
class FormSubmission:
    """A member filled in one of our forms. ``key`` is the form's own (``coffee.suggest:
    k3f9qz``): the only state between opening and submitting, so the family checks again
    that ``user`` may act on what it names, as for a button press. ``values`` holds, by
    field name, a ``UserArg`` (member), a tuple of them (members), a ``ChannelArg``, a
    ``str`` (text, long text, choice; a typed time) or an aware ``datetime`` (a time a
    platform's own picker gave); a field left empty is absent."""

    community: Community
    user: str
    key: str
    values: dict[str, Any]
    request_id: str | None = None
    is_admin: bool = False


# --- outputs ----------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """An answer to the person who acted; ephemeral where the platform allows."""

    message: Message
    ephemeral: bool = True


@dataclass(frozen=True)
class MessageUpdate:
    """Replace the message whose button was just pressed (e.g. to remove its buttons)."""

    message: Message


@dataclass(frozen=True)
class OnFailed:
    """What a family does if its message can't be delivered for good (DMs closed, user
    or channel gone): the core runs the family's due-handler ``event`` with ``data``
    plus ``reason``, in the atomic block that marks the delivery failed. A handler that
    returns nothing leaves it to the core's own note to whoever caused the message.
    Kept with the outbox item only: adapters never see it."""

    event: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DirectMessage:
    user: str
    message: Message
    on_failed: OnFailed | None = None


@dataclass(frozen=True)
class GroupMessage:
    """A conversation of several users (a group DM, or a private thread on Discord)."""

    users: tuple[str, ...]
    message: Message
    on_failed: OnFailed | None = None


@dataclass(frozen=True)
class ChannelPost:
    channel: str
    message: Message
    on_failed: OnFailed | None = None


@dataclass(frozen=True)
class Later:
    """Run the named due-handler at ``at`` with ``data`` (stored in the outbox meanwhile).

    ``key`` makes scheduling idempotent; ``user`` is the person it will speak to
    (for quiet hours, caps and privacy); ``nudge`` marks automatic reminders.
    """

    at: datetime
    event: str
    data: dict[str, Any]
    key: str
    user: str | None = None
    nudge: bool = True
    about: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Queued:
    """A delivery on its own terms, for the few that need them: due at ``due`` (a reminder
    held back arrives in the order it fell due), under ``key``, a nudge the policy already
    counted (``released``), or ``anonymous`` (no originator: an erasure's notes name nobody).
    Everything else is a plain ``DirectMessage`` / ``GroupMessage`` / ``ChannelPost``."""

    delivery: DirectMessage | GroupMessage | ChannelPost
    due: datetime
    key: str
    about: tuple[str, ...] = ()
    nudge: bool = False
    released: str | None = None
    anonymous: bool = False


@dataclass(frozen=True)
class Cancel:
    """Call off scheduled work (a ``Later`` or a queued message) by the key it was given."""

    key: str


@dataclass(frozen=True)
class HomeSection:
    """One part of a home view: a title, its items (text and buttons), how many more
    items there are than are shown (the renderer says "…and N more"), and a footer
    line (where to see them all)."""

    title: Text
    items: tuple[Message, ...] = ()
    more: int = 0
    footer: Text = ()

    def to_data(self) -> dict[str, Any]:
        return {
            "title": to_data(self.title),
            "items": [m.to_data() for m in self.items],
            "more": self.more,
            "footer": to_data(self.footer),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> HomeSection:
        return cls(
            title=from_data(data["title"]),
            items=tuple(Message.from_data(m) for m in data.get("items", ())),
            more=int(data.get("more", 0)),
            footer=from_data(data.get("footer", [])),
        )


@dataclass(frozen=True)
class HomeView:
    """A person's dashboard, shown at once to them only: Slack renders it as the App
    Home tab, Discord and the console as private messages. Never queued."""

    user: str
    sections: tuple[HomeSection, ...] = ()
    intro: Text = ()
    # Shown under the sections where a home has room for them (a home tab): the
    # member's settings, what they can do. Renderers without a home tab leave it out.
    tail: tuple[Text, ...] = ()

    def to_data(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "intro": to_data(self.intro),
            "sections": [s.to_data() for s in self.sections],
            "tail": [to_data(t) for t in self.tail],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> HomeView:
        return cls(
            user=str(data["user"]),
            sections=tuple(HomeSection.from_data(s) for s in data.get("sections", ())),
            intro=from_data(data.get("intro", [])),
            tail=tuple(from_data(t) for t in data.get("tail", ())),
        )


FieldKind = Literal["member", "members", "channel", "text", "long", "when", "choice"]


@dataclass(frozen=True)
class Field:
    """One input of a form. ``limit`` caps text (and members); ``choices`` are (what people
    see, what the family reads) pairs; ``default`` is of the type the field gives back
    (see ``FormSubmission``). Words are plain text: no platform shows markup in forms."""

    name: str
    kind: FieldKind
    label: str
    placeholder: str = ""
    required: bool = True
    default: Any = None
    limit: int | None = None
    choices: tuple[tuple[str, str], ...] = ()

    def to_data(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "label": self.label,
            "placeholder": self.placeholder,
            "required": self.required,
            "default": _value_to_data(self.default),
            "limit": self.limit,
            "choices": [list(c) for c in self.choices],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Field:
        return cls(
            name=data["name"],
            kind=data["kind"],
            label=data["label"],
            placeholder=data.get("placeholder", ""),
            required=bool(data.get("required", True)),
            default=_value_from_data(data.get("default")),
            limit=data.get("limit"),
            choices=tuple((str(a), str(b)) for a, b in data.get("choices", ())),
        )


@dataclass(frozen=True)
class Form:
    """Ask the member for input at once (a modal on Slack and Discord, questions one by one
    on the console). The answer comes back as a ``FormSubmission`` with ``key``, whose
    part before the first ``:`` names the family's form handler. ``errors`` (field name →
    what is wrong) marks a form shown again after a refused submission, its defaults
    being what the member had entered."""

    key: str
    title: str
    submit: str
    fields: tuple[Field, ...]
    errors: dict[str, str] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "submit": self.submit,
            "fields": [f.to_data() for f in self.fields],
            "errors": dict(self.errors),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Form:
        return cls(
            key=data["key"],
            title=data["title"],
            submit=data["submit"],
            fields=tuple(Field.from_data(f) for f in data.get("fields", ())),
            errors=dict(data.get("errors") or {}),
        )


def _value_to_data(value: Any) -> Any:
    if isinstance(value, UserArg):
        return {"user": value.id, "name": value.name}
    if isinstance(value, ChannelArg):
        return {"channel": value.id, "name": value.name}
    if isinstance(value, datetime):
        return {"at": value.isoformat()}
    if isinstance(value, tuple):
        return {"many": [_value_to_data(v) for v in value]}
    return value


def _value_from_data(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    if "user" in data:
        return UserArg(data["user"], data.get("name"))
    if "channel" in data:
        return ChannelArg(data["channel"], data.get("name"))
    if "at" in data:
        return datetime.fromisoformat(data["at"])
    return tuple(_value_from_data(v) for v in data.get("many", ()))


Delivery = DirectMessage | GroupMessage | ChannelPost
Output = (
    Reply
    | MessageUpdate
    | HomeView
    | Form
    | DirectMessage
    | GroupMessage
    | ChannelPost
    | Later
    | Cancel
    | Queued
)


def delivery_to_data(out: Delivery) -> dict[str, Any]:
    if isinstance(out, DirectMessage):
        return {"kind": "dm", "user": out.user, "message": out.message.to_data()}
    if isinstance(out, GroupMessage):
        return {"kind": "group", "users": list(out.users), "message": out.message.to_data()}
    return {"kind": "channel", "channel": out.channel, "message": out.message.to_data()}


def delivery_from_data(data: dict[str, Any]) -> Delivery:
    message = Message.from_data(data["message"])
    if data["kind"] == "dm":
        return DirectMessage(data["user"], message)
    if data["kind"] == "group":
        return GroupMessage(tuple(data["users"]), message)
    return ChannelPost(data["channel"], message)


def recipients(out: Delivery) -> tuple[str, ...]:
    if isinstance(out, DirectMessage):
        return (out.user,)
    if isinstance(out, GroupMessage):
        return out.users
    return ()
