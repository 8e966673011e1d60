"""The soak's platform: DMs closed, people gone, transient errors, and process deaths.

It answers like Slack or Discord would: a DM to someone with DMs closed fails for
good (``dms_closed``), anything to someone who left fails (``user_gone``), and a few
calls fail for a moment (``Retry``, sometimes with a retry-after). Every offer is
written down; a key already accepted is a duplicate unless the outbox flagged the
offer ``maybe_sent`` (re-offered after a crash), which the platform absorbs as
Discord's nonce or a Slack client's check would. ``kill`` makes the next delivery
die before or after the platform accepted it, as a SIGKILL would at that instant.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.clock import Clock, iso
from bot.io import DirectMessage, recipients
from bot.outbox import DeliveryResult, Failed, Parcel, Retry, Sent


class Killed(BaseException):
    """The simulated process dies here (a BaseException: nothing in the bot catches it)."""


@dataclass
class Accepted:
    """One message the platform took: its key, when, to whom, and what it said."""

    key: str
    id: str
    at: str
    to: tuple[str, ...]
    kind: str
    message: dict[str, Any]
    attempt: int
    maybe_sent: bool
    sig: str = ""  # a digest of recipients and message, kept once the message is let go

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> Accepted:
        data = json.loads(line)
        data["to"] = tuple(data["to"])
        return cls(**data)


@dataclass
class Fate:
    """Who can't be reached, and how often the platform stumbles (shared with a child process)."""

    closed: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)
    transient: float = 0.03  # share of calls answered "try again"

    def to_data(self) -> dict[str, Any]:
        return {
            "closed": sorted(self.closed),
            "gone": sorted(self.gone),
            "transient": self.transient,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Fate:
        return cls(set(data["closed"]), set(data["gone"]), float(data["transient"]))


class SoakPlatform:
    def __init__(
        self,
        clock: Clock,
        fate: Fate,
        rng: random.Random,
        *,
        log: Path | None = None,
        on_accept: Callable[[Parcel, Accepted], None] | None = None,
    ) -> None:
        self.clock = clock
        self.fate = fate
        self.rng = rng
        self.log = log  # a child process appends what it accepted here (fsynced)
        self.on_accept = on_accept
        self.accepted: dict[str, Accepted] = {}
        self.duplicates: list[str] = []  # accepted twice without maybe_sent
        self.absorbed = 0  # maybe_sent re-offers of something already accepted
        self.answers: Counter[str] = Counter()
        self.kill: str | None = None  # "before" / "after": the next delivery dies there

    async def deliver(self, parcel: Parcel) -> DeliveryResult:
        if self.kill == "before":
            self.kill = None
            raise Killed("before the platform call")
        out = parcel.output
        to = recipients(out)
        if any(u in self.fate.gone for u in to):
            return self._answer(Failed("user_gone"))
        if isinstance(out, DirectMessage) and out.user in self.fate.closed:
            return self._answer(Failed("dms_closed"))
        if self.rng.random() < self.fate.transient:
            after = self.rng.choice((None, None, 1.0, 5.0, 20.0, 60.0, 300.0))
            return self._answer(Retry("rate_limited" if after else "timeout", after=after))
        if parcel.key in self.accepted:
            if parcel.maybe_sent:
                self.absorbed += 1
                return self._answer(Sent(parcel.key), "absorbed")
            self.duplicates.append(parcel.key)
        record = Accepted(
            key=parcel.key,
            id=parcel.id,
            at=iso(self.clock.now()),
            to=tuple(to),
            kind=type(out).__name__,
            message=out.message.to_data(),
            attempt=parcel.attempt,
            maybe_sent=parcel.maybe_sent,
        )
        self.accept(record)
        if self.on_accept is not None:
            self.on_accept(parcel, record)
        if self.kill == "after":
            self.kill = None
            raise Killed("after the platform accepted, before 'sent' was written")
        return self._answer(Sent(parcel.key))

    def accept(self, record: Accepted) -> None:
        self.accepted.setdefault(record.key, record)
        if self.log is not None:
            append_line(self.log, record.to_json())

    def _answer(self, result: DeliveryResult, name: str | None = None) -> DeliveryResult:
        label = name or type(result).__name__.lower()
        if isinstance(result, (Failed, Retry)):
            label += ":" + result.reason
        self.answers[label] += 1
        return result


def append_line(path: Path, line: str) -> None:
    """One line, written in one call and fsynced: there whole, or (torn by a kill) ignored."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def read_accepted(path: Path) -> list[Accepted]:
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            found.append(Accepted.from_json(line))
        except (ValueError, TypeError, KeyError):
            continue  # a line torn by the kill was never acknowledged
    return found


def moment(record: Accepted) -> datetime:
    from bot.clock import parse_iso

    return parse_iso(record.at)
