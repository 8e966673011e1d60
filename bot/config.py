"""Configuration: process-wide settings from the environment and flags, with
per-community overrides an admin can store (timings, limits)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import Any


class ConfigError(Exception):
    """A configuration mistake, said in one line: what is wrong and how to fix it."""


@dataclass(frozen=True)
class Config:
    data_dir: str = "./data"
    database_url: str | None = None
    default_tz: str = "UTC"
    tick_seconds: float = 30.0
    # Users who are admins whatever the platform says ("platform:user" or a bare user id).
    admins: tuple[str, ...] = ()
    # Community defaults (each may be overridden per community).
    intro_remind_days: float = 3
    intro_expire_days: float = 14
    intro_thank_days: float = 2
    max_pending_intros: int = 3
    max_text: int = 500
    chat_reminder_minutes: float = 60
    quiet_hours: str = "21:00-08:00"
    quiet_weekends: bool = True
    daily_nudge_cap: int = 3
    openings_channel: str = ""  # where /opening posts (an admin sets it)
    openings_per_week: int = 2  # opening DMs one member gets at most in 7 days
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Config:
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        if env.get("RAPPORT_DATA_DIR"):
            values["data_dir"] = env["RAPPORT_DATA_DIR"]
        if env.get("RAPPORT_DATABASE_URL"):
            values["database_url"] = env["RAPPORT_DATABASE_URL"]
        if env.get("RAPPORT_TZ"):
            values["default_tz"] = _zone(env["RAPPORT_TZ"])
        if env.get("RAPPORT_TICK_SECONDS"):
            values["tick_seconds"] = _seconds(env["RAPPORT_TICK_SECONDS"])
        if env.get("RAPPORT_ADMINS"):
            values["admins"] = tuple(
                a.strip() for a in env["RAPPORT_ADMINS"].split(",") if a.strip()
            )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

    def community_defaults(self) -> dict[str, Any]:
        """The settings an admin may override per community, with their defaults."""
        skip = {"data_dir", "database_url", "tick_seconds", "admins", "extra"}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}


def _zone(text: str) -> str:
    from bot.when import read_zone  # the one zone reader (EST → America/New_York …)

    try:
        return read_zone(text).name
    except Exception:
        raise ConfigError(
            f"RAPPORT_TZ={text!r} is not a time zone I know; use a name like Europe/Berlin "
            "or America/New_York"
        ) from None


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0.1 <= seconds <= 3600:
        raise ConfigError(
            f"RAPPORT_TICK_SECONDS={text!r} must be a number of seconds from 0.1 to 3600, like 30"
        )
    return seconds
