"""The neutral message: text in our markup, buttons, and file attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.markup import Text, from_data, to_data, to_plain

ButtonStyle = Literal["primary", "danger", "default"]


@dataclass(frozen=True)
class Button:
    """A button: ``action`` names the handler, ``value`` carries the record id."""

    action: str
    label: str
    value: str = ""
    style: ButtonStyle = "default"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message where the platform allows (e.g. an .ics invite)."""

    filename: str
    content: str
    mime: str = "text/plain"


@dataclass(frozen=True)
class Message:
    text: Text
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = field(default=())

    def plain(self) -> str:
        return to_plain(self.text)

    def to_data(self) -> dict[str, Any]:
        return {
            "text": to_data(self.text),
            "buttons": [[b.action, b.label, b.value, b.style] for b in self.buttons],
            "attachments": [[a.filename, a.content, a.mime] for a in self.attachments],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Message:
        return cls(
            text=from_data(data["text"]),
            buttons=tuple(Button(*b) for b in data.get("buttons", ())),
            attachments=tuple(Attachment(*a) for a in data.get("attachments", ())),
        )
