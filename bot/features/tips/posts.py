"""One record per community with its channel-post choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.features.tips.schedule import PostSchedule
from bot.io import Community
from store import Conflict, Store

TABLE = "posts_config"
POSTED = "channel_posts"  # one record per slot posted: {community, kind, channel, slot, at}


@dataclass(frozen=True)
class PostsConfig:
    """What admins chose; a community that chose nothing gets all the defaults."""

    tips_channel: str | None = None
    tips_on: bool = False
    cadence: PostSchedule | None = None
    digest_on: bool = True
    digest_cadence: PostSchedule | None = None
    wins_channel: str | None = None
    hidden: tuple[str, ...] = ()

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> PostsConfig:
        if not doc:
            return cls()
        return cls(
            tips_channel=doc.get("tips_channel"),
            tips_on=bool(doc.get("tips_on")),
            cadence=PostSchedule.from_data(doc["cadence"]) if doc.get("cadence") else None,
            digest_on=doc.get("digest_on", True),
            digest_cadence=(
                PostSchedule.from_data(doc["digest_cadence"]) if doc.get("digest_cadence") else None
            ),
            wins_channel=doc.get("wins_channel"),
            hidden=tuple(doc.get("hidden") or ()),
        )

    @property
    def posting(self) -> bool:
        return bool(self.tips_on and self.tips_channel and self.cadence)


def load(store: Store, community: Community) -> PostsConfig:
    return PostsConfig.from_doc(store.find_one(TABLE, {"key": community.key}))


def save(store: Store, community: Community, **changes: Any) -> PostsConfig:
    """Change some choices (cadences as ``PostSchedule``); the others stay as they were."""
    data = {k: v.to_data() if isinstance(v, PostSchedule) else v for k, v in changes.items()}
    if "hidden" in data:
        data["hidden"] = sorted(set(data["hidden"]))
    with store.atomic():
        doc = store.find_one(TABLE, {"key": community.key})
        if doc is None:
            doc = store.insert(TABLE, {"key": community.key, "community": community.key, **data})
        else:
            doc = store.update(TABLE, doc["id"], data) or doc
    return PostsConfig.from_doc(doc)


def claim_slot(
    store: Store, community: Community, kind: str, channel: str, slot: str, at: str
) -> bool:
    """Note that a slot's post is going out; False if it already went (never post twice).

    The outbox key of a slot's event already makes it run once; this record also
    covers an event replayed after a crash or by a second process.
    """
    key = f"{community.key}|{kind}|{channel}|{slot}"
    if store.find_one(POSTED, {"key": key}) is not None:
        return False
    try:
        store.insert(
            POSTED,
            {
                "key": key,
                "community": community.key,
                "kind": kind,
                "channel": channel,
                "slot": slot,
                "at": at,
            },
        )
    except Conflict:
        return False
    return True
