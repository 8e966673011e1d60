"""What a handler may use: the store, the clock, who acts, where, and community settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import settings as user_settings
from bot.clock import Clock
from bot.config import Config
from bot.directory import Directory, Member
from bot.errors import UserError
from bot.io import Community, Output
from bot.when.zones import tzinfo_of
from store import Store

COMMUNITIES = "communities"


@dataclass
class Context:
    store: Store
    clock: Clock
    config: Config
    directory: Directory
    community: Community
    user: str
    is_admin: bool = False
    channel: str | None = None
    request_id: str | None = None
    # The bot's command families (name → ``registry.Family``) and what is kept where
    # (table → ``registry.Kept``); typed loosely so the registry can name ``Context``.
    families: dict[str, Any] = field(default_factory=dict)
    kept: dict[str, Any] = field(default_factory=dict)
    # Outputs asked for along the way (``emit``), kept with the handler's own outputs.
    emitted: list[Output] = field(default_factory=list)
    # Run by the core once the input's atomic block has committed (see ``after_commit``).
    committed: list[Callable[[], None]] = field(default_factory=list, repr=False)
    # The member erased themselves in this input: its record (kept against repeats) must
    # not name them either.
    erased: bool = False

    def emit(self, *outputs: Output) -> None:
        """Ask for outputs from deep inside a handler (scheduling helpers a feature offers
        others): the core keeps them with the handler's own, in the same transaction."""
        self.emitted.extend(outputs)

    def now(self) -> datetime:
        return self.clock.now()

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once this input's writes are committed (never if they roll back):
        work that must see them on disk, like ``store.compact()`` after an erasure. A
        failure there is logged; the input's answer stands."""
        self.committed.append(action)

    # -- people --------------------------------------------------------------

    def member(self, user: str) -> Member | None:
        return self.directory.member(self.community, user)

    def name(self, user: str) -> str:
        member = self.member(user)
        return member.name if member else user

    def settings(self, user: str | None = None) -> user_settings.UserSettings:
        return user_settings.load(
            self.store,
            self.community,
            user or self.user,
            quiet=str(self.setting("quiet_hours")),
            weekends=bool(self.setting("quiet_weekends")),
        )

    def warm(self) -> None:
        """Read the member's settings and the community's in one round trip, ahead of
        the handler's own look-ups: nearly every command reads both (a zone, quiet
        hours, a default) and would otherwise wait for two."""
        self.store.prefetch(
            [
                (user_settings.SETTINGS, user_settings.settings_key(self.community, self.user)),
                (COMMUNITIES, self.community.key),
            ]
        )

    def zone(self, user: str | None = None) -> ZoneInfo:
        """A user's zone: their own setting, else their platform profile, else the default."""
        user = user or self.user
        chosen = self.settings(user).tz
        if not chosen:
            member = self.member(user)
            chosen = member.tz if member and member.tz else None
        try:
            return tzinfo_of(chosen or str(self.setting("default_tz")))  # type: ignore[return-value]
        except (ValueError, KeyError, OSError):
            return ZoneInfo("UTC")

    def require_admin(self) -> None:
        if not self.is_admin:
            raise UserError(
                "Only a community admin can do that. "
                "Ask one of your admins if you'd like it changed."
            )

    # -- community settings --------------------------------------------------

    def setting(self, name: str) -> Any:
        """A community setting: the admin's override if any, else the configured default."""
        doc = self.store.find_one(COMMUNITIES, {"key": self.community.key})
        if doc and name in doc.get("settings", {}):
            return doc["settings"][name]
        return self.config.community_defaults()[name]

    def set_setting(self, name: str, value: Any) -> None:
        with self.store.atomic():
            doc = self.store.find_one(COMMUNITIES, {"key": self.community.key})
            if doc is None:
                self.store.insert(
                    COMMUNITIES, {"key": self.community.key, "settings": {name: value}}
                )
            else:
                self.store.update(
                    COMMUNITIES, doc["id"], {"settings": {**doc.get("settings", {}), name: value}}
                )
