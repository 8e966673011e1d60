"""Restarts and crashes with real processes (``tests/nudge_driver.py``).

1. The bot is stopped, the clock moves past several due reminders, the bot starts:
   each is delivered exactly once, in order, and outside the person's quiet hours.
2. The bot is SIGKILLed twice during a burst of deliveries: after the restart nothing
   is lost and nothing is delivered twice. The platform fake dedupes by idempotency
   key like Discord's nonce; the test also shows that what was offered again after a
   kill is at most the one send in flight, flagged ``maybe_sent``.
3. The one window no bot can close on its own, hit on purpose: the process dies after
   the platform accepted a message and before "sent" is written. With idempotency keys
   the re-offer is absorbed; without them, that one message arrives twice.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.features.followup import records as fu
from store.base import OUTBOX
from store.tinydb_store import TinyDBStore
from tests.harness import START, Harness
from tests.nudge_driver import read_lines, write_clock

ROOT = Path(__file__).resolve().parents[3]
NY = ZoneInfo("America/New_York")


class Bot:
    """The driver's files, and a way to run it as a real process."""

    def __init__(self, tmp: Path, members: int = 0) -> None:
        self.data = tmp / "data"
        self.clock = tmp / "clock"
        self.log = tmp / "delivered.jsonl"
        self.attempts = tmp / "attempts.jsonl"
        self.members = members

    def start(self, until: datetime, delay_ms: float = 0, *extra: str) -> subprocess.Popen:
        cmd = [
            sys.executable,
            "-m",
            "tests.nudge_driver",
            f"--data={self.data}",
            f"--clock={self.clock}",
            f"--log={self.log}",
            f"--attempts={self.attempts}",
            f"--until={until.isoformat()}",
            f"--members={self.members}",
            f"--delay-ms={delay_ms}",
            *extra,
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)

    def run(self, until: datetime, *extra: str) -> int:
        proc = self.start(until, 0, *extra)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode in (0, -signal.SIGKILL), err
        return proc.returncode

    def delivered(self) -> list[dict]:
        return read_lines(self.log)


def note_of(record: dict) -> str:
    """The note a reminder carried ("note b" → "b")."""
    found = re.search(r"note (\w+)", record["text"])
    assert found, record
    return found.group(1)


def test_reminders_due_while_the_bot_was_down_arrive_once_in_order_outside_quiet_hours(
    tmp_path: Path,
) -> None:
    bot = Bot(tmp_path)
    h = Harness(bot.data)
    h.cmd("alice", "/rapport settings tz America/New_York")
    notes = {  # alice's reminders, in New York time
        "a": "2026-12-01 12:00",  # before the bot goes down
        "b": "2026-12-01 22:30",  # quiet hours, while down
        "c": "2026-12-02 06:00",  # quiet hours, while down
        "d": "2026-12-02 12:00",  # while down
        "e": "2026-12-03 23:00",  # after the restart, quiet hours
        "f": "2026-12-04 10:00",  # after the restart
    }
    for note, when in notes.items():
        h.cmd("alice", f"/followup @bob on {when} note {note}", deliver=False)
    h.cmd("bob", "/followup @carol on 2026-12-02 03:00 note g", deliver=False)  # bob is on UTC
    assert len(h.store.find(fu.FOLLOWUPS)) == 7
    h.close()

    write_clock(bot.clock, START)
    bot.run(until=datetime(2026, 12, 1, 20, 0, tzinfo=UTC))  # 15:00 in New York; then stop
    assert [note_of(r) for r in bot.delivered()] == ["a"]

    # Down for a day and a half: b, c, d and g come due meanwhile.
    write_clock(bot.clock, datetime(2026, 12, 3, 4, 0, tzinfo=UTC))  # 23:00 in New York
    bot.run(until=datetime(2026, 12, 5, 0, 0, tzinfo=UTC))

    delivered = bot.delivered()
    keys = Counter(r["key"] for r in delivered)
    assert len(keys) == 7 and max(keys.values()) == 1  # each exactly once
    order = [note_of(r) for r in delivered if r["to"] == ["alice"]]
    assert order == ["a", "b", "c", "d", "e", "f"]
    for r in delivered:
        moment = datetime.fromisoformat(r["at"].replace("Z", "+00:00"))
        zone = NY if r["to"] == ["alice"] else ZoneInfo("UTC")
        local = moment.astimezone(zone)
        assert local.weekday() < 5 and 8 <= local.hour < 21, (note_of(r), local)
    at = {note_of(r): r["at"] for r in delivered}
    assert at["b"].startswith("2026-12-03T13:00") and at["d"].startswith("2026-12-03T13:00")
    assert at["g"].startswith("2026-12-03T08:00")  # bob's morning, UTC
    assert at["e"].startswith("2026-12-04T13:00")

    store = TinyDBStore(bot.data)
    assert store.find(OUTBOX, {"state": ["pending", "claimed", "sending", "failed"]}) == []
    store.close()


