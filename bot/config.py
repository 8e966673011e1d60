"""Configuration: process-wide settings from the environment and flags, with
per-community overrides an admin can store (timings, limits)."""

from __future__ import annotations

import errno
import os
import socket
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


# -- addresses rapport listens on ---------------------------------------------------------


def listen_problem(
    err: OSError, host: str, port: int, *, port_setting: str, host_setting: str | None = None
) -> str:
    """What is wrong with listening on ``host:port`` and how to fix it, in one line
    (``err`` is what binding, or resolving ``host``, raised)."""
    if isinstance(err, socket.gaierror):
        return (
            f"{host_setting or 'the address'} {host!r} can't be resolved ({err.strerror}): "
            "use an address of this machine, like 0.0.0.0 (all of them) or 127.0.0.1"
        )
    if err.errno == errno.EADDRINUSE:
        return f"port {port} is in use: stop what uses it, or set {port_setting} to a free port"
    if err.errno == errno.EACCES:
        return (
            f"port {port} needs privileges rapport does not have: set {port_setting} "
            "to a port above 1023"
        )
    if err.errno == errno.EADDRNOTAVAIL and host_setting:
        return (
            f"{host_setting} {host!r} is not an address of this machine: use 0.0.0.0 "
            "(all of them), 127.0.0.1, or one of its own addresses"
        )
    where = f"{host_setting} or {port_setting}" if host_setting else port_setting
    return f"cannot listen on {host}:{port} ({err.strerror or err}): fix {where}"


def check_listen(
    host: str, port: int, *, port_setting: str, host_setting: str | None = None
) -> None:
    """``ConfigError`` (one line) when this process could not listen on ``host:port``
    now: a host that doesn't resolve, a port in use or reserved. A socket is bound the
    way asyncio's servers bind (address reuse on, IPv6 only on IPv6) and closed at once,
    so this is checked before anything else starts (the store is not opened yet). Another
    process may still take the port in between: binding for real says so too."""
    try:
        found = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError) as e:
        err = e if isinstance(e, socket.gaierror) else socket.gaierror(str(e))
        if not err.strerror:
            err.strerror = str(e)
        raise ConfigError(
            listen_problem(err, host, port, port_setting=port_setting, host_setting=host_setting)
        ) from None
    for family, kind, proto, _, address in found:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind(address)
            except OSError as e:
                raise ConfigError(
                    listen_problem(
                        e, host, port, port_setting=port_setting, host_setting=host_setting
                    )
                ) from None
