"""Neutral inputs and outputs: the whole vocabulary between adapters and the core.

Adapters turn platform payloads into the inputs below and render the outputs;
nothing platform-specific crosses this line. New kinds of output are added as new
types here, never as extra arguments every adapter must learn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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


Delivery = DirectMessage | GroupMessage | ChannelPost
Output = (
    Reply | MessageUpdate | HomeView | DirectMessage | GroupMessage | ChannelPost | Later | Cancel
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
