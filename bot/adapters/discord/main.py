"""Build and run the Discord adapter.

``build_discord(core, config)`` returns a ``DiscordService`` with ``async start(kick)``
/ ``async stop()`` and a ``deliverer`` for the outbox, so ``rapport run`` starts
Discord beside Slack in one process, one store and one scheduler (see
``bot.bootstrap.serve``). ``rapport discord`` runs Discord alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot import metrics
from bot.adapters.discord.app import DiscordAdapter, DiscordConfigError, DiscordSettings
from bot.adapters.discord.deliver import DiscordDeliverer
from bot.adapters.discord.holder import RETRY_SECONDS, GatewayLock, lock_keys
from bot.config import Config
from bot.core import Rapport
from store import Store
from store.sql_store import SQLStore

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
SETTLE_SECONDS = 5.0  # a clean stop waits this long for interactions being answered


def _no_voice_warnings() -> None:
    """rapport never joins a voice channel, so discord.py's start-up warnings that the
    voice libraries (PyNaCl, davey) are missing say nothing useful: switch them off
    with discord.py's own flags, so a start-up mistake stays one line."""
    from discord.voice_client import VoiceClient

    for flag in ("warn_nacl", "warn_dave"):
        if hasattr(VoiceClient, flag):
            setattr(VoiceClient, flag, False)


def invite_url(application_id: int | str) -> str:
    """The link that adds rapport to a server with exactly the permissions above."""
    return discord.utils.oauth_url(int(application_id), permissions=PERMISSIONS, scopes=SCOPES)


def use_api(url: str | None) -> None:
    """Point discord.py's REST calls at another Discord-compatible API (a local fake)."""
    if url:
        Route.BASE = url.rstrip("/")


def gateway_lock(store: Store, settings: DiscordSettings) -> GatewayLock | None:
    """The lock deciding which process holds the gateway: on PostgreSQL, where several
    processes may share the store. TinyDB allows one process per data directory, and
    SQLite is for one machine's single process: there, this process is the holder."""
    if not (isinstance(store, SQLStore) and store.pg):
        return None
    conninfo = store.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return GatewayLock(conninfo, lock_keys(settings.token, settings.shards, settings.shard_count))


