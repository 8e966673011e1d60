"""The soak's invariants, judged on the world after it lived (and on its report).

``problems(world)`` returns every broken invariant as a sentence; ``figures(world)``
the numbers the long form prints.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from bot.clock import iso
from store.base import OUTBOX
from tests.soak.platform import moment
from tests.soak.world import World

DONE = ("sent", "done", "failed", "cancelled")


def problems(world: World) -> list[str]:
    found: list[str] = []
    report = world.report
    platform = world.platform
    found += [f"delivered twice: {k}" for k in platform.duplicates]
    found += [f"a handler crashed: {c}" for c in report.crashes]
    found += [f"a typed ping survived rendering: {r}" for r in report.render]
    found += report.nudge_problems
    found += report.privacy_problems
    found += undelivered(world)
    found += logical_duplicates(world)
    found += memory(world)
    return found


def undelivered(world: World) -> list[str]:
    """Everything due was handled, or waits for a documented reason."""
    now = iso(world.clock.now())
    found: list[str] = []
    accepted = world.platform.accepted
    for item in world.store.find(OUTBOX):
        state, key = item.get("state"), item["key"]
        if state in ("claimed", "sending"):
            found.append(f"left {state} after the drain: {key}")
        elif state == "pending" and item["due"] <= now:
            found.append(f"due and not handled: {key} (due {item['due']})")
        elif state == "failed" and not item.get("last_error"):
            found.append(f"failed without a reason: {key}")
        elif state == "failed" and item.get("kind") == "event":
            found.append(f"a scheduled event crashed: {key}: {item.get('last_error')}")
        elif state == "sent" and key not in accepted:
            found.append(f"marked sent but the platform never got it: {key}")
        elif state not in (*DONE, "pending"):
            found.append(f"unknown state {state}: {key}")
    by_key = {i["key"]: i for i in world.store.find(OUTBOX, {"kind": "deliver"})}
    for key in accepted:
        item = by_key.get(key)
        if item is not None and item.get("state") != "sent":
            found.append(f"the platform got {key} but it is {item.get('state')}")
    return found


def logical_duplicates(world: World) -> list[str]:
    """The same message to the same people twice within an hour, under different keys."""
    seen: dict[str, Any] = {}
    found = []
    for record in sorted(world.platform.accepted.values(), key=lambda r: r.at):
        if not record.at:
            continue
        sig = record.sig
        at = moment(record)
        if sig in seen and at - seen[sig][0] < timedelta(hours=1) and seen[sig][1] != record.key:
            found.append(f"the same message twice: {seen[sig][1]} and {record.key}")
        seen[sig] = (at, record.key)
    return found


def memory(world: World) -> list[str]:
    """Memory levels off: nothing leaks, and once finished outbox items start being
    forgotten the live heap grows only with what members keep (their history).

    Python's live block count (``sys.getallocatedblocks``) is exact and cheap; RSS is
    only reported, since the allocator keeps freed arenas and compaction peaks.
    """
    samples = world.report.memory
    if len(samples) < 7:
        return []
    third = (len(samples) - 2) // 3
    first, last = samples[1 : 2 + third], samples[-1 - third :]
    grew_first = first[-1].blocks - first[0].blocks
    grew_last = last[-1].blocks - last[0].blocks
    per_record = grew_first / max(1, first[-1].records - first[0].records)
    explained = 1.5 * per_record * max(0, last[-1].records - last[0].records)
    slack = 20_000 + 20 * world.plan.members
    found = []
    if grew_last > explained + slack:
        found.append(
            f"live objects grew by {grew_last} in the last third, more than its "
            f"{last[-1].records - last[0].records} new records explain ({explained:.0f})"
        )
    if world.plan.days >= 2 * world.plan.keep.days and grew_last > 0.6 * grew_first + slack:
        found.append(
            f"memory isn't levelling off: +{grew_last} live objects in the last third "
            f"against +{grew_first} in the first"
        )
    return found


def figures(world: World) -> dict[str, Any]:
    report = world.report
    states = Counter(i.get("state") for i in world.store.find(OUTBOX))
    reasons = Counter(
        str(i.get("last_error")).split(":")[0]
        for i in world.store.find(OUTBOX, {"state": "failed"})
    )
    peak = max((max(s.rss, s.heap) for s in report.memory), default=0.0)
    return {
        "members": world.plan.members,
        "days": world.plan.days,
        "commands": report.commands,
        "presses": report.presses,
        "deliveries": len(world.platform.accepted),
        "nudges delivered": report.nudges,
        "nudges a platform retry pushed into quiet hours": len(report.retry_crossings),
        "answers": dict(world.platform.answers),
        "outbox states": dict(states),
        "failures by reason": dict(reasons),
        "kills survived": dict(report.kills),
        "members who erased their data": len(report.deletions),
        "restarts": report.boots - 1,
        "child runs that finished before the kill": report.child_finished_first,
        "re-offers absorbed (maybe_sent)": world.platform.absorbed,
        "peak memory MB": round(peak, 1),
        "memory by day": [
            (s.day, round(s.rss), round(s.blocks / 1000), s.records) for s in report.memory
        ],
        "records at the end": report.tables[-1] if report.tables else {},
        "seconds": round(report.seconds, 1),
    }
