"""Drive the real core in tests: a TinyDB store in a temp dir, a manual clock, the
console community's members, and a delivery fake that records what was sent."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.adapters.console.community import COMMUNITY, build_directory, parse_parts
from bot.adapters.console.main import run_console
from bot.clock import ManualClock, parse_iso
from bot.config import Config
from bot.core import Rapport
from bot.io import (
    ButtonPress,
    ChannelPost,
    CommandInvocation,
    DirectMessage,
    Form,
    FormSubmission,
    GroupMessage,
    MessageUpdate,
    Output,
    Reply,
)
from bot.markup import to_plain
from bot.messages import Button, Message
from bot.outbox import DeliveryResult, Failed, OutboxWorker, Parcel, Sent, TickReport
from store.base import OUTBOX
from store.tinydb_store import TinyDBStore

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday


@dataclass
class Recorder:
    """A deliverer that records every parcel; users in ``closed`` fail as DMs closed."""

    sent: list[Parcel] = field(default_factory=list)
    closed: set[str] = field(default_factory=set)
    transient: int = 0  # fail this many deliveries with a retryable error first

    async def deliver(self, parcel: Parcel) -> DeliveryResult:
        out = parcel.output
        if isinstance(out, DirectMessage) and out.user in self.closed:
            return Failed("dms_closed")
        if self.transient > 0:
            from bot.outbox import Retry

            self.transient -= 1
            return Retry("rate limited", after=5)
        self.sent.append(parcel)
        return Sent(parcel.id)

    def to(self, user: str) -> list[Message]:
        """Messages delivered to ``user`` (DMs and group conversations they are in)."""
        found = []
        for p in self.sent:
            o = p.output
            if (isinstance(o, DirectMessage) and o.user == user) or (
                isinstance(o, GroupMessage) and user in o.users
            ):
                found.append(o.message)
        return found

    def posts(self, channel: str | None = None) -> list[Message]:
        return [
            p.output.message
            for p in self.sent
            if isinstance(p.output, ChannelPost)
            and (channel is None or p.output.channel == channel)
        ]

    def groups(self) -> list[GroupMessage]:
        return [p.output for p in self.sent if isinstance(p.output, GroupMessage)]


class CrashInSend(Recorder):
    """A deliverer whose process dies inside the send (after ``sending`` was written)."""

    async def deliver(self, parcel: Parcel) -> Any:
        raise SystemExit


class Harness:
    """The core over a real TinyDB store, with helpers that read like a conversation."""

    def __init__(
        self,
        data_dir: Path,
        *,
        start: datetime = START,
        config: Config | None = None,
        members: int = 0,
    ) -> None:
        self.data_dir = data_dir
        self.clock = ManualClock(start)
        self.directory = build_directory(members)
        self.config = config or Config(data_dir=str(data_dir))
        self.store = TinyDBStore(data_dir)
        self.core = Rapport(self.store, self.clock, self.config, self.directory)
        self.recorder = Recorder()
        self.worker = OutboxWorker(self.core, {"console": self.recorder}, worker_id="test")
        self.loop = asyncio.new_event_loop()
        self._n = 0

    # -- inputs --------------------------------------------------------------

    def cmd(self, user: str, line: str, *, deliver: bool = True) -> list[Output]:
        """Run ``/command args`` as ``user``; returns the immediate outputs."""
        command, _, rest = line.lstrip("/").partition(" ")
        self._n += 1
        member = self.directory.member(COMMUNITY, user)
        out = self.core.handle_command(
            CommandInvocation(
                community=COMMUNITY,
                user=user,
                command=command,
                parts=parse_parts(rest, self.directory),
                channel="general",
                request_id=f"req-{self._n}",
                is_admin=bool(member and member.is_admin),
            )
        )
        if deliver:
            self.tick()
        return out

    def reply(self, user: str, line: str) -> str:
        """The plain text of the replies to a command."""
        return "\n".join(
            to_plain(o.message.text)
            for o in self.cmd(user, line)
            if isinstance(o, (Reply, MessageUpdate))
        )

    def press(self, user: str, button: Button, *, deliver: bool = True) -> list[Output]:
        self._n += 1
        member = self.directory.member(COMMUNITY, user)
        out = self.core.handle_button(
            ButtonPress(
                community=COMMUNITY,
                user=user,
                action=button.action,
                value=button.value,
                request_id=f"press-{self._n}",
                is_admin=bool(member and member.is_admin),
            )
        )
        if deliver:
            self.tick()
        return out

    def submit(
        self, user: str, form: Form | list[Output], values: dict[str, Any], *, deliver: bool = True
    ) -> list[Output]:
        """Submit a form the bot showed (or the one among ``outputs``) with ``values``."""
        if not isinstance(form, Form):
            form = next(o for o in form if isinstance(o, Form))
        self._n += 1
        out = self.core.handle_form(
            FormSubmission(COMMUNITY, user, form.key, values, request_id=f"form-{self._n}")
        )
        if deliver:
            self.tick()
        return out

    # -- time ----------------------------------------------------------------

    def tick(self) -> TickReport:
        return self.loop.run_until_complete(self.worker.tick())

    def advance(self, delta: timedelta, *, step: timedelta = timedelta(seconds=30)) -> TickReport:
        """Move the clock, ticking at each due item on the way, as the scheduler would."""
        report = TickReport()
        target = self.clock.now() + delta
        while True:
            nxt = self.store.find(OUTBOX, {"state": "pending"}, order_by="due", limit=1)
            if not nxt or parse_iso(nxt[0]["due"]) > target:
                break
            due = parse_iso(nxt[0]["due"])
            self.clock.set(max(due, self.clock.now()) + min(step, timedelta(seconds=1)))
            report.add(self.tick())
        self.clock.set(target)
        report.add(self.tick())
        return report

    # -- reading ---------------------------------------------------------------

    def last_to(self, user: str) -> Message:
        messages = self.recorder.to(user)
        assert messages, f"nothing was delivered to {user}"
        return messages[-1]

    def button(self, message: Message, label: str) -> Button:
        for b in message.buttons:
            if b.label == label:
                return b
        raise AssertionError(f"no button {label!r} in {[b.label for b in message.buttons]}")

    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        """Every record of every table (to prove a refused command stored nothing)."""
        return {t: sorted(self.store.find(t), key=lambda d: d["id"]) for t in self.store.tables()}

    def close(self) -> None:
        self.loop.close()
        self.store.close()


def plain(message: Message) -> str:
    return to_plain(message.text)


def console(
    lines: list[str] | str,
    data_dir: Path,
    *,
    start: str = "2026-12-01T09:00:00+00:00",
    capsys: Any = None,
    members: int = 0,
) -> str:
    """Run a console script and return its transcript (what ``rapport console --script`` prints)."""
    import contextlib
    import tempfile

    body = lines if isinstance(lines, str) else "\n".join(lines) + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(body)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        run_console(
            Config(data_dir=str(data_dir)),
            script=f.name,
            members=members,
            start=datetime.fromisoformat(start),
        )
    Path(f.name).unlink()
    return buf.getvalue()
