"""Errors the core turns into friendly replies."""

from __future__ import annotations

from bot.markup import Text


class UserError(Exception):
    """Bad input or a refused action: the user is told ``message`` (with an example).

    The core rolls back the atomic block around the handler, so nothing is stored.
    """

    def __init__(self, message: str | Text, example: str | None = None) -> None:
        super().__init__(message if isinstance(message, str) else repr(message))
        self.message = message
        self.example = example
