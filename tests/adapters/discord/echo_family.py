"""A small command family for the adapter's tests: every output kind, on demand.

``/echo`` replies with what it was given (so the tests can see the parts the core
received), ``dm`` / ``post`` / ``group`` send the text as a DM, a channel post or a
group conversation with a button, ``slow`` blocks until the test lets it go (to
see the adapter defer), and the ``echo.press`` button edits its message and
replies — refusing anyone but the person it was sent to.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from bot.args import Args
from bot.context import Context
from bot.io import (
    ChannelArg,
    ChannelPost,
    DirectMessage,
    GroupMessage,
    MessageUpdate,
    Output,
    Reply,
    UserArg,
)
from bot.markup import Mention, fmt
from bot.messages import Attachment, Button, Message
from bot.registry import Family


@dataclass
class EchoState:
    """What a test sees of the family: the parts each /echo received; ``release`` for slow."""

    received: list[tuple[object, ...]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


def _describe(part: object) -> str:
    if isinstance(part, UserArg):
        return f"user:{part.id}:{part.name}:{part.is_bot}"
    if isinstance(part, ChannelArg):
        return f"channel:{part.id}"
    return f"text:{part}"


def build() -> tuple[Family, EchoState]:
    """A fresh family (and its state) for one test."""
    state = EchoState()
    family = Family("echo", "Say things back (tests only).", order=99)

    @family.sub(None, usage="/echo [@person] [#channel] <text>", example="/echo hi")
    def echo(ctx: Context, args: Args) -> list[Output]:
        """Reply with the parts received."""
        parts = args._parts
        state.received.append(parts)
        return [Reply(Message(fmt("{got}", got=" | ".join(_describe(p) for p in parts))))]

    @family.sub("dm", usage="/echo dm @person <text>", example="/echo dm @ana hi")
    def dm(ctx: Context, args: Args) -> list[Output]:
        """DM someone the text, with a button only they may press."""
        who = args.user()
        text = args.rest()
        message = Message(
            fmt("{sender} says: {text}", sender=Mention(ctx.user), text=text),
            buttons=(
                Button("echo.press", "Press me", who.id, "primary"),
                Button("echo.press", "Long one", who.id + ":" + "x" * 120),
            ),
            attachments=(
                Attachment("note.ics", "BEGIN:VCALENDAR\nEND:VCALENDAR\n", "text/calendar"),
            ),
        )
        return [DirectMessage(who.id, message), Reply(Message(fmt("Sent.")))]

    @family.sub("post", usage="/echo post #channel <text>", example="/echo post #jobs hi")
    def post(ctx: Context, args: Args) -> list[Output]:
        """Post the text in a channel."""
        channel = args.channel()
        text = args.rest()
        return [
            ChannelPost(
                channel.id, Message(fmt("{who} shared: {text}", who=Mention(ctx.user), text=text))
            ),
            Reply(Message(fmt("Posted.")), ephemeral=False),
        ]

    @family.sub("group", usage="/echo group @a @b <text>", example="/echo group @ana @bo hi")
    def group(ctx: Context, args: Args) -> list[Output]:
        """Open a group conversation of the two and me."""
        a, b = args.user(), args.user()
        text = args.rest()
        message = Message(
            fmt("{a}, meet {b}: {text}", a=Mention(a.id), b=Mention(b.id), text=text),
            buttons=(Button("echo.press", "Press me", a.id),),
        )
        return [GroupMessage((ctx.user, a.id, b.id), message), Reply(Message(fmt("Opened.")))]

    @family.sub("slow", usage="/echo slow [buttons]", example="/echo slow")
    def slow(ctx: Context, args: Args) -> list[Output]:
        """Take a while (until the test releases it)."""
        state.release.wait(timeout=5)
        buttons = (Button("echo.press", "Press me", ctx.user),) if args.rest() else ()
        return [Reply(Message(fmt("Finally done."), buttons=buttons))]

    @family.sub("long", usage="/echo long", example="/echo long")
    def long(ctx: Context, args: Args) -> list[Output]:
        """A reply longer than a Discord message."""
        return [
            Reply(
                Message(fmt("{text}", text="\n".join(f"line {i} " + "x" * 60 for i in range(90))))
            )
        ]

    @family.button("echo.press")
    def press(ctx: Context, value: str) -> list[Output]:
        owner = value.split(":")[0]
        if ctx.user != owner:
            return [Reply(Message(fmt("That button isn't yours.")))]
        return [
            MessageUpdate(Message(fmt("Pressed by {who}.", who=Mention(ctx.user)))),
            Reply(Message(fmt("Thanks for pressing ({n} characters).", n=len(value)))),
        ]

    return family, state
