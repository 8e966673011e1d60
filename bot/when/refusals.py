"""Refusals: the reader's one way of saying "I can't be sure what you meant".

Every refusal is a :class:`bot.errors.UserError` (so the core turns it into a friendly
reply and stores nothing) with a ``kind`` that tests and callers can match on, a short
warm reason, and a corrected example the person can copy.
"""

from __future__ import annotations

from bot.errors import UserError

# The kinds of refusal, one word each (stable: callers and tests match on them).
EMPTY = "empty"  # nothing to read
UNREADABLE = "unreadable"  # no reading at all
NEEDS_TIME = "needs_time"  # a day without a time of day, where a time is required
VAGUE = "vague"  # "tomorrow morning", "3 o'clock", "at 3"
AMBIGUOUS = "ambiguous"  # 12/10 without a date order, "friday" on a Friday, fall-back times
IMPOSSIBLE = "impossible"  # 31 Feb, 25:00, a weekday that doesn't match the date
PAST = "past"  # already happened
TOO_FAR = "too_far"  # beyond the caller's bound, or numbers too big to mean anything
DST_GAP = "dst_gap"  # a wall-clock time the clocks skip
ZONE = "zone"  # an unknown or ambiguous zone
CONFLICT = "conflict"  # two times, two dates, "morning 3pm"

LONGEST_ECHO = 40


def echo(text: str) -> str:
    """What the person typed, cut short so a huge paste never fills a reply."""
    text = " ".join(text.split())
    return text if len(text) <= LONGEST_ECHO else text[: LONGEST_ECHO - 1] + "…"


class Refusal(UserError):
    """A reading the bot won't guess at: ``kind`` says why, ``suggestion`` what to type."""

    def __init__(
        self, kind: str, message: str, suggestion: str | None = None, example: str | None = None
    ) -> None:
        self.reason = message  # without the "Try …" (so a caller can give a fuller example)
        if suggestion:
            message = f"{message} Try “{suggestion}”."
        super().__init__(message, example or suggestion)
        self.kind = kind
        self.suggestion = suggestion

    def retried(self, suggestion: str) -> Refusal:
        """The same refusal suggesting ``suggestion`` instead (e.g. with the day kept)."""
        again = Refusal(self.kind, self.reason, suggestion)
        if self.example != self.suggestion:
            again.example = self.example
        return again

    def with_example(self, example: str | None) -> Refusal:
        """The same refusal carrying a caller's command example (e.g. ``/coffee @ana …``)."""
        if example:
            self.example = example
        return self
