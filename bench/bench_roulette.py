"""Coffee-roulette planning at scale: one round for 10,000 members after 20 rounds,
then the same round by goals (a fifth of members open to work, each looking for one of
40 roles that others hold; preferences from ``network.goals``, as the bot builds them).

The history is made by the planner itself (20 rounds, fixed seeds); the avoid lists
cover 1% of members; zones are drawn from a realistic spread. Repeats are checked
against the last 6 rounds, as in the bot. Targets: planning a round ≤ 1 s, and no
repeat pairs (there is plenty of room to avoid them at this size).
"""

from __future__ import annotations

import random
import time
from collections import deque

from bot.features.coffee.matching import Person, pair, pairs_of, plan_round, tz_distance
from bot.features.network.goals import goal_matches
from bot.features.network.profiles import Profile

MEMBERS = 10_000
HISTORY = 20
RECENT = 6
SEED = 20261201
TARGET_SECONDS = 1.0
# UTC offsets (hours) and how common each is in a made-up global community.
ZONES = (
    (-8, 12),
    (-5, 18),
    (-3, 5),
    (0, 14),
    (1, 20),
    (2, 6),
    (3, 3),
    (5.5, 10),
    (8, 7),
    (9, 3),
    (10, 2),
)


def community(n: int, seed: int) -> tuple[list[Person], set[tuple[str, str]]]:
    rng = random.Random(seed)
    offsets = [o for o, w in ZONES for _ in range(w)]
    people = [Person(f"U{i:05d}", rng.choice(offsets)) for i in range(n)]
    avoid = set()
    for _ in range(n // 100):
        a, b = rng.sample(people, 2)
        avoid.add(pair(a.id, b.id))
    return people, avoid


def main() -> None:
    people, avoid = community(MEMBERS, SEED)
    rounds: deque[list[tuple[str, ...]]] = deque(maxlen=RECENT)
    started = time.perf_counter()
    for no in range(HISTORY):
        recent = {p for groups in rounds for g in groups for p in pairs_of(g)}
        rounds.append(plan_round(people, recent=recent, avoid=avoid, seed=SEED + no).groups)
    history_s = time.perf_counter() - started

    recent = {p for groups in rounds for g in groups for p in pairs_of(g)}
    timings = []
    for attempt in range(3):
        t0 = time.perf_counter()
        plan = plan_round(people, recent=recent, avoid=avoid, seed=SEED + HISTORY + attempt)
        timings.append(time.perf_counter() - t0)
        if attempt == 0:
            first = plan
    plan = first
    offsets = {p.id: p.offset for p in people}
    all_pairs = [p for g in plan.groups for p in pairs_of(g)]
    repeats = sum(1 for p in all_pairs if p in recent)
    broken = sum(1 for p in all_pairs if p in avoid)
    spread = sum(tz_distance(offsets[a], offsets[b]) for a, b in all_pairs) / len(all_pairs)
    same_zone = sum(1 for a, b in all_pairs if offsets[a] == offsets[b]) / len(all_pairs)
    placed = sum(len(g) for g in plan.groups)
    best = min(timings)
    trios = sum(len(g) == 3 for g in plan.groups)
    target_ms = TARGET_SECONDS * 1000
    rows = [
        ("members", f"{MEMBERS:,}"),
        ("history", f"{HISTORY} rounds (built in {history_s:.1f} s)"),
        ("recent pairs considered", f"{len(recent):,} (last {RECENT} rounds)"),
        ("avoid pairs", f"{len(avoid):,}"),
        ("plan one round", f"{best * 1000:.0f} ms (best of 3; target ≤ {target_ms:.0f} ms)"),
        ("groups", f"{len(plan.groups):,} ({trios} trios)"),
        ("placed / left out", f"{placed:,} / {len(plan.unmatched)}"),
        (
            "repeat pairs",
            f"{repeats / len(all_pairs):.2%} ({repeats} of {len(all_pairs):,}; target 0)",
        ),
        ("avoid-list violations", f"{broken}"),
        ("mean zone gap in a group", f"{spread:.2f} h ({same_zone:.0%} of pairs share a zone)"),
    ]
    goals = _goals_round(people, recent, avoid)
    rows.extend(goals[0])
    ok = best <= TARGET_SECONDS and repeats == 0 and broken == 0 and goals[1]
    rows.append(("targets", "met" if ok else "MISSED"))
    for label, value in rows:
        print(f"{label:<28}{value}")


def _goals_round(
    people: list[Person], recent: set[tuple[str, str]], avoid: set[tuple[str, str]]
) -> tuple[list[tuple[str, str]], bool]:
    rng = random.Random(SEED + 1)
    roles = [f"role {i}" for i in range(40)]
    profiles = {
        p.id: (
            Profile(p.id, open=True, seeking=rng.choice(roles))
            if rng.random() < 0.2
            else Profile(p.id, role=rng.choice(roles))
        )
        for p in people
    }
    t0 = time.perf_counter()
    wanted = goal_matches(profiles)
    prefer = {u: [m.helper for m in ms] for u, ms in wanted.items()}
    prefs_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan = plan_round(people, recent=recent, avoid=avoid, seed=SEED, prefer=prefer)
    plan_s = time.perf_counter() - t0
    pairs = [p for g in plan.groups for p in pairs_of(g)]
    repeats = sum(1 for p in pairs if p in recent)
    broken = sum(1 for p in pairs if p in avoid)
    rows = [
        ("by goals: seekers", f"{len(wanted):,} open to work"),
        ("by goals: preferences", f"{prefs_s * 1000:.0f} ms"),
        ("by goals: plan one round", f"{plan_s * 1000:.0f} ms (target ≤ 1000 ms)"),
        ("by goals: seekers matched", f"{len(plan.goals):,} of {len(wanted):,}"),
        ("by goals: repeats / avoid", f"{repeats} / {broken} (target 0 / 0)"),
    ]
    return rows, prefs_s + plan_s <= TARGET_SECONDS and repeats == 0 and broken == 0


if __name__ == "__main__":
    main()
