"""Who is who on Discord, learnt from interactions — never from the member list.

rapport asks for no privileged intent, so it cannot list a server's members. It
does not need to: every interaction names the person acting, and a user picker
resolves the people picked. Their display names (and whether they are bots) are
kept in ``discord_members`` so messages can name them later; anything else asks
the directory it wraps (the console's, or another platform's).
"""

from __future__ import annotations

from bot.directory import Member
from bot.io import Community, UserArg
from store import Conflict, Store

MEMBERS = "discord_members"


class DiscordDirectory:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: dict[str, Member] = {}

    def member(self, community: Community, user: str) -> Member | None:
        if community.platform != "discord":
            return None
        key = f"{community.key}|{user}"
        if key in self._known:
            return self._known[key]
        doc = self.store.find_one(MEMBERS, {"key": key})
        if doc is None:
            return None
        found = Member(user, doc.get("name") or user, bool(doc.get("is_bot")))
        self._known[key] = found
        return found

    def learn(self, community: Community, users: list[UserArg]) -> None:
        """Remember names of people Discord just told us about (writes only on change)."""
        for arg in users:
            key = f"{community.key}|{arg.id}"
            name = arg.name or arg.id
            known = self.member(community, arg.id)
            if known is not None and known.name == name and known.is_bot == bool(arg.is_bot):
                continue
            fields = {"name": name, "is_bot": bool(arg.is_bot)}
            doc = self.store.find_one(MEMBERS, {"key": key})
            try:
                if doc is None:
                    self.store.insert(
                        MEMBERS,
                        {"key": key, "community": community.key, "user": arg.id, **fields},
                    )
                else:
                    self.store.update(MEMBERS, doc["id"], fields)
            except Conflict:
                pass  # another process learnt them first
            self._known[key] = Member(arg.id, name, bool(arg.is_bot))
