"""Planning one coffee-roulette round: who meets whom. Pure: no store, no clock.

Rules, strongest first:

1. The avoid list is absolute: two people where one asked not to meet the other are
   never in one group, even if that leaves someone out this round.
2. Nobody is grouped with someone they were grouped with before (``recent``), unless
   there is no other way to include them; when some must meet again, those who met
   longest ago do (``recent`` may say when each pair last met). So while any two
   people who never met are left, no earlier round comes back whole: one pair of them
   in it already means fewer repeats than an earlier round has.
3. People in overlapping time zones are preferred.
4. An odd person out joins a group (a trio when groups are pairs) rather than sitting
   the round out.
5. With goals (``prefer``: a member -> who they would most like to meet, best first), each
   such member is first paired with the best of those who is new to them and allowed;
   the rest is planned as usual. Goals never break rules 1 and 2.

How: shuffle with a fixed seed, then sort by UTC offset (stable, so people in the same
zone stay shuffled). Walking that list, each person takes the best partner among the
next few unmatched people (no repeat, then nearest zone); only if none of those is new
to them does the search run further down the list. People left over pair up, join a
group, or take someone's place who can join another; then a repair pass swaps members
between nearby groups to remove repeats the walk could not avoid at the end of the
list. About O(n · window): 10,000 people plan in well under a second
(``bench/bench_roulette.py``). Very small rounds are solved exactly instead.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

WINDOW = 12  # unmatched people looked at before searching further for someone new
REPAIR_REACH = 60  # groups either side of a repeat tried for a swap
SMALL = 400  # up to this many people, several greedy tries are cheap
TRIES = 24
EXACT = 12  # up to this many people, every arrangement is tried (≈0.1 s at most)

Neighbours = dict[str, set[str]]
Last = dict[tuple[str, str], int]  # a pair -> when it last met (a round number: higher is later)
_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Person:
    id: str
    offset: float = 0.0  # hours from UTC at the round's start


@dataclass
class Plan:
    groups: list[tuple[str, ...]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    repeats: int = 0  # pairs inside groups that were grouped in the recent rounds
    recency: int = 0  # the sum of when those pairs last met: lower means longer ago
    goals: list[tuple[str, str]] = field(default_factory=list)  # (member, who they wanted)


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def pairs_of(group: Sequence[str]) -> Iterable[tuple[str, str]]:
    for i, a in enumerate(group):
        for b in group[i + 1 :]:
            yield pair(a, b)


def tz_distance(a: float, b: float) -> float:
    """Hours between two UTC offsets, around the clock (+12 and -11 are 1 hour apart)."""
    d = abs(a - b) % 24
    return min(d, 24 - d)


def _neighbours(pairs: Iterable[tuple[str, str]]) -> Neighbours:
    out: Neighbours = {}
    for a, b in pairs:
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


def plan_round(
    people: Sequence[Person],
    *,
    size: int = 2,
    recent: Iterable[tuple[str, str]] | Mapping[tuple[str, str], int] = (),
    avoid: Iterable[tuple[str, str]] = (),
    seed: int = 0,
    window: int = WINDOW,
    prefer: Mapping[str, Sequence[str]] | None = None,
) -> Plan:
    """Groups of ``size`` (an odd one out makes one group bigger) for one round.

    ``recent``: pairs who met before; as a mapping, each with when it last met (a round
    number, higher is later), so repeats fall on those who met longest ago.

    Small communities get several walks with seeds derived from ``seed`` and keep the
    best (fewest left out, then fewest repeats, then the longest ago, then closest
    zones); the smallest are solved exactly. Same input and seed, same plan.
    """
    if size < 2:
        raise ValueError("groups need at least two people")
    if isinstance(recent, Mapping):
        last: Last = {pair(*p): int(w) for p, w in recent.items()}
    else:
        last = {pair(*p): 1 for p in recent}
    met = _neighbours(last)
    banned = _neighbours(avoid)
    offsets = {p.id: p.offset for p in people}
    tries = 1 if len(people) > SMALL else TRIES
    wants = {k: list(v) for k, v in (prefer or {}).items() if k in offsets}
    best: tuple[tuple[int, int, int, int, float], Plan] | None = None
    for attempt in range(tries):
        plan = _walk(people, size, met, last, banned, seed * 1_000_003 + attempt, window, wants)
        score = _score(plan, offsets)
        if best is None or score < best[0]:
            best = (score, plan)
        if score[:2] == (0, 0) and attempt >= 1:
            break
    assert best is not None
    if len(people) <= EXACT and best[0][:2] != (0, 0):
        exact = _exact(people, size, met, last, banned, seed)
        if exact is not None:
            exact.goals = _goals_kept(exact.groups, wants)
            if _score(exact, offsets) < best[0]:
                return exact
    return best[1]


def _score(plan: Plan, offsets: dict[str, float]) -> tuple[int, int, int, int, float]:
    spread = sum(tz_distance(offsets[a], offsets[b]) for g in plan.groups for a, b in pairs_of(g))
    return len(plan.unmatched), plan.repeats, plan.recency, -len(plan.goals), spread


def _goals_kept(
    groups: Sequence[Sequence[str]], wants: Mapping[str, Sequence[str]]
) -> list[tuple[str, str]]:
    """Each member with goals, and the best of those they wanted who is in their group."""
    kept: list[tuple[str, str]] = []
    for g in groups:
        for member in g:
            hit = next((w for w in wants.get(member, ()) if w in g and w != member), None)
            if hit is not None:
                kept.append((member, hit))
    return kept


def _repeats(group: Sequence[str], met: Neighbours) -> int:
    return sum(1 for a, b in pairs_of(group) if b in met.get(a, _NONE))


def _recency(group: Sequence[str], last: Last) -> int:
    """When the group's pairs who met before last met, summed (0: nobody met before)."""
    return sum(last.get(p, 0) for p in pairs_of(group))


