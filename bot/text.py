"""What the core itself says (errors, unknown commands, delivery problems).

Each command family keeps its own words in ``bot/commands/<family>_text.py``.
"""

from __future__ import annotations

from bot.markup import Text, fmt

UNKNOWN_COMMAND = "I don't know `/{command}` yet. Try `/rapport help` to see everything I can do."
UNKNOWN_SUB = "I don't know `/{command} {word}`. Here's how it works:"
BUTTON_GONE = "That button isn't active any more. Nothing changed."
OOPS = (
    "Sorry, something went wrong on my side and nothing was changed. "
    "If it keeps happening, tell an admin the error id *{error_id}*."
)
EXAMPLE = "_Example:_ `{example}`"

DELIVERY_FAILED = {
    "dms_closed": "I couldn't send {who} a direct message: their DMs are closed to me. "
    "You might reach out to them another way.",
    "user_gone": "I couldn't reach {who}: they don't seem to be in the community any more.",
    "channel_gone": "I couldn't post in that channel: it was archived or I'm not in it. "
    "An admin can invite me or pick another channel.",
}
DELIVERY_FAILED_OTHER = (
    "I couldn't deliver a message to {who} ({reason}). Nothing else was affected."
)


def error_reply(message: str | Text, example: str | None) -> Text:
    """A refusal: our message (plain text), then an example when we have one."""
    if example:
        return fmt("{message}\n" + EXAMPLE, message=message, example=example)
    return fmt("{message}", message=message)
