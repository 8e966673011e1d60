"""Who is who on Slack: ``users.info``, cached and refreshed daily.

The core asks the directory for names, bots, profile time zones and admins while
it holds the store, so a lookup must be quick: known users are answered from the
cache (a stale entry is answered at once and refreshed in the background), and the
Slack handlers warm the cache for everyone a command mentions before calling the
core. Other platforms' communities are passed to the directory we wrap.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.client import USER_GONE, error_code
from bot.adapters.slack.translate import PLATFORM
from bot.directory import Member
from bot.io import Community

log = logging.getLogger(__name__)

REFRESH = 24 * 3600.0  # profiles (names, zones, admin) are re-read daily
FORGET_UNKNOWN = 3600.0  # "no such user" is remembered for an hour


@dataclass
class _Entry:
    member: Member | None
    at: float


def member_from_profile(user: dict[str, Any]) -> Member | None:
    """A ``users.info`` user as a neutral member (None for a deactivated account)."""
    if user.get("deleted"):
        return None
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or user["id"]
    )
    return Member(
        id=user["id"],
        name=name,
        is_bot=bool(user.get("is_bot") or user.get("is_app_user") or user["id"] == "USLACKBOT"),
        tz=user.get("tz") or None,
        is_admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
    )


class SlackDirectory:
    """Members of Slack workspaces, from ``users.info`` (the core asks only for Slack's)."""

    def __init__(
        self,
        client: WebClient,
        *,
        clock: Callable[[], float] = time.monotonic,
        refresh: float = REFRESH,
        background: bool = True,
    ) -> None:
        self.client = client
        self.clock = clock
        self.refresh = refresh
        self._cache: dict[tuple[str, str], _Entry] = {}
        self._lock = threading.Lock()
        self._refreshing: set[tuple[str, str]] = set()
        self._pool = ThreadPoolExecutor(1, "slack-directory") if background else None
        self.lookups = 0  # users.info calls made (tests and logs)

    # -- the Directory protocol ----------------------------------------------

    def member(self, community: Community, user: str) -> Member | None:
        if community.platform != PLATFORM or not user:  # no id: nobody to look up
            return None
        key = (community.workspace, user)
        with self._lock:
            entry = self._cache.get(key)
        if entry is None:
            return self._fetch(key)
        age = self.clock() - entry.at
        if entry.member is None and age > FORGET_UNKNOWN:
            return self._fetch(key)
        if entry.member is not None and age > self.refresh:
            self._refresh_later(key)
        return entry.member

    # -- warming ---------------------------------------------------------------

    def warm(self, workspace: str, users: Iterable[str]) -> None:
        """Look up everyone not cached yet (called before the core, outside its lock)."""
        community = Community(PLATFORM, workspace)
        for user in dict.fromkeys(users):
            self.member(community, user)

    def forget(self, workspace: str, user: str) -> None:
        with self._lock:
            self._cache.pop((workspace, user), None)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    # -- fetching --------------------------------------------------------------

    def _fetch(self, key: tuple[str, str]) -> Member | None:
        user = key[1]
        try:
            self.lookups += 1
            response = self.client.users_info(user=user)
            member = member_from_profile(response["user"])
        except SlackApiError as exc:
            code = error_code(exc)
            if code in USER_GONE:
                member = None
            else:
                log.warning("users.info for %s failed (%s); using what I know", user, code)
                return self._known_or_bare(key)
        except Exception as exc:
            log.warning("users.info for %s failed (%s); using what I know", user, exc)
            return self._known_or_bare(key)
        with self._lock:
            self._cache[key] = _Entry(member, self.clock())
        return member

    def _known_or_bare(self, key: tuple[str, str]) -> Member:
        """On a transient failure: the last known profile, else just the id (not cached)."""
        with self._lock:
            entry = self._cache.get(key)
        if entry is not None and entry.member is not None:
            return entry.member
        return Member(key[1], key[1])

    def _refresh_later(self, key: tuple[str, str]) -> None:
        if self._pool is None:
            self._fetch(key)
            return
        with self._lock:
            if key in self._refreshing:
                return
            self._refreshing.add(key)

        def run() -> None:
            try:
                self._fetch(key)
            finally:
                with self._lock:
                    self._refreshing.discard(key)

        self._pool.submit(run)
