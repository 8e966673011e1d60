"""Build and run the Slack adapter.

``build_slack(core, config)`` returns a ``SlackService`` with ``async start()`` /
``async stop()`` and a ``deliverer`` for the outbox, so ``rapport run`` can start
Slack beside other platforms in one process, one store and one scheduler.
``rapport slack`` runs Slack alone. With ``SLACK_APP_TOKEN`` set it connects in
Socket Mode; otherwise it serves HTTP mode on ``--port`` (default 3000).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from slack_bolt import App

from bot.adapters.slack.app import build_app, register
from bot.adapters.slack.client import DEFAULT_API_URL, make_client
from bot.adapters.slack.deliver import SlackDeliverer, SlackSender
from bot.adapters.slack.directory import SlackDirectory
from bot.adapters.slack.handlers import SlackHandlers
from bot.adapters.slack.server import SlackHTTPServer
from bot.adapters.slack.work import Jobs
from bot.config import Config
from bot.core import Rapport

log = logging.getLogger(__name__)


class SlackConfigError(Exception):
    """A missing or wrong setting, explained for whoever starts the bot."""


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str = DEFAULT_API_URL
    host: str = "0.0.0.0"
    port: int = 3000
    workers: int = 4
    queue_limit: int = 10_000

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
        if env.get("SLACK_WORKERS"):
            values["workers"] = max(1, int(env["SLACK_WORKERS"]))
        if env.get("SLACK_PORT") or env.get("PORT"):
            values["port"] = int(env.get("SLACK_PORT") or env["PORT"])
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


class SlackService:
    """The Slack side of one process: Bolt app, client, directory, jobs and a listener."""

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
        self.directory = SlackDirectory(self.client, fallback=core.directory)
        core.directory = self.directory  # Slack members from users.info, others as before
        self.sender = SlackSender(self.client)
        self.deliverer = SlackDeliverer(self.sender)
        self.jobs = Jobs(settings.workers, settings.queue_limit)
        self.handlers = SlackHandlers(core, self.directory, self.sender)
        self.app: App = build_app(
            self.client, signing_secret=settings.signing_secret, socket_mode=settings.socket_mode
        )
        register(self.app, core.families, self.jobs, self.handlers)
        self.http: SlackHTTPServer | None = None
        self.socket = None

    # -- lifecycle -------------------------------------------------------------

    def start_now(self, kick: Callable[[], None] | None = None) -> None:
        """Start listening (threads only; safe outside an event loop)."""
        self.handlers.kick = kick
        if self.settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            self.socket = SocketModeHandler(self.app, self.settings.app_token)
            self.socket.connect()
            log.info("Slack: connected in Socket Mode")
        else:
            self.http = SlackHTTPServer(self.app, host=self.settings.host, port=self.settings.port)
            self.http.start()
            log.info("Slack: serving HTTP mode at %s", self.http.url)

    def stop_now(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None
        if self.http is not None:
            self.http.stop()
            self.http = None
        self.jobs.stop()
        self.directory.close()

    async def start(self, kick: Callable[[], None] | None = None) -> None:
        await asyncio.to_thread(self.start_now, kick)

    async def stop(self) -> None:
        await asyncio.to_thread(self.stop_now)


def build_slack(
    core: Rapport, config: Config | None = None, env: Mapping[str, str] | None = None, **overrides
) -> SlackService:
    """The Slack service for ``core``, configured from the environment (``SLACK_*``)."""
    return SlackService(core, SlackSettings.from_env(env, **overrides))