def _cost(group: Sequence[str], met: Neighbours, last: Last) -> tuple[int, int]:
    return _repeats(group, met), _recency(group, last)


def _allowed(group: Sequence[str], banned: Neighbours) -> bool:
    return not any(b in banned.get(a, _NONE) for a, b in pairs_of(group))


def _walk(
    people: Sequence[Person],
    size: int,
    met: Neighbours,
    last: Last,
    banned: Neighbours,
    seed: int,
    window: int,
    wants: Mapping[str, Sequence[str]] | None = None,
) -> Plan:
    """Goal pairs first, then one greedy walk down the zone-sorted list, then leftovers
    and repairs."""
    order = list(people)
    random.Random(seed).shuffle(order)
    order.sort(key=lambda p: p.offset)
    ids = [p.id for p in order]
    offs = [p.offset for p in order]
    n = len(ids)

    # Unmatched people as a linked list over list positions; n is the end marker.
    nxt = [*range(1, n + 1), n]
    prv = [-1, *range(n)]
    head = [0 if n else n]

    def remove(i: int) -> None:
        p, q = prv[i], nxt[i]
        if p >= 0:
            nxt[p] = q
        else:
            head[0] = q
        if q < n:
            prv[q] = p

    def cost(c: int, group: list[int]) -> tuple[int, int, float] | None:
        cid = ids[c]
        bad = banned.get(cid, _NONE)
        seen = met.get(cid, _NONE)
        repeats = 0
        when = 0
        worst = 0.0
        for g in group:
            gid = ids[g]
            if gid in bad:
                return None
            if gid in seen:
                repeats += 1
                when += last.get(pair(cid, gid), 0)
            worst = max(worst, tz_distance(offs[c], offs[g]))
        # Whole hours: within the hour counts as equal.
        return repeats, when, float(int(worst))

    def choose(group: list[int]) -> int | None:
        best: tuple[tuple[int, int, float], int] | None = None
        c = head[0]
        looked = 0
        while c < n and looked < window:
            k = cost(c, group)
            if k == (0, 0, 0.0):
                return c  # new to them and in the same hour: nobody nearer can beat that
            if k is not None and (best is None or k < best[0]):
                best = (k, c)
            looked += 1
            c = nxt[c]
        if best is not None and best[0][0] == 0:
            return best[1]
        # Nobody new nearby: look further down the list for someone new, else for the
        # one they met longest ago.
        fallback = best
        while c < n:
            k = cost(c, group)
            if k is not None:
                if k[0] == 0:
                    return c
                if fallback is None or k[:2] < fallback[0][:2]:
                    fallback = (k, c)
            c = nxt[c]
        return fallback[1] if fallback is not None else None

    groups: list[list[str]] = []
    singles: list[str] = []
    if wants:
        at = {pid: i for i, pid in enumerate(ids)}
        taken: set[int] = set()
        # Those with the fewest choices pick first, so a popular helper goes where needed.
        for member in sorted(wants, key=lambda m: (len(wants[m]), at[m])):
            i = at[member]
            if i in taken:
                continue
            for other in wants[member]:
                j = at.get(other)
                if j is None or j in taken or j == i or cost(j, [i]) is None:
                    continue
                if other in met.get(member, _NONE):
                    continue
                taken.update((i, j))
                remove(i)
                remove(j)
                group = [i, j]
                while len(group) < size:
                    c = choose(group)
                    if c is None:
                        break
                    taken.add(c)
                    remove(c)
                    group.append(c)
                groups.append([ids[k] for k in group])
                break
    while head[0] < n:
        first = head[0]
        remove(first)
        group = [first]
        while len(group) < size:
            c = choose(group)
            if c is None:
                break
            remove(c)
            group.append(c)
        if len(group) > 1:
            groups.append([ids[i] for i in group])
        else:
            singles.append(ids[first])

    offsets = dict(zip(ids, offs, strict=True))
    unmatched = _place_singles(singles, groups, size, offsets, met, last, banned)
    _repair(groups, met, last, banned)
    repeats = sum(_repeats(g, met) for g in groups)
    return Plan(
        [tuple(g) for g in groups],
        unmatched,
        repeats,
        sum(_recency(g, last) for g in groups),
        _goals_kept(groups, wants or {}),
    )


