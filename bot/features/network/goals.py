"""Who would be a good match for whom, by goals: an open-to-work member and someone who
already does what they are looking for. Pure: profiles in, preferences out.

Roulette by goals (``/coffee roulette enable … match goals``) uses this as a preference on
top of its own rules; it never overrides consent, avoid lists or "no repeats".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.features.network.profiles import Profile, norm, terms

CHOICES = 24  # people each seeker could be paired with, best first: plenty after "no repeats"


@dataclass(frozen=True)
class GoalMatch:
    """``helper`` does ``what``, which ``seeker`` is looking for."""

    seeker: str
    helper: str
    what: str


def goal_matches(profiles: Mapping[str, Profile]) -> dict[str, list[GoalMatch]]:
    """For each open-to-work member, up to ``CHOICES`` others whose role or field is what
    they look for (whole words, either way round): role before field, exact before partial.

    Distinct roles and fields are indexed once, so a round costs seekers × distinct values,
    not seekers × members. Each seeker starts where the previous one's choices ended in a
    crowded list, so seekers after the same role don't all queue for the same people.
    """
    holders: dict[tuple[int, str], list[str]] = {}
    for user, p in profiles.items():
        for strength, value in ((0, p.role), (1, p.field)):
            if value.strip():
                holders.setdefault((strength, norm(value)), []).append(user)
    out: dict[str, list[GoalMatch]] = {}
    turns: dict[tuple[int, str], int] = {}  # seekers who have looked in each list so far
    for user, p in profiles.items():
        if not p.open:
            continue
        wanted = [norm(term) for term in sorted(terms(p.seeking, p.fields))]
        hits = sorted(
            (key[0], key[1] not in wanted, key)
            for key in holders
            if any(_within(w, key[1]) or _within(key[1], w) for w in wanted)
        )
        chosen: dict[str, GoalMatch] = {}
        for _, _, key in hits:
            people = holders[key]
            start = (turns.get(key, 0) * CHOICES) % len(people)
            turns[key] = turns.get(key, 0) + 1
            for other in people[start:] + people[:start]:
                if other != user and other not in chosen:
                    chosen[other] = GoalMatch(user, other, key[1])
                    if len(chosen) >= CHOICES:
                        break
            if len(chosen) >= CHOICES:
                break
        if chosen:
            out[user] = list(chosen.values())
    return out


def _within(part: str, whole: str) -> bool:
    """Whole words: "engineer" is within "data engineer", "role 1" is not within "role 19"."""
    return f" {part} " in f" {whole} "
