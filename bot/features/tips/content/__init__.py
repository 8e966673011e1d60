"""The content library: tips and encouragement as YAML data files in the package.

Content is data, not code, so it can be edited (and reviewed) without touching the
bot. Items are loaded once and cached; each has a stable ``id`` that admins use to
hide one (``/tips remove coffee-03``) and that the rotation remembers.

Most items speak to job seekers in any field. An item that only makes sense for one
audience carries ``tags`` (today only ``developers``: repos, stacks, databases). Tagged
items **stay in the library and the default rotation** — many rapport communities are
developer communities, and an admin hides single items by id already. A community for
other fields leaves them out in one go with ``ids_tagged("developers")`` (the ids to add
to its hidden list) or ``without_tags(items, {"developers"})``.
"""

from __future__ import annotations

from collections.abc import Iterable
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
# Tag → who the tagged items are for. An unknown tag in a data file fails loudly.
TAGS: dict[str, str] = {
    "developers": "Software developers",
}


@dataclass(frozen=True)
class Item:
    id: str
    category: str
    text: str
    tags: tuple[str, ...] = ()

    @property
    def is_encouragement(self) -> bool:
        return self.category == "encouragement"


def load_file(name: str) -> tuple[Item, ...]:
    """One data file as items; a malformed file fails loudly at start, not mid-post."""
    raw = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(raw) or []
    items = []
    for entry in data:
        tags = entry.get("tags") or ()
        if isinstance(tags, str):
            tags = (tags,)
        item = Item(
            str(entry["id"]),
            str(entry["category"]),
            " ".join(str(entry["text"]).split()),
            tuple(str(t).lower() for t in tags),
        )
        if item.category not in CATEGORIES:
            raise ValueError(f"{name}: {item.id} has unknown category {item.category!r}")
        unknown = [t for t in item.tags if t not in TAGS]
        if unknown:
            raise ValueError(f"{name}: {item.id} has unknown tag {unknown[0]!r}")
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


def without_tags(items: Iterable[Item], tags: Iterable[str]) -> tuple[Item, ...]:
    """The items that carry none of ``tags``: ``without_tags(tips(), {"developers"})``."""
    leave_out = {t.lower() for t in tags}
    return tuple(i for i in items if not leave_out.intersection(i.tags))


def ids_tagged(tag: str) -> tuple[str, ...]:
    """Ids of the library items with this tag, e.g. to hide them all in one community."""
    return tuple(i.id for i in library() if tag.lower() in i.tags)


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
