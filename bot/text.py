"""What the core itself says (errors, unknown commands, delivery problems).

Each command family keeps its own words in ``bot/features/<family>/text.py``.
"""

from __future__ import annotations

from bot.markup import Bold, Code, Italic, Plain, Span, Text, fmt

UNKNOWN_COMMAND = "I don't know `/{command}` yet. Try `/rapport help` to see everything I can do."
UNKNOWN_SUB = "I don't know `/{command} {word}`. Here's how it works:"
UNCLOSED_QUOTE = (
    "A quote isn't closed (at {quote}), so I can't tell where it ends. Please add the "
    "closing quote mark; nothing was done yet."
)
DID_YOU_MEAN_SUB = "I don't know `/{command} {word}`. Did you mean `/{command} {sub}`?"
FAMILY_USAGE = "Here's what `/{command}` can do:"
NOT_SAVED = "I couldn't save that just now, so nothing changed. Please try again in a moment."
BUTTON_GONE = "That button isn't active any more. Nothing changed."
FORM_GONE = "That form isn't active any more. Nothing changed."
FIELD_REQUIRED = "Please fill this in."
FIELD_TOO_LONG = "Please keep this under {n} characters."
FIELD_NOT_A_CHOICE = "Please pick one of the choices."
FIELD_ONE_MEMBER = "Please pick just one member."
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


ECHO_LIMIT = 400  # characters of one run of text in a refusal; what a user typed may be huge


def error_reply(message: str | Text, example: str | None) -> Text:
    """A refusal: our message (plain text), then an example when we have one.

    A refusal that quotes what was typed quotes at most the start and end of a long
    run, so 10,000 pasted characters don't bury the one sentence that matters.
    """
    if example:
        return shorten(fmt("{message}\n" + EXAMPLE, message=message, example=example))
    return shorten(fmt("{message}", message=message))


def shorten(text: Text) -> Text:
    """``text`` with each long run cut to its start and end (for text that quotes input)."""
    out: list[Span] = []
    for span in text:
        if isinstance(span, (Plain, Code)) and len(span.text) > ECHO_LIMIT:
            half = ECHO_LIMIT // 2
            span = type(span)(f"{span.text[:half]} … {span.text[-half:]}")
        elif isinstance(span, (Bold, Italic)):
            span = type(span)(shorten(span.parts))
        out.append(span)
    return tuple(out)


# Names examples use instead of the person being answered (never "/coffee @you …" to you).
EXAMPLE_NAMES = ("dana", "sam", "alex")
# An input answered after a restart, by DM: first what it answers (every platform).
LATE_ANSWER = "Sorry for the wait — I was restarting. Here is my answer to `{command}`:"
LATE_PRESS = "Sorry for the wait — I was restarting. I've handled the button you pressed:"