class DiscordService:
    """The Discord side of one process: the client, the adapter and the outbox deliverer.

    Every process logs in over REST and delivers its share of the outbox. The gateway
    (where interactions arrive) is held by one process per shard set: ``role()`` says
    whether this one is the ``holder`` or a ``standby`` waiting to take over.
    """

    platform = "discord"

    def __init__(self, core: Rapport, settings: DiscordSettings) -> None:
        check(settings)
        use_api(settings.api_url)
        _no_voice_warnings()
        self.settings = settings
        self.adapter = DiscordAdapter(core, settings)
        self.client = self.adapter.client
        self.deliverer: DiscordDeliverer = self.adapter.deliverer
        self.lock = gateway_lock(core.store, settings)
        self._holder = False
        self._gateway: asyncio.Task[None] | None = None
        self._takeover: asyncio.Task[None] | None = None

    # -- what health checks show --------------------------------------------------

    def role(self) -> str:
        """``holder`` when this process holds the gateway for its shards, else ``standby``."""
        return "holder" if self._holder else "standby"

    @property
    def shards(self) -> tuple[int, ...]:
        """The shards this process holds, or would hold on taking over (of ``shard_count``)."""
        return self.settings.shards

    @property
    def shard_count(self) -> int:
        return self.settings.shard_count

    def describe_role(self) -> tuple[str, str]:
        """The role, and the shards it covers, for /readyz and /metrics."""
        shards = ",".join(str(n) for n in self.shards)
        return self.role(), f"shards {shards} of {self.shard_count}"

    async def ready(self) -> str | None:
        """None when this process does its part: a holder is connected; a standby waits."""
        if self._holder and not self.connected():
            return "the gateway is not connected"
        return None

    def connected(self) -> bool:
        """Whether every shard of this process has a live, ready gateway session."""
        shards = self.client.shards
        return (
            self._holder
            and self.client.is_ready()
            and len(shards) == len(self.shards)
            and all(not s.is_closed() for s in shards.values())
        )

    # -- running ------------------------------------------------------------------

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
        except (OSError, aiohttp.ClientError) as err:  # no answer from Discord at all
            where = self.settings.api_url or "discord.com"
            raise DiscordConfigError(
                f"Discord at {where} can't be reached ({err}): check this machine's network"
                + (", or DISCORD_API_URL" if self.settings.api_url else "")
                + ", then start rapport again"
            ) from err
        if self.settings.api_url:
            # A Discord-compatible API names its own gateway.
            _, url, _ = await self.client.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        app_id = self.client.application_id
        if app_id is not None:
            log.info("Discord: invite rapport to a server with %s", invite_url(app_id))

    async def start(self, kick: Callable[[], None] | None = None) -> None:
        await self.login(kick)
        self._gateway = asyncio.create_task(self._hold(), name="discord-gateway")
        every = min(5.0, self.settings.inbox_lease / 2)
        self._takeover = asyncio.create_task(self._take_over(every), name="discord-inbox")

    async def _take_over(self, every: float) -> None:
        """Answer deferred interactions a stopped process left (see ``resume``)."""
        while True:
            try:
                for entry in await asyncio.to_thread(self.adapter.take_over):
                    metrics.INBOX_RECOVERED.labels(self.platform).inc()
                    self.adapter.resume(entry)
            except Exception as exc:  # the store is down: try again next time
                log.warning("discord inbox sweep failed: %r", exc)
            await asyncio.sleep(every)

    async def _hold(self) -> None:
        """Hold the gateway, or stand by until this process may."""
        if self.lock is None:
            self._holder = True
            await self._connect()
            return
        standing_by = False
        while not self.client.is_closed():
            if await self.lock.acquire():
                self._holder = True
                log.warning("Discord: this process holds the gateway (%s)", self._shard_text())
                connect = asyncio.create_task(self._connect())
                lost = asyncio.create_task(self.lock.lost())
                try:
                    done, _ = await asyncio.wait(
                        {connect, lost}, return_when=asyncio.FIRST_COMPLETED
                    )
                except asyncio.CancelledError:  # stop()
                    connect.cancel()
                    lost.cancel()
                    raise
                if connect in done:  # the client was closed: rapport is stopping
                    lost.cancel()
                    return
                self._holder = False
                log.error("Discord: lost the gateway lock; standing by (%s)", self._shard_text())
                await self._step_down(connect)
            elif not standing_by:
                standing_by = True
                log.warning(
                    "Discord: another process holds the gateway; standing by (%s)",
                    self._shard_text(),
                )
            await asyncio.sleep(RETRY_SECONDS)

    async def _step_down(self, connect: asyncio.Task[None]) -> None:
        """Leave the gateway at once (another process may hold it now); REST stays up,
        so this process keeps delivering the outbox as a standby."""
        connect.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await connect
        for shard in self.client.shards.values():
            await shard.disconnect()

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
        if self._takeover is not None:
            self._takeover.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._takeover
            self._takeover = None
        await self.adapter.settle(SETTLE_SECONDS)
        await self.client.close()
        if self._gateway is not None:
            self._gateway.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._gateway
            self._gateway = None
        if self.lock is not None:
            await self.lock.release()
        self._holder = False

    def _shard_text(self) -> str:
        return f"shards {','.join(map(str, self.shards))} of {self.shard_count}"


def check(settings: DiscordSettings) -> None:
    """What ``DiscordSettings.from_env`` can't check by itself: a token is needed."""
    if not settings.token:
        raise DiscordConfigError("Set DISCORD_TOKEN (the bot token) to run rapport on Discord.")


def discord_settings(env: Mapping[str, str] | None = None, **overrides: object) -> DiscordSettings:
    """Every Discord setting read and checked: what ``rapport discord`` / ``rapport run``
    do before they open the store, so a mistake refuses to start with one line and no
    file or table touched."""
    settings = DiscordSettings.from_env(dict(env) if env is not None else None)
    if overrides:
        settings = DiscordSettings(
            **{**settings.__dict__, **{k: v for k, v in overrides.items() if v is not None}}
        )
    check(settings)
    return settings


def build_discord(
    core: Rapport,
    config: Config | None = None,
    env: Mapping[str, str] | None = None,
    *,
    settings: DiscordSettings | None = None,
    **overrides: object,
) -> DiscordService:
    """The Discord service for ``core``: with ``settings`` checked already
    (``discord_settings``), else configured from the environment (``DISCORD_*``)."""
    return DiscordService(core, settings or discord_settings(env, **overrides))


build = build_discord  # the name ``rapport run`` looks for in each platform's main module
