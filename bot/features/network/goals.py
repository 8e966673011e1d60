"""Who would be a good match for whom, by goals: an open-to-work member and someone who
already does what they are looking for. Pure: profiles in, preferences out.

Roulette by goals (``/coffee roulette enable … match goals``) uses this as a preference on
top of its own rules; it never overrides consent, avoid lists or "no repeats".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.features.network.profiles import Profile, norm, terms


@dataclass(frozen=True)
class GoalMatch:
    """``helper`` does ``what``, which ``seeker`` is looking for."""

    seeker: str
    helper: str
    what: str


def goal_matches(profiles: Mapping[str, Profile]) -> dict[str, list[GoalMatch]]:
    """For each open-to-work member, the others whose role or field is what they look for.

    A role match comes before a field match; ties keep the profiles' order. Distinct
    roles and fields are indexed once, so a large round costs seekers × distinct values,
    not seekers × members.
    """
    by_value: dict[str, list[tuple[str, int]]] = {}
    for user, p in profiles.items():
        for value, strength in ((p.role, 0), (p.field, 1)):
            if value.strip():
                by_value.setdefault(norm(value), []).append((user, strength))
    out: dict[str, list[GoalMatch]] = {}
    for user, p in profiles.items():
        if not p.open:
            continue
        found: dict[str, tuple[int, str]] = {}
        for term in sorted(terms(p.seeking, p.fields)):
            wanted = norm(term)
            for value, holders in by_value.items():
                if wanted not in value and value not in wanted:
                    continue
                for other, strength in holders:
                    if other != user and (other not in found or strength < found[other][0]):
                        found[other] = (strength, value)
        ranked = sorted(found.items(), key=lambda kv: kv[1][0])
        if ranked:
            out[user] = [GoalMatch(user, other, what) for other, (_, what) in ranked]
    return out
