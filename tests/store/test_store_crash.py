"""Kill a writing process at random moments: no acknowledged write may be lost.

``tests/store/crash_writer.py`` writes to a TinyDB store in a loop and says, before each
write call, what the call will change, and after it returns, that it returned.
This test SIGKILLs it at random moments (during startup and journal replay, in
the middle of writes, during compactions), then opens the store and checks that
it holds exactly the acknowledged writes, plus, at most, the whole of the one
write that was in flight. Rounds continue on the same directory, so state
accumulates and each round starts from what the last one left on disk.

The kill moments come from a seeded generator but fall where the OS schedules
them; what is checked holds whatever they are.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from store.base import SCHEMA_VERSION
from store.tinydb_store import JOURNAL, SNAPSHOT, TinyDBStore
from tests.store.crash_writer import (
    MIN_COMPACT_BYTES,
    OUTBOX,
    PEOPLE,
    TABLES,
    State,
    apply_effect,
    digest,
    read_state,
)

WRITER = Path(__file__).with_name("crash_writer.py")
ROOT = WRITER.parent.parent.parent
ROUNDS = 40
SEED = 20261128


@dataclass
class Stats:
    rounds: int = 0
    acked: int = 0
    compactions: int = 0
    in_flight_kept: int = 0
    in_flight_lost: int = 0
    torn_journal: int = 0
    tmp_left: int = 0
    killed_before_start: int = 0
    aimed_at_compaction: int = 0
    checked_in_place: int = 0


def pause(seconds: float) -> None:
    """Wait a moment too short for ``time.sleep`` to be precise."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def compacts(data: Path, line: bytes) -> bool:
    """Will the write this ``B`` line announces fold the journal into a new snapshot?"""
    write = json.loads(line[2:])
    if write["kind"] == "rollback" or not write["effect"]:
        return False
    ops = [["put", t, i, d] if d is not None else ["del", t, i] for t, i, d in write["effect"]]
    size = len(json.dumps(ops, ensure_ascii=False, separators=(",", ":")).encode()) + 10
    try:
        journal = (data / JOURNAL).stat().st_size
        snapshot = (data / SNAPSHOT).stat().st_size
    except FileNotFoundError:
        return False
    return journal + size > max(MIN_COMPACT_BYTES, snapshot)


def run_writer(
    data: Path, seed: int, round: int, rnd: random.Random, err: Path, stats: Stats
) -> bytes:
    """Start the writer, kill it at a random moment, return all it printed."""
    with open(err, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(data), str(seed), str(round)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=ROOT,
        )
    assert proc.stdout is not None

    def kill() -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)

    hung = threading.Event()

    def give_up() -> None:
        hung.set()
        kill()

    watchdog = threading.Timer(15, give_up)
    watchdog.start()
    out = bytearray()
    try:
        mode = rnd.random()
        if mode < 0.15:
            # Early: during interpreter start, opening (journal replay, compaction)
            # or the first writes.
            timer = threading.Timer(rnd.uniform(0.02, 0.15), kill)
            timer.start()
            out += proc.stdout.read()
            timer.cancel()
        else:
            # After a random number of acknowledged writes, plus a little; or, aiming
            # at compactions, during the first write after that which compacts.
            aim = mode < 0.55
            target = rnd.randint(1, 40 if aim else 150)
            delay = rnd.uniform(0, 0.004 if aim else 0.003)
            acked = 0
            for line in iter(proc.stdout.readline, b""):
                out += line
                if line.startswith(b"A "):
                    acked += 1
                    if acked == target and not aim:
                        pause(delay)
                        kill()
                        break
                elif aim and acked >= target and line.startswith(b"B ") and compacts(data, line):
                    stats.aimed_at_compaction += 1
                    pause(delay)
                    kill()
                    break
            out += proc.stdout.read()
    finally:
        watchdog.cancel()
        code = proc.wait()
        proc.stdout.close()
    if hung.is_set():
        pytest.fail(f"the writer stopped making progress:\n{bytes(out[-2000:])!r}")
    if code != -signal.SIGKILL:
        said = bytes(out[-2000:]).decode(errors="replace")
        pytest.fail(f"writer exited by itself ({code}):\n{said}\n{err.read_text()[-3000:]}")
    return bytes(out)


