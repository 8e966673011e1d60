"""The writer that ``test_store_crash.py`` kills: writes to a TinyDB store forever.

Run as ``python tests/store/crash_writer.py DIR SEED ROUND``. It opens the store in DIR,
prints ``S <digest>`` of what it found, then loops over random writes (inserts,
updates with and without ``expect``, deletes, key conflicts, outbox claims, atomic
groups, and groups that roll back). For each write call it prints, flushed:

``B <json>``  before the call: the steps and their ``effect``, the records (table,
              id, doc or null) as they are once the call has returned;
``A <seq>``   after the call returned, so the write was acknowledged;
``C <n>``     when a new snapshot replaced the old one (compaction);
``X <json>``  when the store returned something other than expected (then exits 3).

The writer keeps its own model of the data, so the effect of a write is known
before the write is made: the parent can then tell which states the store may be
in after a kill, without trusting the store.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import string
import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.base import OUTBOX, Conflict, Store
from store.tinydb_store import SNAPSHOT, TinyDBStore

PEOPLE = "people"
TABLES = (PEOPLE, OUTBOX)
PEOPLE_IDS = [f"p{n:02d}" for n in range(30)]
OUTBOX_IDS = [f"o{n:02d}" for n in range(20)]
MIN_COMPACT_BYTES = 20_000
CHARS = string.ascii_letters + "üé€ß😀"

State = dict[str, dict[str, dict[str, Any]]]
Effect = list[tuple[str, str, dict[str, Any] | None]]


class Rollback(Exception):
    """Raised at the end of a group that must leave no trace."""


def read_state(store: Store) -> State:
    return {t: {d["id"]: d for d in store.find(t)} for t in TABLES}


def digest(state: State) -> str:
    text = json.dumps(state, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def apply_effect(state: State, effect: list[Any]) -> State:
    new = {t: dict(docs) for t, docs in state.items()}
    for table, id, doc in effect:
        if doc is None:
            new[table].pop(id, None)
        else:
            new[table][id] = doc
    return new


def ts(clock: int) -> str:
    return f"{clock:010d}"  # fixed width: these sort as text in time order


# -- what a step does, by the writer's own model -----------------------------------


def simulate(state: State, step: dict[str, Any]) -> tuple[Any, Effect]:
    """The result the store must return for ``step`` and the records it changes."""
    do = step["do"]
    if do == "insert":
        table, doc = step["table"], step["doc"]
        key = doc.get("key")
        for other in state[table].values():
            if other["id"] == doc["id"] or (key is not None and other.get("key") == key):
                return {"conflict": other}, []
        return doc, [(table, doc["id"], doc)]
    if do == "update":
        table, id = step["table"], step["id"]
        current = state[table].get(id)
        expect = step["expect"] or {}
        if current is None or any(current.get(f) != v for f, v in expect.items()):
            return None, []
        new = {**current, **step["changes"], "id": id}
        return new, [(table, id, new)]
    if do == "delete":
        table, id = step["table"], step["id"]
        if id not in state[table]:
            return False, []
        return True, [(table, id, None)]
    if do == "claim":
        now = step["now"]
        ready = [
            d
            for d in state[OUTBOX].values()
            if (d["state"] == "pending" and d["due"] <= now)
            or (d["state"] in ("claimed", "sending") and d["lease_until"] <= now)
        ]
        ready.sort(key=lambda d: (d["due"], d["id"]))
        taken = [
            {
                **d,
                "state": "claimed",
                "worker": step["worker"],
                "lease_until": step["lease_until"],
                "was": d["state"],
            }
            for d in ready[: step["limit"]]
        ]
        return taken, [(OUTBOX, d["id"], d) for d in taken]
    raise AssertionError(do)


def run(store: Store, step: dict[str, Any]) -> Any:
    do = step["do"]
    if do == "insert":
        try:
            return store.insert(step["table"], step["doc"])
        except Conflict as e:
            return {"conflict": e.existing}
    if do == "update":
        return store.update(step["table"], step["id"], step["changes"], expect=step["expect"])
    if do == "delete":
        return store.delete(step["table"], step["id"])
    if do == "claim":
        return store.claim_due(step["now"], step["limit"], step["worker"], step["lease_until"])
    raise AssertionError(do)


# -- choosing writes ---------------------------------------------------------------


class Planner:
    def __init__(self, rnd: random.Random, round: int) -> None:
        self.rnd = rnd
        self.round = round
        self.made = 0

    def text(self, low: int, high: int) -> str:
        return "".join(self.rnd.choices(CHARS, k=self.rnd.randint(low, high)))

    def step(self, state: State, seq: int, clock: int) -> dict[str, Any]:
        """One random step that makes sense for ``state``."""
        rnd = self.rnd
        self.made += 1
        n = f"{self.round}-{seq}-{self.made}"
        people, outbox = state[PEOPLE], state[OUTBOX]
        r = rnd.random()
        if r < 0.25:
            free = [i for i in PEOPLE_IDS if i not in people]
            if free:
                doc: dict[str, Any] = {
                    "id": rnd.choice(free),
                    "n": n,
                    "tags": rnd.sample(["a", "b", "c", "d"], rnd.randint(0, 3)),
                    "pad": self.text(50, 800),
                }
                if rnd.random() < 0.5:
                    doc["key"] = f"k{n}"
                return {"do": "insert", "table": PEOPLE, "doc": doc}
        if r < 0.3:
            keyed = [d for d in people.values() if d.get("key")]
            free = [i for i in PEOPLE_IDS if i not in people]
            if keyed and free:  # a key that is taken: a conflict, nothing written
                doc = {"id": rnd.choice(free), "key": rnd.choice(keyed)["key"], "n": n}
                return {"do": "insert", "table": PEOPLE, "doc": doc}
        if r < 0.5 and people:
            id = rnd.choice(sorted(people))
            changes: dict[str, Any] = {"n": n}
            if rnd.random() < 0.5:
                changes["pad"] = self.text(50, 800)
            if rnd.random() < 0.3:
                changes["tags"] = rnd.sample(["a", "b", "c", "d"], rnd.randint(0, 3))
            if rnd.random() < 0.2:
                changes["key"] = f"k{n}"
            expect = None
            if rnd.random() < 0.4:  # compare-and-set, hitting or missing
                expect = {"n": people[id]["n"] if rnd.random() < 0.7 else "stale"}
            return {"do": "update", "table": PEOPLE, "id": id, "changes": changes, "expect": expect}
        if r < 0.6:
            table = rnd.choice(TABLES)
            pool = PEOPLE_IDS if table == PEOPLE else OUTBOX_IDS
            return {"do": "delete", "table": table, "id": rnd.choice(pool)}
        if r < 0.72:
            free = [i for i in OUTBOX_IDS if i not in outbox]
            if free:
                item = {
                    "id": rnd.choice(free),
                    "state": "pending",
                    "due": ts(clock + rnd.randint(-30, 60)),
                    "body": self.text(10, 200),
                    "n": n,
                }
                return {"do": "insert", "table": OUTBOX, "doc": item}
        if r < 0.84:
            return {
                "do": "claim",
                "now": ts(clock),
                "limit": rnd.randint(1, 4),
                "worker": f"w{self.round}",
                "lease_until": ts(clock + rnd.randint(10, 150)),
            }
        if outbox:
            id = rnd.choice(sorted(outbox))
            r = rnd.random()
            if r < 0.2:  # a worker starts sending what it claimed (keeping its lease)
                changes = {"state": "sending"}
                expect = {"state": "claimed"}
            else:  # done, given up, or held back; the guard hits or misses
                if r < 0.6:
                    changes = {"state": rnd.choice(["sent", "failed"])}
                else:
                    changes = {"state": "pending", "due": ts(clock + rnd.randint(0, 40))}
                expect = {"state": rnd.choice(["claimed", "sending", "pending"])}
            return {"do": "update", "table": OUTBOX, "id": id, "changes": changes, "expect": expect}
        return {"do": "delete", "table": PEOPLE, "id": rnd.choice(PEOPLE_IDS)}

    def write(self, state: State, seq: int, clock: int) -> dict[str, Any]:
        """One write call: a single step, an atomic group, or a group that rolls back."""
        r = self.rnd.random()
        kind = "single" if r < 0.6 else "group" if r < 0.9 else "rollback"
        count = 1 if kind == "single" else self.rnd.randint(2, 5)
        staged = state
        steps, effect = [], []
        for _ in range(count):
            step = self.step(staged, seq, clock)
            if kind != "single" and step["do"] == "insert":
                result, _ = simulate(staged, step)
                if isinstance(result, dict) and "conflict" in result:
                    continue  # a conflict would undo the whole group: keep groups whole
            step["result"], changed = simulate(staged, step)
            staged = apply_effect(staged, changed)
            steps.append(step)
            effect += changed
        return {
            "seq": seq,
            "kind": kind,
            "steps": steps,
            "effect": [] if kind == "rollback" else effect,
        }


# -- the loop ----------------------------------------------------------------------


def emit(tag: str, payload: Any) -> None:
    sys.stdout.write(f"{tag} {json.dumps(payload, ensure_ascii=True)}\n")
    sys.stdout.flush()


def perform(store: Store, write: dict[str, Any]) -> None:
    def steps() -> None:
        for step in write["steps"]:
            got = run(store, step)
            if got != step["result"]:
                emit("X", {"seq": write["seq"], "step": step, "got": got})
                os._exit(3)

    if write["kind"] == "single":
        steps()
    elif write["kind"] == "group":
        with store.atomic():
            steps()
    else:
        try:
            with store.atomic():
                steps()
                raise Rollback
        except Rollback:
            pass


def main() -> None:
    directory, seed, round = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(seed)
    store = TinyDBStore(directory, min_compact_bytes=MIN_COMPACT_BYTES)
    state = read_state(store)
    emit("S", digest(state))
    planner = Planner(rnd, round)
    snapshot = directory / SNAPSHOT
    inode = snapshot.stat().st_ino if snapshot.exists() else None
    compactions = 0
    for seq in range(1_000_000):
        clock = 1_000_000 + round * 100_000 + seq * 10
        write = planner.write(state, seq, clock)
        emit("B", write)
        perform(store, copy.deepcopy(write))
        state = apply_effect(state, write["effect"])
        emit("A", seq)
        now = snapshot.stat().st_ino if snapshot.exists() else None
        if now != inode:
            inode = now
            compactions += 1
            emit("C", compactions)


if __name__ == "__main__":
    main()
