"""The content library: tips and encouragement as YAML data files in the package.

Content is data, not code, so it can be edited (and reviewed) without touching the
bot. Items are loaded once and cached; each has a stable ``id`` that admins use to
hide one (``/tips remove coffee-03``) and that the rotation remembers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

# Category id → how it is shown to people.
CATEGORIES: dict[str, str] = {
    "coffee_chats": "Coffee chats",
    "questions": "Asking great questions",
    "outreach": "Outreach",
    "relationships": "Building relationships",
    "job_search": "The job search",
    "encouragement": "Encouragement",
}
TIP_CATEGORIES = tuple(c for c in CATEGORIES if c != "encouragement")
# The one word people type for a category (``/tips coffee``, ``/tips list search``).
TOPIC_WORDS: dict[str, str] = {
    "coffee_chats": "coffee",
    "questions": "questions",
    "outreach": "outreach",
    "relationships": "relationships",
    "job_search": "search",
    "encouragement": "encouragement",
}
FILES = ("tips.yaml", "encouragement.yaml")


@dataclass(frozen=True)
class Item:
    id: str
    category: str
    text: str

    @property
    def is_encouragement(self) -> bool:
        return self.category == "encouragement"


def load_file(name: str) -> tuple[Item, ...]:
    """One data file as items; a malformed file fails loudly at start, not mid-post."""
    raw = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(raw) or []
    items = []
    for entry in data:
        item = Item(str(entry["id"]), str(entry["category"]), " ".join(str(entry["text"]).split()))
        if item.category not in CATEGORIES:
            raise ValueError(f"{name}: {item.id} has unknown category {item.category!r}")
        items.append(item)
    return tuple(items)


@cache
def library() -> tuple[Item, ...]:
    """Every tip and line of encouragement, in file order."""
    items = tuple(i for name in FILES for i in load_file(name))
    ids = [i.id for i in items]
    if len(ids) != len(set(ids)):
        raise ValueError("content ids must be unique")
    return items


def tips() -> tuple[Item, ...]:
    return tuple(i for i in library() if not i.is_encouragement)


def encouragement() -> tuple[Item, ...]:
    return tuple(i for i in library() if i.is_encouragement)


def by_id(item_id: str) -> Item | None:
    return _index().get(item_id.lower())


@cache
def _index() -> dict[str, Item]:
    return {i.id: i for i in library()}


def category_named(word: str) -> str | None:
    """The category a member meant: ``coffee``, ``questions``, ``job search``…"""
    w = word.lower().strip().replace(" ", "_").replace("-", "_")
    for cat, label in CATEGORIES.items():
        if w in (cat, label.lower().replace(" ", "_")) or (len(w) >= 3 and cat.startswith(w)):
            return cat
    aliases = {word: cat for cat, word in TOPIC_WORDS.items()}
    aliases.update({"jobs": "job_search", "job": "job_search", "encourage": "encouragement"})
    return aliases.get(w)
