"""Which tip a channel gets next: every item once, in a shuffled order, then a new cycle.

The order of a cycle is a shuffle seeded by (community, channel, cycle number), so it
is the same in every process and every test run, and a channel never sees an item
twice before it has seen them all. Items added mid-cycle join the current cycle;
hidden or removed ones simply stop being picked.
"""

from __future__ import annotations

import random
from datetime import datetime

from bot.clock import iso
from bot.features.tips import content
from bot.features.tips.content import Item
from bot.io import Community
from store import Store
from store.base import new_id

CUSTOM = "tips_custom"
ROTATION = "tips_rotation"
CUSTOM_CATEGORY = "community"
CUSTOM_PREFIX = "c-"


def custom_tips(store: Store, community: Community) -> list[Item]:
    """Tips this community's admins added, oldest first."""
    docs = store.find(CUSTOM, {"community": community.key}, order_by="at")
    return [Item(d["tip_id"], CUSTOM_CATEGORY, d["text"]) for d in docs]


def add_custom(store: Store, community: Community, text: str, by: str, at: datetime) -> Item:
    tip_id = CUSTOM_PREFIX + new_id(4)
    while store.find_one(CUSTOM, {"key": f"{community.key}|{tip_id}"}):
        tip_id = CUSTOM_PREFIX + new_id(4)
    store.insert(
        CUSTOM,
        {
            "key": f"{community.key}|{tip_id}",
            "community": community.key,
            "tip_id": tip_id,
            "text": text,
            "by": by,
            "at": iso(at),
        },
    )
    return Item(tip_id, CUSTOM_CATEGORY, text)


def remove_custom(store: Store, community: Community, tip_id: str) -> bool:
    doc = store.find_one(CUSTOM, {"key": f"{community.key}|{tip_id.lower()}"})
    return bool(doc) and store.delete(CUSTOM, doc["id"])


def pool(store: Store, community: Community, hidden: tuple[str, ...] = ()) -> list[Item]:
    """Everything a channel of this community may be shown."""
    shown = [i for i in content.library() if i.id not in hidden]
    return shown + custom_tips(store, community)


def cycle_order(community: Community, channel: str, cycle: int, ids: list[str]) -> list[str]:
    order = sorted(ids)
    random.Random(f"{community.key}|{channel}|{cycle}").shuffle(order)
    return order


def next_item(
    store: Store, community: Community, channel: str, hidden: tuple[str, ...] = ()
) -> Item | None:
    """Take the channel's next item and remember it (inside the caller's atomic block)."""
    items = {i.id: i for i in pool(store, community, hidden)}
    if not items:
        return None
    key = f"{community.key}|{channel}"
    doc = store.find_one(ROTATION, {"key": key})
    cycle = int(doc.get("cycle", 0)) if doc else 0
    used = list(doc.get("used", [])) if doc else []
    last = doc.get("last") if doc else None
    remaining = [i for i in items if i not in used]
    if not remaining:
        cycle, used, remaining = cycle + 1, [], list(items)
    order = [i for i in cycle_order(community, channel, cycle, list(items)) if i in remaining]
    # A new cycle must not open with the item that closed the last one.
    pick = order[1] if len(order) > 1 and order[0] == last else order[0]
    changes = {"cycle": cycle, "used": [*used, pick], "last": pick}
    if doc is None:
        store.insert(
            ROTATION, {"key": key, "community": community.key, "channel": channel, **changes}
        )
    else:
        store.update(ROTATION, doc["id"], changes)
    return items[pick]


def used_in_cycle(store: Store, community: Community, channel: str) -> int:
    """How many items the channel's current cycle has posted (for ``/tips list``)."""
    doc = store.find_one(ROTATION, {"key": f"{community.key}|{channel}"})
    return len(doc.get("used", [])) if doc else 0