def _place_singles(
    singles: list[str],
    groups: list[list[str]],
    size: int,
    offsets: dict[str, float],
    met: Neighbours,
    last: Last,
    banned: Neighbours,
) -> list[str]:
    """Leftovers pair up, join the best group, or swap in for someone who can move."""
    left = list(singles)
    unmatched: list[str] = []
    while left:
        s = left.pop(0)
        mate = next(
            (t for t in left if t not in banned.get(s, _NONE) and t not in met.get(s, _NONE)),
            None,
        )
        if mate is not None:
            left.remove(mate)
            groups.append([s, mate])
            continue
        target = _best_group(s, groups, size, offsets, met, last, banned)
        if target is not None:
            groups[target].append(s)
            continue
        if _eject(s, groups, size, offsets, met, last, banned):
            continue
        allowed = [t for t in left if t not in banned.get(s, _NONE)]
        mate = min(allowed, key=lambda t: last.get(pair(s, t), 0), default=None)
        if mate is not None:  # only a repeat is left (the longest ago): better than sitting out
            left.remove(mate)
            groups.append([s, mate])
            continue
        unmatched.append(s)
    return unmatched


def _best_group(
    s: str,
    groups: list[list[str]],
    size: int,
    offsets: dict[str, float],
    met: Neighbours,
    last: Last,
    banned: Neighbours,
    skip: int = -1,
) -> int | None:
    """The group someone left over should join: allowed, fewest repeats (the longest
    ago), nearest zone."""
    bad = banned.get(s, _NONE)
    seen = met.get(s, _NONE)
    best: tuple[tuple[int, int, int, float], int] | None = None
    for gi in range(len(groups) - 1, -1, -1):  # the list's end is nearest in zone
        g = groups[gi]
        if gi == skip or any(m in bad for m in g):
            continue
        repeats = sum(1 for m in g if m in seen)
        when = sum(last.get(pair(s, m), 0) for m in g)
        spread = max(tz_distance(offsets[s], offsets[m]) for m in g)
        k = (int(len(g) > size), repeats, when, float(int(spread)))
        if best is None or k < best[0]:
            best = (k, gi)
            if k == (0, 0, 0, 0.0):
                break
    return best[1] if best is not None else None


