"""The console adapter: type commands as on Slack, switch who you are, move the clock.

The same machinery serves a person trying rapport (``rapport console``) and the
tests (``--script``): every output the core has is printed with who sees it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot import when
from bot.adapters.console import text as t
from bot.adapters.console.community import COMMUNITY, parse_parts
from bot.adapters.plain_home import home_messages
from bot.clock import parse_iso
from bot.core import Rapport
from bot.directory import StaticDirectory
from bot.errors import UserError
from bot.io import (
    ButtonPress,
    ChannelArg,
    ChannelPost,
    CommandInvocation,
    DirectMessage,
    Field,
    Form,
    FormSubmission,
    GroupMessage,
    HomeView,
    MessageUpdate,
    Output,
    Reply,
    UserArg,
)
from bot.markup import Text, moment_text, render
from bot.messages import Attachment, Message
from bot.outbox import Failed, OutboxWorker, Parcel, Sent
from bot.registry import Kept
from store import StoreUnavailable
from store.base import OUTBOX, new_id

BUTTONS = "console_buttons"
STATE = "console_state"
HOME_CHARS = 4000  # the terminal has no limit; sections stay readable at this size
HOME_BUTTONS = 25  # numbered buttons per home message
BUTTON_LABEL = 80

LONGEST_ADVANCE = timedelta(days=3660)  # ten years of console time in one step


class ConsoleClock:
    """A clock that follows ``base`` (real time, or a fixed start) plus an offset."""

    def __init__(self, base: Callable[[], datetime], offset: timedelta = timedelta()) -> None:
        self.base = base
        self.offset = offset

    def now(self) -> datetime:
        return self.base() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


def parse_duration(text: str) -> timedelta:
    """``3d``, ``2h30m``, ``1w``, ``2 hours`` → a timedelta of at most ten years;
    a refusal (``UserError``) with an example otherwise."""
    return when.read_duration(text, longest=LONGEST_ADVANCE)


def render_text(text: Text, directory: StaticDirectory) -> str:
    def name(user: str) -> str:
        member = directory.member(COMMUNITY, user)
        return "@" + (member.name if member else user)

    return render(
        text,
        escape=lambda s: s,
        bold=lambda s: s,
        italic=lambda s: s,
        code=lambda s: s,
        link=lambda url, label: url if label == url else f"{label} <{url}>",
        mention=name,
        channel=lambda c: "#" + c,
        moment=moment_text,  # the console keeps explicit zones
    )


class ConsoleDelivery:
    """Delivers outbox items by printing them; users marked unreachable fail for good."""

    def __init__(self, session: ConsoleSession) -> None:
        self.session = session
        self.closed_dms: set[str] = set()

    async def deliver(self, parcel: Parcel) -> Sent | Failed:
        out = parcel.output
        if isinstance(out, DirectMessage):
            if out.user in self.closed_dms:
                return Failed("dms_closed")
            if self.session.directory.member(COMMUNITY, out.user) is None:
                return Failed("user_gone")
            self.session.show(t.DM.format(user=out.user), out.message, visible_to=(out.user,))
        elif isinstance(out, GroupMessage):
            who = ", ".join(out.users)
            self.session.show(t.GROUP.format(users=who), out.message, visible_to=out.users)
        elif isinstance(out, ChannelPost):
            self.session.show(t.CHANNEL.format(channel=out.channel), out.message, visible_to=None)
        return Sent(parcel.id)


class ConsoleSession:
    def __init__(
        self,
        core: Rapport,
        directory: StaticDirectory,
        clock: ConsoleClock,
        write: Callable[[str], None],
        *,
        user: str = "you",
    ) -> None:
        self.core = core
        self.store = core.store
        # Buttons name people (kept, with the member replaced); the clock is bookkeeping.
        core.keep(Kept(BUTTONS, shared=True, exported=False), Kept(STATE, exported=False))
        self.directory = directory
        self.clock = clock
        self.write = write
        self.user = user
        self.delivery = ConsoleDelivery(self)
        self.worker = OutboxWorker(core, {"console": self.delivery}, worker_id="console")
        self.loop = asyncio.new_event_loop()
        self._requests = 0
        self._session = new_id(6)  # request ids must never repeat across runs
        self.echo = True  # print "user> line" (scripts); the interactive prompt already shows it
        # A form being filled in: asked field by field, each answer on its own line.
        self.form: Form | None = None
        self.answers: dict[str, object] = {}
        self.asking: list[Field] = []

    # -- printing ------------------------------------------------------------

    def show(self, heading: str, message: Message, *, visible_to: tuple[str, ...] | None) -> None:
        body = render_text(message.text, self.directory)
        lines = [heading] + ["    " + line for line in body.splitlines() or [""]]
        for attachment in message.attachments:
            lines.append("    " + t.ATTACHED.format(filename=attachment.filename))
            saved = self._save_file(attachment, visible_to)
            if saved is not None:
                lines.append("    " + t.SAVED.format(path=saved))
        if message.buttons:
            labels = []
            for button in message.buttons:
                n = self._remember(button.action, button.value, button.label, visible_to)
                labels.append(f"[{n}] {button.label}")
            lines.append("    " + "   ".join(labels))
        self.write("\n".join(lines) + "\n")

    def _save_file(self, attachment: Attachment, visible_to: tuple[str, ...] | None) -> str | None:
        """Write a file we "sent" into the data directory, so it can be opened."""
        folder = Path(self.core.config.data_dir) / "files" / "-".join(visible_to or ("everyone",))
        name = Path(attachment.filename).name or "file"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(attachment.content, encoding="utf-8")
        except OSError:
            return None
        return str(folder / name)

    def _remember(
        self, action: str, value: str, label: str, visible_to: tuple[str, ...] | None
    ) -> int:
        n = self.store.count(BUTTONS) + 1
        self.store.insert(
            BUTTONS,
            {
                "id": str(n),
                "n": n,
                "action": action,
                "value": value,
                "label": label,
                "visible_to": list(visible_to) if visible_to else None,
            },
        )
        return n

    # -- one line ------------------------------------------------------------

    def run_line(self, line: str) -> bool:
        """Handle one typed line; False means the user asked to quit.

        A full disk or an unreachable database never ends the session: the line is
        answered with what happened (nothing was kept) and the next one tries again.
        """
        try:
            return self._run_line(line)
        except StoreUnavailable:
            self.write(t.STORE_UNAVAILABLE + "\n")
            return True

    def _run_line(self, line: str) -> bool:
        line = line.strip()
        if not line or line.startswith("//"):
            return True
        if self.echo:
            self.write(f"{self.user}> {line}\n")
        self.tick()
        if self.form is not None and line.lower() != ":cancel":
            self._fill(line)
        elif line.startswith("/"):
            command, _, rest = line[1:].partition(" ")
            self._answer(self.core.handle_command(self._invocation(command, rest)))
        elif line.startswith(":"):
            verb, _, rest = line[1:].partition(" ")
            handler = getattr(self, f"_cmd_{verb.lower()}", None)
            if handler is None:
                self.write(t.UNKNOWN_META.format(verb=verb) + "\n")
            elif handler(rest.strip()) is False:
                return False
        else:
            self.write(t.NOT_A_COMMAND + "\n")
        self.tick()
        self._save_clock()
        return True

    def _invocation(self, command: str, rest: str) -> CommandInvocation:
        member = self.directory.member(COMMUNITY, self.user)
        return CommandInvocation(
            community=COMMUNITY,
            user=self.user,
            command=command,
            parts=parse_parts(rest, self.directory),
            channel="general",
            request_id=self._request_id(),
            is_admin=bool(member and member.is_admin),
            user_name=self.user,
        )

    def _request_id(self) -> str:
        self._requests += 1
        return f"console-{self._session}-{self._requests}"

    def _answer(self, outputs: list[Output]) -> None:
        for out in outputs:
            if isinstance(out, Reply):
                heading = t.REPLY.format(user=self.user) if out.ephemeral else t.REPLY_PUBLIC
                self.show(heading, out.message, visible_to=(self.user,))
            elif isinstance(out, MessageUpdate):
                self.show(t.UPDATED, out.message, visible_to=(self.user,))
            elif isinstance(out, Form):
                self._open(out)
            elif isinstance(out, HomeView):
                for message in home_messages(
                    out, max_chars=HOME_CHARS, max_buttons=HOME_BUTTONS, max_label=BUTTON_LABEL
                ):
                    self.show(t.HOME.format(user=self.user), message, visible_to=(self.user,))

    def tick(self) -> None:
        self.loop.run_until_complete(self.worker.tick())

    # -- forms: one question a line ------------------------------------------

    def _open(self, form: Form) -> None:
        """Start asking a form's fields (only those marked wrong, when it comes back)."""
        self.form = form
        self.answers = {f.name: f.default for f in form.fields if f.default not in (None, "")}
        wrong = [f for f in form.fields if f.name in form.errors]
        self.asking = wrong or list(form.fields)
        self.write(t.FORM_OPEN.format(title=form.title) + "\n")
        self._ask()

    def _ask(self, problem: str | None = None) -> None:
        assert self.form is not None
        field = self.asking[0]
        lines = []
        error = problem or self.form.errors.get(field.name)
        if error:
            lines.append(t.FORM_ERROR.format(error=error))
        hints = [field.placeholder] if field.placeholder else []
        hints += [label for label, _ in field.choices]
        hint = t.FORM_HINT.format(hint=", ".join(hints)) if hints else ""
        now = self.answers.get(field.name)
        if now is not None:
            clear = "" if field.required or field.kind == "choice" else t.FORM_CLEAR
            optional = t.FORM_NOW.format(now=self._shown(field, now), clear=clear)
        else:
            optional = "" if field.required else t.FORM_OPTIONAL
        lines.append(t.FORM_FIELD.format(label=field.label, hint=hint, optional=optional))
        self.write("\n".join(lines) + "\n")

    def _fill(self, line: str) -> None:
        """One answer. ``:skip`` keeps what the field holds (its current value, or
        nothing); ``:clear`` empties an optional field. The last answer submits."""
        assert self.form is not None
        field = self.asking[0]
        word = line.lower()
        if word == ":skip":
            if field.required and self.answers.get(field.name) is None:
                self._ask(t.FORM_NEEDED)
                return
        elif word == ":clear" and not field.required and field.kind != "choice":
            self.answers.pop(field.name, None)
        elif line.startswith((":", "/")):
            self.write(t.FORM_BUSY + "\n")
            self._ask()
            return
        else:
            value = self._value(field, line)
            if value is None:  # people fields only: nobody by that name here
                names = ", ".join(m.id for m in self.directory.all() if not m.is_bot)
                self._ask(t.FORM_NO_MEMBER.format(what=line, names=names))
                return
            self.answers[field.name] = value
        self.asking.pop(0)
        if self.asking:
            self._ask()
            return
        form, self.form = self.form, None
        member = self.directory.member(COMMUNITY, self.user)
        values = {k: v for k, v in self.answers.items() if v is not None}
        submission = FormSubmission(
            community=COMMUNITY,
            user=self.user,
            key=form.key,
            values=values,
            request_id=self._request_id(),
            is_admin=bool(member and member.is_admin),
        )
        self._answer(self.core.handle_form(submission))

    def _value(self, field: Field, line: str) -> object:
        """What a typed answer means for a field's kind; for people, None when it names
        nobody here (``@name`` or the bare name, as the one-line commands take them)."""
        if field.kind in ("member", "members"):
            people = self._people(line)
            if field.kind == "member":
                return people[0] if people else None
            return people or None
        if field.kind == "channel":
            parts = parse_parts(line, self.directory)
            return next((p for p in parts if isinstance(p, ChannelArg)), None) or ChannelArg(
                line.lstrip("#"), line.lstrip("#")
            )
        if field.kind == "choice":
            return next(
                (v for label, v in field.choices if line.lower() in (label.lower(), v)), line
            )
        return line

    def _people(self, line: str) -> tuple[UserArg, ...]:
        """Members named in an answer, with or without their @."""
        words = line.replace(",", " ").split()
        spelled = " ".join(w if w.startswith("@") else "@" + w for w in words)
        return tuple(p for p in parse_parts(spelled, self.directory) if isinstance(p, UserArg))

    def _shown(self, field: Field, value: object) -> str:
        """A field's current value as a member would type it."""
        if isinstance(value, UserArg):
            return "@" + value.id
        if isinstance(value, tuple):
            return ", ".join(self._shown(field, v) for v in value)
        if isinstance(value, ChannelArg):
            return "#" + value.name
        if field.kind == "choice":
            return next((label for label, v in field.choices if v == value), str(value))
        return str(value)

    def _cmd_cancel(self, rest: str) -> None:
        if self.form is not None:
            self.form = None
            self.write(t.FORM_CANCELLED + "\n")

    # -- meta commands -------------------------------------------------------

    def _cmd_as(self, rest: str) -> None:
        name = rest.lstrip("@")
        member = self.directory.member(COMMUNITY, name)
        if member is None or member.is_bot:
            names = ", ".join(m.id for m in self.directory.all() if not m.is_bot)
            self.write(t.NO_SUCH_MEMBER.format(name=name, names=names) + "\n")
            return
        self.user = member.id
        self.write(t.NOW_YOU_ARE.format(user=member.id) + "\n")

    def _cmd_advance(self, rest: str) -> None:
        try:
            delta = parse_duration(rest)
        except UserError as err:
            self.write(t.ADVANCE_USAGE.format(why=err.message) + "\n")
            return
        target = self.clock.now() + delta
        tick = timedelta(seconds=self.core.config.tick_seconds)
        # Run every tick in between: jump to the tick after each due item, in order.
        while True:
            nxt = self.store.find(OUTBOX, {"state": "pending"}, order_by="due", limit=1)
            if not nxt or parse_iso(nxt[0]["due"]) > target:
                break
            due = parse_iso(nxt[0]["due"])
            step = max(due - self.clock.now(), timedelta())
            ticks = max(1, -(-step // tick))
            self.clock.advance(min(tick * ticks, target - self.clock.now()))
            self.tick()
        self.clock.advance(target - self.clock.now())
        self.write(t.ADVANCED.format(now=self._local_now()) + "\n")

    def _cmd_press(self, rest: str) -> None:
        button = self._find_button(rest)
        if button is None:
            self.write(t.NO_SUCH_BUTTON.format(which=rest) + "\n")
            return
        member = self.directory.member(COMMUNITY, self.user)
        press = ButtonPress(
            community=COMMUNITY,
            user=self.user,
            action=button["action"],
            value=button["value"],
            channel="general",
            message_ref=button["id"],
            request_id=self._request_id(),
            is_admin=bool(member and member.is_admin),
        )
        self._answer(self.core.handle_button(press))

    def _find_button(self, which: str) -> dict | None:
        which = which.strip()
        if which.isdigit():
            return self.store.get(BUTTONS, which)
        # By label: the newest button with that label that this user can see.
        for button in sorted(self.store.find(BUTTONS), key=lambda b: -b["n"]):
            seen_by = button.get("visible_to")
            if button["label"].lower() == which.lower() and (not seen_by or self.user in seen_by):
                return button
        return None

    def _cmd_time(self, rest: str) -> None:
        self.write(t.TIME.format(now=self._local_now()) + "\n")

    def _cmd_who(self, rest: str) -> None:
        names = ", ".join(m.id for m in self.directory.all() if not m.is_bot)
        self.write(t.WHO.format(user=self.user, names=names) + "\n")

    def _cmd_close_dms(self, rest: str) -> None:
        name = rest.lstrip("@") or self.user
        self.delivery.closed_dms.add(name)
        self.write(t.DMS_CLOSED.format(user=name) + "\n")

    def _cmd_help(self, rest: str) -> None:
        self.write(t.META_HELP + "\n")

    def _cmd_quit(self, rest: str) -> bool:
        return False

    _cmd_exit = _cmd_quit

    def _local_now(self) -> str:
        zone = self.core.context(COMMUNITY, self.user).zone()
        return self.clock.now().astimezone(zone).strftime("%a %Y-%m-%d %H:%M %Z")

    # -- persistence of the console's own clock --------------------------------

    def _save_clock(self) -> None:
        seconds = self.clock.offset.total_seconds()
        if self.store.get(STATE, "clock") is None:
            self.store.insert(STATE, {"id": "clock", "offset": seconds})
        else:
            self.store.update(STATE, "clock", {"offset": seconds})

    def close(self) -> None:
        self.loop.close()


def saved_offset(core: Rapport) -> timedelta:
    doc = core.store.get(STATE, "clock")
    return timedelta(seconds=doc["offset"]) if doc else timedelta()


def fixed(start: datetime) -> Callable[[], datetime]:
    start = start.astimezone(UTC)
    return lambda: start


def run(session: ConsoleSession, lines: TextIO) -> None:
    """Feed lines to the session until they run out or the user quits."""
    for line in lines:
        if not session.run_line(line):
            break
