"""The bot as a real process, for the soak's SIGKILLs: ``python -m tests.soak.proc DATA WORK``.

It opens the soak's store, builds the same core (nudge policy, instrumentation) and
outbox worker, prints ``ready`` and ticks every five simulated minutes (a few real
milliseconds apart) until the ``until`` of ``WORK/state.json``, writing its clock to
``WORK/clock`` after each tick.
Its platform is the soak's (same fate, its own seed); every message it accepts is
appended, fsynced, to ``WORK/accepted.jsonl`` before it answers "sent", so the parent
knows exactly what the platform got whenever the kill lands.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
from pathlib import Path

from bot.adapters.console.community import build_directory
from bot.clock import ManualClock, iso, parse_iso
from bot.config import Config
from bot.core import Rapport
from bot.outbox import OutboxWorker
from store.tinydb_store import TinyDBStore
from tests.soak.instrument import instrument
from tests.soak.platform import Accepted, Fate, SoakPlatform
from tests.soak.world import TICK

PACE = 0.005  # wall seconds per tick, so the parent's SIGKILL lands in the middle of the work


def write_clock(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    data, work = (Path(a) for a in (argv or sys.argv[1:])[:2])
    state = json.loads((work / "state.json").read_text(encoding="utf-8"))
    fate = Fate.from_data(state["fate"])
    directory = build_directory(int(state["members"]))
    for user in fate.gone:
        directory.remove(user)
    clock = ManualClock(parse_iso(state["now"]))
    until = parse_iso(state["until"])
    store = TinyDBStore(data)
    core = Rapport(store, clock, Config(data_dir=str(data)), directory)
    instrument(core)
    platform = SoakPlatform(clock, fate, random.Random(state["seed"]), log=work / "accepted.jsonl")
    known = Accepted("", "", "", (), "", {}, 0, False)
    platform.accepted = dict.fromkeys(state["accepted"], known)
    worker = OutboxWorker(core, {"console": platform}, worker_id=f"child-{os.getpid()}")
    loop = asyncio.new_event_loop()
    print("ready", flush=True)
    while clock.now() < until:
        for _ in range(20):
            loop.run_until_complete(worker.tick())
            if not worker.backlog:
                break
        clock.advance(TICK)
        write_clock(work / "clock", iso(clock.now()))
        time.sleep(PACE)
    loop.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