def parse(out: bytes, model: State, stats: Stats) -> tuple[State, dict[str, Any] | None]:
    """Apply the acknowledged writes to ``model``; return it and the write in flight."""
    lines = out.split(b"\n")[:-1]  # the last piece is cut off (or empty)
    pending: dict[str, Any] | None = None
    started = False
    for raw in lines:
        tag, _, body = raw.decode().partition(" ")
        payload = json.loads(body)
        if tag == "S":
            started = True
            assert payload == digest(model), "the writer opened the store and found other data"
        elif tag == "B":
            assert pending is None
            pending = payload
        elif tag == "A":
            assert pending is not None and pending["seq"] == payload
            model = apply_effect(model, pending["effect"])
            pending = None
            stats.acked += 1
        elif tag == "C":
            stats.compactions += 1
        elif tag == "X":
            pytest.fail(f"the store answered a write wrongly: {payload}")
        else:
            pytest.fail(f"unexpected line {raw!r}")
    if not started:
        stats.killed_before_start += 1
    return model, pending


def check(directory: Path, model: State, pending: dict[str, Any] | None, stats: Stats) -> State:
    """The store opens and holds the model, or the model plus the whole write in flight."""
    with TinyDBStore(directory) as store:
        assert store.schema_version() == SCHEMA_VERSION
        found = read_state(store)
        assert set(store.tables()) <= set(TABLES)
        if found != model:
            assert pending is not None, diff(model, found)
            after = apply_effect(model, pending["effect"])
            assert found == after, (
                f"neither before nor after write {pending['seq']} ({pending['kind']}):\n"
                f"vs before: {diff(model, found)}\nvs after: {diff(after, found)}"
            )
            model = after
            stats.in_flight_kept += 1
        elif pending is not None and pending["effect"]:
            stats.in_flight_lost += 1
        # lookups that use the backend's indexes agree with the records
        for doc in found[PEOPLE].values():
            if doc.get("key"):
                assert store.find(PEOPLE, {"key": doc["key"]}) == [doc]
        for tag in ("a", "b", "c", "d"):
            want = sorted(i for i, d in found[PEOPLE].items() if tag in d["tags"])
            assert sorted(d["id"] for d in store.find(PEOPLE, {"tags": tag})) == want
        for state in ("pending", "claimed", "sending", "sent", "failed"):
            want = sorted(i for i, d in found[OUTBOX].items() if d["state"] == state)
            assert sorted(d["id"] for d in store.find(OUTBOX, {"state": state})) == want
    return model


def diff(want: State, got: State) -> str:
    lines = []
    for table in TABLES:
        for id in sorted(set(want[table]) | set(got[table])):
            if want[table].get(id) != got[table].get(id):
                lines.append(f"{table}/{id}: want {want[table].get(id)} got {got[table].get(id)}")
    return "\n".join(lines[:10]) or "(same)"


@pytest.mark.slow
def test_a_killed_writer_loses_no_acknowledged_write(tmp_path: Path) -> None:
    rnd = random.Random(SEED)
    data = tmp_path / "data"
    model: State = {t: {} for t in TABLES}
    stats = Stats()
    started = time.monotonic()
    for round in range(ROUNDS):
        out = run_writer(data, rnd.randrange(1 << 30), round, rnd, tmp_path / "stderr.txt", stats)
        model, pending = parse(out, model, stats)
        stats.rounds += 1
        journal = data / JOURNAL
        if journal.exists() and journal.stat().st_size:
            stats.torn_journal += not journal.read_bytes().endswith(b"\n")
        stats.tmp_left += (data / SNAPSHOT).with_suffix(".tmp").exists()
        if round % 3 == 0:
            # Open the store itself: replays the journal and compacts, as a restart does.
            model = check(data, model, pending, stats)
            stats.checked_in_place += 1
        else:
            # Open a copy of the files, leaving the journal for the next writer to
            # replay (so kills also land in that replay and its compaction).
            copy = tmp_path / "copy"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(data, copy)
            model = check(copy, model, pending, stats)
    model = check(data, model, None, stats)
    elapsed = time.monotonic() - started
    print(f"\ncrash test: {stats} in {elapsed:.1f}s")
    # The test did what it is for: many writes, many compactions, data that grew.
    # (Each round kills only after its target number of acknowledged writes, so
    # with this seed at least 1,708 writes are acknowledged, whatever the timing.)
    assert stats.acked >= 1500
    assert stats.compactions > 20
    assert sum(len(docs) for docs in model.values()) > 20
