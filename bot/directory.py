"""Who is who: the adapter tells the core about members (names, bots, profile zones)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.io import Community


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    is_bot: bool = False
    tz: str | None = None
    is_admin: bool = False


class Directory(Protocol):
    def member(self, community: Community, user: str) -> Member | None:
        """The member with this id, or None if the platform knows no such user."""
        ...


class StaticDirectory:
    """A fixed list of members (the console community, tests)."""

    def __init__(self, members: list[Member] | None = None) -> None:
        self._members = {m.id: m for m in members or []}
        # Who answers to a word (id or name, any case), built when first asked: a
        # search for "Acme" asks whether a member is called that, on every search.
        # The member's id, or None when several answer to it.
        self._names: dict[str, str | None] | None = None

    def add(self, member: Member) -> None:
        self._members[member.id] = member
        self._names = None

    def remove(self, user: str) -> None:
        self._members.pop(user, None)
        self._names = None

    def member(self, community: Community, user: str) -> Member | None:
        return self._members.get(user)

    def named(self, community: Community, name: str) -> Member | None:
        """The one member whose id or name is ``name`` (any case); None if none or several."""
        if self._names is None:
            names: dict[str, str | None] = {}
            for m in self._members.values():
                for word in {m.id.casefold(), m.name.casefold()}:
                    names[word] = m.id if word not in names else None
            self._names = names
        found = self._names.get(name.strip().lstrip("@").casefold())
        return self._members.get(found) if found is not None else None

    def all(self) -> list[Member]:
        return list(self._members.values())


class Directories:
    """The core's one directory: each platform's adapter registers its own, and a member
    is looked up in the directory of their community's platform (else ``default``)."""

    def __init__(self, default: Directory | None = None) -> None:
        self.default: Directory = default or StaticDirectory()
        self._platforms: dict[str, Directory] = {}

    def register(self, platform: str, directory: Directory) -> None:
        self._platforms[platform] = directory

    def _for(self, community: Community) -> Directory:
        return self._platforms.get(community.platform, self.default)

    def member(self, community: Community, user: str) -> Member | None:
        return self._for(community).member(community, user)

    def named(self, community: Community, name: str) -> Member | None:
        """Members named without @, where that platform's directory can tell who."""
        find = getattr(self._for(community), "named", None)
        return find(community, name) if find else None
