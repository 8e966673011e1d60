"""A home as plain messages, for platforms without a home tab (Discord, the console).

The core says what the home holds (``HomeView``); this turns it into as few messages
as fit the platform's own limits, which each adapter passes in.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.io import HomeView
from bot.markup import Text, fmt, join, to_plain
from bot.messages import Button, Message
from bot.trim import more_text


def home_messages(
    view: HomeView,
    *,
    max_chars: int,
    max_buttons: int,
    max_label: int,
    measure: Callable[[Text], int] = lambda text: len(to_plain(text)),
) -> list[Message]:
    """The view as few messages as fit: each within ``max_chars`` (as ``measure`` counts
    them) and ``max_buttons``. Items with buttons are numbered and so are their buttons'
    labels (``1 · Make the intro``), so it is clear which button belongs to which line.
    Items that don't fit are counted in the section's "…and N more" line."""
    number = 0
    blocks: list[tuple[Text, tuple[Button, ...]]] = []
    for section in view.sections:
        title = fmt("*{title}*", title=section.title)
        lines: list[Text] = [title]
        buttons: list[Button] = []
        more = section.more
        for i, item in enumerate(section.items):
            if item.buttons:
                label = str(number + 1)
                line = fmt("*{n}.* {text}", n=label, text=item.text)
                extra = [
                    Button(b.action, _label(f"{label} · {b.label}", max_label), b.value, b.style)
                    for b in item.buttons
                ]
            else:
                line = fmt("• {text}", text=item.text)
                extra = []
            tail = _tail(more + len(section.items) - i - 1, section.footer)
            fits = measure(join(*lines, line, *tail)) <= max_chars
            if not fits or len(buttons) + len(extra) > max_buttons:
                more += len(section.items) - i
                break
            lines.append(line)
            buttons.extend(extra)
            if extra:
                number += 1
        lines.extend(_tail(more, section.footer))
        blocks.append((join(*lines), tuple(buttons)))
    messages: list[Message] = []
    text: Text = view.intro
    buttons_now: tuple[Button, ...] = ()
    for body, buttons in blocks:
        joined = join(text, body, sep="\n\n") if text else body
        if text and (measure(joined) > max_chars or len(buttons_now) + len(buttons) > max_buttons):
            messages.append(Message(text, buttons_now))
            text, buttons_now = body, buttons
        else:
            text, buttons_now = joined, buttons_now + buttons
    if text:
        messages.append(Message(text, buttons_now))
    return messages


def _tail(more: int, footer: Text) -> list[Text]:
    tail: list[Text] = []
    if more > 0:
        tail.append(more_text(more))
    if footer:
        tail.append(footer)
    return tail


def _label(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
