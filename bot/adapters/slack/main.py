"""Build and run the Slack adapter.

``build_slack(core, config)`` returns a ``SlackService`` with ``async start()`` /
``async stop()`` and a ``deliverer`` for the outbox, so ``rapport run`` can start
Slack beside other platforms in one process, one event loop, one store and one
scheduler. ``rapport slack`` runs Slack alone. With ``SLACK_APP_TOKEN`` set it
connects in Socket Mode (slack_sdk's asyncio client); otherwise it serves HTTP mode on
``--port`` (default 3000) with aiohttp, where ``/healthz``, ``/readyz`` and
``/metrics`` are served too.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import inbox
from bot.adapters.slack.app import build_app, register
from bot.adapters.slack.client import DEFAULT_API_URL, error_code, make_client
from bot.adapters.slack.deliver import SlackDeliverer, SlackSender
from bot.adapters.slack.directory import SlackDirectory
from bot.adapters.slack.front import BoundedSite, OneLineLog, SlackFront
from bot.adapters.slack.handlers import SlackHandlers
from bot.adapters.slack.intake import Intake
from bot.config import Config, ConfigError, check_listen, listen_problem
from bot.core import Rapport
from store.base import new_id

log = logging.getLogger(__name__)

SWITCH_INTERVAL = 0.001
PORT_SETTING = "SLACK_PORT (or --port)"
HOST_SETTING = "SLACK_HOST"


class SlackConfigError(Exception):
    """A missing or wrong setting, explained for whoever starts the bot."""


def _number(env: Mapping[str, str], name: str, kind: type = int) -> object:
    try:
        return kind(env[name])
    except ValueError:
        raise SlackConfigError(f"{name} must be a number, not {env[name]!r}.") from None


# Seconds settings: (lowest, highest, default shown in the message). NaN, infinities and
# absurd values are refused by the range (``nan`` fails every comparison).
SECONDS = {
    "SLACK_HTTP_TIMEOUT": (0.1, 600.0, 10),
    "RAPPORT_INBOX_LEASE": (0.1, 3600.0, inbox.LEASE.total_seconds()),
}


def _seconds(env: Mapping[str, str], name: str) -> float:
    low, high, example = SECONDS[name]
    value = float(_number(env, name, float))  # type: ignore[arg-type]
    if not low <= value <= high:
        raise SlackConfigError(
            f"{name} must be a number of seconds from {low:g} to {high:g}, like {example:g} "
            f"(got {env[name]!r})."
        )
    return value


def _port(env: Mapping[str, str], name: str) -> int:
    given = env[name].strip()
    if not given.isdigit() or not 1 <= int(given) <= 65535:
        raise SlackConfigError(
            f"{name}={env[name]!r} is not a port: use a number from 1 to 65535, like 3000."
        )
    return int(given)


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str = DEFAULT_API_URL
    host: str = "0.0.0.0"
    port: int = 3000
    # The work behind an ack mostly waits (on Slack's response_url and Web API, on the
    # disk's fsync), and a waiting thread costs no CPU: with 4, commands queued behind
    # each other's round trips at 200/s (final answer p50 1.5–1.8 s, bench slack).
    workers: int = 16
    queue_limit: int = 1_000
    http_timeout: float = 10.0  # read and idle timeout of an HTTP connection
    max_connections: int = 1_000
    inbox_lease: float = inbox.LEASE.total_seconds()

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> SlackSettings:
        env = os.environ if env is None else env
        values: dict[str, object] = {
            "bot_token": env.get("SLACK_BOT_TOKEN", ""),
            "signing_secret": env.get("SLACK_SIGNING_SECRET") or None,
            "app_token": env.get("SLACK_APP_TOKEN") or None,
            "api_url": env.get("SLACK_API_URL") or DEFAULT_API_URL,
        }
        if env.get("SLACK_HOST"):
            values["host"] = env["SLACK_HOST"]
        numbers = {
            "SLACK_WORKERS": "workers",
            "SLACK_QUEUE_LIMIT": "queue_limit",
            "SLACK_MAX_CONNECTIONS": "max_connections",
        }
        for name, field in numbers.items():
            if env.get(name):
                values[field] = _number(env, name, int)
        seconds = {"SLACK_HTTP_TIMEOUT": "http_timeout", "RAPPORT_INBOX_LEASE": "inbox_lease"}
        for name, field in seconds.items():
            if env.get(name):
                values[field] = _seconds(env, name)
        if env.get("SLACK_PORT") or env.get("PORT"):
            values["port"] = _port(env, "SLACK_PORT" if env.get("SLACK_PORT") else "PORT")
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        settings.check()
        return settings

    def check(self) -> None:
        if not self.bot_token:
            raise SlackConfigError("Set SLACK_BOT_TOKEN (xoxb-…) to run rapport on Slack.")
        if not self.socket_mode and not self.signing_secret:
            raise SlackConfigError(
                "Set SLACK_SIGNING_SECRET for HTTP mode, or SLACK_APP_TOKEN (xapp-…) "
                "for Socket Mode."
            )
        if self.workers < 1 or self.queue_limit < 0 or self.max_connections < 1:
            raise SlackConfigError(
                "SLACK_WORKERS and SLACK_MAX_CONNECTIONS must be at least 1, "
                "SLACK_QUEUE_LIMIT at least 0."
            )
        for name, value in (
            ("SLACK_HTTP_TIMEOUT", self.http_timeout),
            ("RAPPORT_INBOX_LEASE", self.inbox_lease),
        ):
            if not (value > 0 and math.isfinite(value)):
                raise SlackConfigError(f"{name} must be a positive number of seconds.")

    def check_address(self) -> None:
        """In HTTP mode, refuse (one line) an address this process can't listen on: a
        ``SLACK_HOST`` that doesn't resolve, a ``SLACK_PORT`` in use or reserved. Run
        before the store is opened (see ``slack_settings``)."""
        if self.socket_mode:
            return
        try:
            check_listen(self.host, self.port, port_setting=PORT_SETTING, host_setting=HOST_SETTING)
        except ConfigError as e:
            raise SlackConfigError(str(e)) from None


class SlackService:
    """The Slack side of one process: Bolt app, clients, directory, intake and a listener."""

    platform = "slack"

    def __init__(
        self,
        core: Rapport,
        settings: SlackSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.core = core
        self.settings = settings
        self.client = make_client(settings.bot_token, settings.api_url, sleep=sleep)
        self.directory = SlackDirectory(self.client)
        core.directory.register("slack", self.directory)  # Slack members from users.info
        self.sender = SlackSender(self.client)
        self.deliverer = SlackDeliverer(self.sender)
        self.handlers = SlackHandlers(core, self.directory, self.sender, worker=new_id(10))
        lease = timedelta(seconds=settings.inbox_lease)
        self.intake = Intake(
            core,
            self.handlers,
            workers=settings.workers,
            queue_limit=settings.queue_limit,
            lease=lease,
        )
        api = settings.api_url if settings.api_url.endswith("/") else settings.api_url + "/"
        self._identity: AuthorizeResult | None = None

        async def authorize(**_: object) -> AuthorizeResult:
            return await self._authorize()

        self.app: AsyncApp = build_app(
            AsyncWebClient(token=settings.bot_token, base_url=api),
            signing_secret=settings.signing_secret,
            authorize=authorize,
            socket_mode=settings.socket_mode,
        )
        register(self.app, core.families, self.intake.take, self.intake.submit)
        # Extra routes (health, readiness, metrics) served beside /slack/events.
        self.routes: Callable[[web.Application], None] | None = None
        self.runner: web.AppRunner | None = None
        self.site: BoundedSite | None = None
        self.socket = None

    @property
    def serves_http(self) -> bool:
        return not self.settings.socket_mode

    @property
    def url(self) -> str:
        assert self.site is not None, "not serving HTTP mode"
        return f"http://{self.settings.host}:{self.site.port}/slack/events"

    async def _authorize(self) -> AuthorizeResult:
        """The bot's identity for Bolt: ``auth.test`` once, then remembered."""
        if self._identity is None:
            answer = await self.app.client.auth_test()
            self._identity = AuthorizeResult.from_auth_test_response(
                bot_token=self.settings.bot_token, auth_test_response=answer
            )
        return self._identity

    # -- lifecycle -------------------------------------------------------------

    async def start(self, kick: Callable[[], None] | None = None) -> None:
        """Start listening on the running event loop. An address in use raises OSError;
        a token Slack refuses raises ``SlackConfigError``."""
        self.handlers.kick = kick
        # The acks run on the event loop, the core on worker threads: hand the GIL over
        # every millisecond (default 5) so a busy worker never holds up an ack for long.
        sys.setswitchinterval(SWITCH_INTERVAL)
        try:
            await self._authorize()
        except SlackApiError as exc:
            code = error_code(exc)
            if code in ("invalid_auth", "not_authed", "token_revoked", "account_inactive"):
                raise SlackConfigError(
                    f"Slack refused SLACK_BOT_TOKEN ({code}): copy the Bot User OAuth Token again."
                ) from None
            log.warning("Slack: auth.test failed (%s); will try again on the first request", code)
        except Exception as exc:  # Slack unreachable: not ready until it answers
            log.warning("Slack: auth.test failed (%r); will try again on the first request", exc)
        self.intake.start(sweep_every=min(5.0, self.settings.inbox_lease / 2))
        if self.settings.socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self.socket = AsyncSocketModeHandler(self.app, self.settings.app_token)
            await self.socket.connect_async()
            log.info("Slack: connected in Socket Mode")
            return
        front = SlackFront(
            self.app,
            self.settings.signing_secret or "",
            read_timeout=self.settings.http_timeout,
            unreadable=self._unreadable,
        )
        if self.routes is not None:
            self.routes(front.web)
        self.runner = web.AppRunner(
            front.web,
            access_log=None,
            keepalive_timeout=self.settings.http_timeout,
            lingering_time=0,
            handler_cancellation=True,
            logger=OneLineLog(),
        )
        await self.runner.setup()
        self.site = BoundedSite(
            self.runner,
            self.settings.host,
            self.settings.port,
            max_connections=self.settings.max_connections,
        )
        try:
            await self.site.start()
        except OSError as e:
            await self.runner.cleanup()
            self.runner = None
            problem = listen_problem(
                e,
                self.settings.host,
                self.settings.port,
                port_setting=PORT_SETTING,
                host_setting=HOST_SETTING,
            )
            raise SlackConfigError(problem) from e
        log.info("Slack: serving HTTP mode at %s", self.url)

    async def _unreadable(self, body: dict) -> None:
        if self.intake.pool.reserve():
            self.intake.pool.run(self.handlers.unreadable, body)

    async def ready(self) -> str | None:
        """None when Slack is connected (Socket Mode) or served (HTTP mode), else why not."""
        if self.settings.socket_mode:
            client = self.socket.client if self.socket is not None else None
            if client is None or not await client.is_connected():
                return "the Socket Mode connection is down"
            return None
        if self.site is None:
            return "not serving HTTP"
        return None if self._identity is not None else "the Slack Web API has not answered yet"

    async def stop(self) -> None:
        if self.socket is not None:
            await self.socket.close_async()
            self.socket = None
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None
            self.site = None
        await self.intake.stop()
        self.directory.close()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every input taken so far has been answered (tests)."""
        return self.intake.pool.wait_idle(timeout)


def slack_settings(env: Mapping[str, str] | None = None, **overrides: object) -> SlackSettings:
    """Every Slack setting read and checked, the address to listen on included: what
    ``rapport slack`` / ``rapport run`` do before they open the store, so a mistake
    refuses to start with one line and no file or table touched."""
    settings = SlackSettings.from_env(env, **overrides)
    settings.check_address()
    return settings


def build_slack(
    core: Rapport,
    config: Config | None = None,
    env: Mapping[str, str] | None = None,
    *,
    settings: SlackSettings | None = None,
    **overrides: object,
) -> SlackService:
    """The Slack service for ``core``: with ``settings`` checked already (``slack_settings``),
    else configured from the environment (``SLACK_*``)."""
    return SlackService(core, settings or SlackSettings.from_env(env, **overrides))