def burst_of_reminders(bot: Bot, n: int) -> None:
    h = Harness(bot.data, members=n)
    for i in range(1, n + 1):
        h.cmd(f"member{i}", f"/followup @alice on 2026-12-01 10:00 note {i}", deliver=False)
    h.close()
    write_clock(bot.clock, START)


@pytest.mark.slow
def test_sigkill_during_a_burst_loses_nothing_and_sends_nothing_twice(tmp_path: Path) -> None:
    burst = 100
    bot = Bot(tmp_path, members=burst)
    burst_of_reminders(bot, burst)  # 100 people, each with a reminder due at 10:00
    until = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    kills = 0
    for kill_after in (20, 60):
        proc = bot.start(until, delay_ms=3)
        deadline = time.monotonic() + 60
        while len(bot.delivered()) < kill_after:
            assert proc.poll() is None, "the burst ended before the kill"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        kills += 1
        assert len(bot.delivered()) < burst
    bot.run(until)

    delivered = bot.delivered()
    keys = Counter(r["key"] for r in delivered)
    assert len(keys) == burst, "lost deliveries"
    assert max(keys.values()) == 1, "a message was delivered twice"
    assert sorted(int(note_of(r)) for r in delivered) == list(range(1, burst + 1))

    # What the platform was asked twice: only sends in flight at a kill, flagged maybe_sent.
    attempts = read_lines(bot.attempts)
    offered = Counter(a["key"] for a in attempts)
    again = [k for k, n in offered.items() if n > 1]
    assert len(again) <= kills
    for key in again:
        assert [a["maybe_sent"] for a in attempts if a["key"] == key][-1] is True

    store = TinyDBStore(bot.data)  # the store opens after the kills, with everything sent
    sent = store.find(OUTBOX, {"kind": "deliver", "state": "sent"})
    assert len(sent) == burst
    assert store.find(OUTBOX, {"state": ["claimed", "sending", "failed"]}) == []
    store.close()


@pytest.mark.parametrize("dedupe", [True, False])
def test_a_kill_between_the_platform_accepting_and_our_sent_write(
    tmp_path: Path, dedupe: bool
) -> None:
    bot = Bot(tmp_path, members=6)
    burst_of_reminders(bot, 6)
    until = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    flags = () if dedupe else ("--no-dedupe",)
    assert bot.run(until, "--kill-after-accept=3", *flags) == -signal.SIGKILL
    assert len(bot.delivered()) == 3
    assert bot.run(until, *flags) == 0

    third = bot.delivered()[2]["key"]
    offers = [a for a in read_lines(bot.attempts) if a["key"] == third]
    assert [a["maybe_sent"] for a in offers] == [False, True]  # offered again, flagged
    keys = Counter(r["key"] for r in bot.delivered())
    assert len(keys) == 6  # nothing lost either way
    if dedupe:
        assert max(keys.values()) == 1
    else:  # the honest limit: a platform without idempotency shows that one twice
        assert keys[third] == 2 and sum(keys.values()) == 7
