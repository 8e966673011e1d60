"""Per-user settings: time zone, quiet hours, nudges on/off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot import when
from bot.io import Community
from store import Store

SETTINGS = "settings"


@dataclass(frozen=True)
class UserSettings:
    tz: str | None  # chosen by the user; None means "from the platform profile, or the default"
    quiet: str
    quiet_weekends: bool
    nudges: bool
    # How the member writes numeric dates: "DMY" (12/10 = 12 October), "MDY", or None
    # (then only dates that read one way are accepted, and 12/10 is asked about).
    date_order: str | None = None


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
        date_order=doc.get("date_order"),
    )


def save(store: Store, community: Community, user: str, **changes: object) -> None:
    new = {"community": community.key, "user": user}
    store.upsert(SETTINGS, settings_key(community, user), changes, new)


def check_zone(text: str) -> when.Zone:
    """The zone a member meant (``EST`` → America/New_York, ``GMT+1`` → UTC+01:00), or a
    refusal with suggestions; ``note`` says how an abbreviation was read."""
    return when.read_zone(text)


QUIET_OFF = "off"  # no quiet hours at all (weekends apart)
_OFF_WORDS = frozenset({"off", "none", "no", "never", "nothing"})


def read_quiet(text: str) -> str:
    """Quiet hours as typed (``22:00-07:30``, ``10pm-7am``, ``off``) → as stored."""
    if text.strip().lower() in _OFF_WORDS:
        return QUIET_OFF
    start, end = parse_quiet(text)
    return format_quiet(start, end)


def parse_quiet(text: str) -> tuple[time, time]:
    """``21:00-08:00``, ``10pm-7am``, ``22–7:30`` → (start, end); the range may wrap midnight."""
    quiet = when.read_quiet(text, example="/rapport settings quiet 22:00-07:30")
    return quiet.start, quiet.end


def format_quiet(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"


def stored_quiet(text: str) -> tuple[time, time]:
    """Quiet hours as ``format_quiet`` stored them (checked when they were typed); none
    (an empty range) when they are off."""
    if text == QUIET_OFF:
        return time(0), time(0)
    start, _, end = text.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
