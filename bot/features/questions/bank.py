"""The question bank: open-ended coffee-chat questions by category, served without repeats.

The questions live in ``questions.yaml`` next to this module (content, not code).
Each person has their own list of question ids already shown, so ``/questions`` and
the pre-chat reminder keep offering fresh ones until the pool is used up, and then
start over. The order is fixed per person (a rotation of an interleaved list), so
tests and transcripts are reproducible without a random seed.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.io import Community
from store import Store

SERVED = "questions_served"
BANK_FILE = Path(__file__).with_name("questions.yaml")


@dataclass(frozen=True)
class Question:
    id: str
    category: str
    text: str


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    aliases: tuple[str, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Bank:
    categories: dict[str, Category]
    icebreakers: tuple[str, ...]

    def all(self) -> tuple[Question, ...]:
        """Every question, interleaved across categories (work, challenges, … then again)."""
        columns = [c.questions for c in self.categories.values()]
        out: list[Question] = []
        for i in range(max(len(c) for c in columns)):
            out.extend(col[i] for col in columns if i < len(col))
        return tuple(out)

    def find(self, word: str) -> Category | None:
        """A category by its key, title or one of its aliases (case-insensitive)."""
        w = word.strip().lower()
        for cat in self.categories.values():
            if w in (cat.key, cat.title.lower(), *cat.aliases):
                return cat
        return None


@cache
def bank() -> Bank:
    data = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
    categories: dict[str, Category] = {}
    for key, cat in data["categories"].items():
        questions = tuple(Question(qid, key, text) for qid, text in cat["questions"].items())
        categories[key] = Category(
            key, cat["title"], tuple(a.lower() for a in cat.get("aliases", ())), questions
        )
    return Bank(categories, tuple(data.get("icebreakers", ())))


def serve(
    store: Store,
    community: Community,
    user: str,
    *,
    category: Category | None = None,
    n: int = 3,
) -> tuple[list[Question], bool]:
    """``n`` questions this person hasn't been shown yet, and whether the pool started over."""
    pool = category.questions if category else bank().all()
    shift = zlib.crc32(user.encode()) % len(pool)
    pool = pool[shift:] + pool[:shift]
    key = f"{community.key}|{user}"
    doc = store.find_one(SERVED, {"key": key})
    served = set(doc["served"]) if doc else set()
    fresh = [q for q in pool if q.id not in served]
    picked = fresh[:n]
    restarted = False
    if len(picked) < n:
        # Used up: forget this pool's ids and carry on from the top.
        restarted = True
        served -= {q.id for q in pool}
        taken = {q.id for q in picked}
        picked += [q for q in pool if q.id not in taken][: n - len(picked)]
    served |= {q.id for q in picked}
    record = {"served": sorted(served)}
    if doc is None:
        store.insert(SERVED, {"key": key, "community": community.key, "user": user, **record})
    else:
        store.update(SERVED, doc["id"], record)
    return picked, restarted
