"""Errors the core turns into friendly replies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.markup import Text

if TYPE_CHECKING:
    from bot.io import Form


class UserError(Exception):
    """Bad input or a refused action: the user is told ``message`` (with an example).

    The core rolls back the atomic block around the handler, so nothing is stored.
    """

    def __init__(self, message: str | Text, example: str | None = None) -> None:
        super().__init__(message if isinstance(message, str) else repr(message))
        self.message = message
        self.example = example


class FieldErrors(Exception):
    """A form submission refused field by field (``{field name: what is wrong}``).

    The core rolls back like for ``UserError`` and answers with the form again, marked
    with these errors and filled with what was entered, so the member fixes only that.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.form: Form | None = None  # the form to show again (set by the core)