def _eject(
    s: str,
    groups: list[list[str]],
    size: int,
    offsets: dict[str, float],
    met: Neighbours,
    last: Last,
    banned: Neighbours,
) -> bool:
    """Put ``s`` in someone's place when that someone can join another group."""
    for gi in range(len(groups) - 1, -1, -1):
        g = groups[gi]
        for x in range(len(g)):
            swapped = [*g[:x], s, *g[x + 1 :]]
            if not _allowed(swapped, banned):
                continue
            target = _best_group(g[x], groups, size, offsets, met, last, banned, skip=gi)
            if target is not None:
                moved = g[x]
                groups[gi] = swapped
                groups[target].append(moved)
                return True
    return False


def _repair(groups: list[list[str]], met: Neighbours, last: Last, banned: Neighbours) -> None:
    """Swap people between nearby groups while that removes repeats, or moves them to
    pairs who met longer ago (never breaks avoid)."""
    for _ in range(3):
        improved = False
        for gi in range(len(groups)):
            if _repeats(groups[gi], met) == 0:
                continue
            lo, hi = max(0, gi - REPAIR_REACH), min(len(groups), gi + REPAIR_REACH + 1)
            for hj in range(lo, hi):
                if hj != gi and _swap(groups, gi, hj, met, last, banned):
                    improved = True
                    if _repeats(groups[gi], met) == 0:
                        break
        if not improved:
            return


def _swap(
    groups: list[list[str]], gi: int, hj: int, met: Neighbours, last: Last, banned: Neighbours
) -> bool:
    """Exchange one member of group ``gi`` with one of ``hj`` if that means fewer repeats
    (or as many, between people who met longer ago)."""
    g, h = groups[gi], groups[hj]
    before = _plus(_cost(g, met, last), _cost(h, met, last))
    for x in range(len(g)):
        for y in range(len(h)):
            g2 = [*g[:x], h[y], *g[x + 1 :]]
            h2 = [*h[:y], g[x], *h[y + 1 :]]
            if (
                _plus(_cost(g2, met, last), _cost(h2, met, last)) < before
                and _allowed(g2, banned)
                and _allowed(h2, banned)
            ):
                groups[gi], groups[hj] = g2, h2
                return True
    return False


def _plus(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def _shape(n: int, size: int) -> list[int]:
    """Group sizes for ``n`` people: as many of ``size`` as fit, the rest spread sensibly."""
    q, rem = divmod(n, size)
    if q == 0:
        return [n] if n >= 2 else []
    if rem == 0:
        return [size] * q
    if rem == 1:
        return [size] * (q - 1) + [size + 1]
    return [size] * q + [rem]


def _exact(
    people: Sequence[Person],
    size: int,
    met: Neighbours,
    last: Last,
    banned: Neighbours,
    seed: int,
) -> Plan | None:
    """Every way to split a handful of people into the round's group sizes; the best one."""
    order = sorted(people, key=lambda p: p.id)
    random.Random(seed).shuffle(order)
    ids = [p.id for p in order]
    offsets = {p.id: p.offset for p in order}
    shape = sorted(_shape(len(ids), size), reverse=True)
    best: list[tuple[tuple[int, int, float], list[list[str]]]] = []

    def search(
        rest: list[str], sizes: list[int], groups: list[list[str]], cost: tuple[int, int]
    ) -> None:
        if best and cost > best[0][0][:2]:
            return
        if not rest:
            spread = sum(
                tz_distance(offsets[a], offsets[b]) for g in groups for a, b in pairs_of(g)
            )
            score = (*cost, spread)
            if not best or score < best[0][0]:
                best[:] = [(score, [list(g) for g in groups])]
            return
        first, others = rest[0], rest[1:]
        for k in sorted(set(sizes), reverse=True):
            remaining = list(sizes)
            remaining.remove(k)
            for mates in combinations(others, k - 1):
                group = [first, *mates]
                if not _allowed(group, banned):
                    continue
                left = [p for p in others if p not in mates]
                search(left, remaining, [*groups, group], _plus(cost, _cost(group, met, last)))

    search(ids, shape, [], (0, 0))
    if not best:
        return None
    (repeats, recency, _), groups = best[0]
    return Plan([tuple(g) for g in groups], [], repeats, recency)
