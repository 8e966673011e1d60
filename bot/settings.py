"""Per-user settings: time zone, quiet hours, nudges on/off."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import UserError
from bot.io import Community
from store import Store

SETTINGS = "settings"


@dataclass(frozen=True)
class UserSettings:
    tz: str | None  # chosen by the user; None means "from the platform profile, or the default"
    quiet: str
    quiet_weekends: bool
    nudges: bool


def settings_key(community: Community, user: str) -> str:
    return f"{community.key}|{user}"


def load(
    store: Store, community: Community, user: str, *, quiet: str, weekends: bool
) -> UserSettings:
    doc = store.find_one(SETTINGS, {"key": settings_key(community, user)}) or {}
    return UserSettings(
        tz=doc.get("tz"),
        quiet=doc.get("quiet", quiet),
        quiet_weekends=doc.get("quiet_weekends", weekends),
        nudges=doc.get("nudges", True),
    )


def save(store: Store, community: Community, user: str, **changes: object) -> None:
    key = settings_key(community, user)
    with store.atomic():
        doc = store.find_one(SETTINGS, {"key": key})
        if doc is None:
            store.insert(
                SETTINGS, {"key": key, "community": community.key, "user": user, **changes}
            )
        else:
            store.update(SETTINGS, doc["id"], changes)


@cache
def _zones() -> dict[str, str]:
    """Every IANA zone name, by lower-case name and by lower-case city."""
    zones: dict[str, str] = {}
    for name in available_timezones():
        zones.setdefault(name.lower(), name)
        city = name.rsplit("/", 1)[-1].replace("_", " ").lower()
        zones.setdefault(city, name)
    return zones


def check_zone(text: str) -> str:
    """The IANA zone a user meant, or a friendly refusal with the closest names."""
    name = text.strip()
    if not name:
        raise UserError("Which time zone? For example Europe/Berlin or America/New_York.")
    exact = _zones().get(name.lower()) or _zones().get(name.lower().replace("_", " "))
    if exact:
        return exact
    try:
        ZoneInfo(name)
        return name
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        pass
    close = difflib.get_close_matches(name.lower(), list(_zones()), n=3, cutoff=0.6)
    if close:
        names = ", ".join(dict.fromkeys(_zones()[c] for c in close))
        raise UserError(f"I don't know the time zone “{name}”. Did you mean {names}?")
    raise UserError(
        f"I don't know the time zone “{name}”. Use a name like Europe/Berlin, "
        "America/New_York or Asia/Kolkata."
    )


_QUIET = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?\s*$")


def parse_quiet(text: str) -> tuple[time, time]:
    """``21:00-08:00`` → (21:00, 08:00). The range may wrap past midnight."""
    m = _QUIET.match(text)
    if not m:
        raise UserError("Quiet hours look like 21:00-08:00 (start-end, 24-hour clock).")
    h1, m1, h2, m2 = (int(x) if x else 0 for x in m.groups())
    if not (0 <= h1 <= 23 and 0 <= h2 <= 23 and 0 <= m1 <= 59 and 0 <= m2 <= 59):
        raise UserError("Quiet hours look like 21:00-08:00; hours go from 0 to 23.")
    start, end = time(h1, m1), time(h2, m2)
    if start == end:
        raise UserError("Quiet hours need different start and end times, like 21:00-08:00.")
    return start, end


def format_quiet(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"
