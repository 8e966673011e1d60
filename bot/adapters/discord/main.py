"""Build and run the Discord adapter.

``build_discord(core, config)`` returns a ``DiscordService`` with ``async start(kick)``
/ ``async stop()`` and a ``deliverer`` for the outbox, so ``rapport run`` starts
Discord beside Slack in one process, one store and one scheduler (see
``bot.cli.serve``). ``rapport discord`` runs Discord alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping

import discord
from discord.http import Route

from bot.adapters.discord.app import DiscordAdapter, DiscordSettings
from bot.adapters.discord.deliver import DiscordDeliverer
from bot.config import Config
from bot.core import Rapport

log = logging.getLogger(__name__)

# What the bot may do in a server, and nothing more: see the members' channels, post,
# embed long answers, attach calendar files, open private threads and talk in them.
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    create_private_threads=True,
    send_messages_in_threads=True,
)
SCOPES = ("bot", "applications.commands")


class DiscordConfigError(Exception):
    """A missing or wrong setting, explained for whoever starts the bot."""


def invite_url(application_id: int | str) -> str:
    """The link that adds rapport to a server with exactly the permissions above."""
    return discord.utils.oauth_url(int(application_id), permissions=PERMISSIONS, scopes=SCOPES)


def use_api(url: str | None) -> None:
    """Point discord.py's REST calls at another Discord-compatible API (a local fake)."""
    if url:
        Route.BASE = url.rstrip("/")


class DiscordService:
    """The Discord side of one process: the client, the adapter and the outbox deliverer."""

    platform = "discord"

    def __init__(self, core: Rapport, settings: DiscordSettings) -> None:
        if not settings.token:
            raise DiscordConfigError("Set DISCORD_TOKEN (the bot token) to run rapport on Discord.")
        use_api(settings.api_url)
        self.settings = settings
        self.adapter = DiscordAdapter(core, settings)
        self.client = self.adapter.client
        self.deliverer: DiscordDeliverer = self.adapter.deliverer
        self._gateway: asyncio.Task[None] | None = None

    async def login(self, kick: Callable[[], None] | None = None) -> None:
        """Log in over REST (and sync commands if they changed); no gateway yet."""
        self.adapter.after_input = kick
        try:
            await self.client.login(self.settings.token)
        except discord.LoginFailure as err:
            raise DiscordConfigError(
                "Discord refused DISCORD_TOKEN: copy the bot token again from the Developer "
                "Portal (Bot → Reset Token)."
            ) from err
        app_id = self.client.application_id
        if app_id is not None:
            log.info("Discord: invite rapport to a server with %s", invite_url(app_id))

    async def start(self, kick: Callable[[], None] | None = None) -> None:
        await self.login(kick)
        self._gateway = asyncio.create_task(self._connect(), name="discord-gateway")

    async def _connect(self) -> None:
        """Keep the gateway up: discord.py reconnects by itself, except after some
        failures of the very first connection (no network yet); those we retry here."""
        wait = 1.0
        while not self.client.is_closed():
            try:
                await self.client.connect(reconnect=True)
                return
            except discord.PrivilegedIntentsRequired:
                log.error("Discord: rapport asked for a privileged intent; this is a bug")
                return
            except Exception:
                log.exception("Discord: the gateway connection failed; trying again in %.0fs", wait)
            await asyncio.sleep(wait)
            wait = min(wait * 2, 60.0)

    async def stop(self) -> None:
        await self.client.close()
        if self._gateway is not None:
            self._gateway.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._gateway
            self._gateway = None


def build_discord(
    core: Rapport,
    config: Config | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: object,
) -> DiscordService:
    """The Discord service for ``core``, configured from the environment (``DISCORD_*``)."""
    settings = DiscordSettings.from_env(dict(env) if env is not None else None)
    if overrides:
        settings = DiscordSettings(
            **{**settings.__dict__, **{k: v for k, v in overrides.items() if v is not None}}
        )
    return DiscordService(core, settings)


build = build_discord  # the name ``rapport run`` looks for in each platform's main module
