"""Wiring a Bolt ``App``: one ``register`` function per kind of listener.

Every listener does the same two things: hand the payload to a ``Jobs`` thread
and ``ack()``. ``process_before_response=True`` makes Bolt run the listener on
the request itself (no executor hop, no 10 ms polling for the ack), which is
safe because the listener never does more than queue work.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.adapters.slack import text as t
from bot.adapters.slack.handlers import SlackHandlers
from bot.adapters.slack.work import Jobs

log = logging.getLogger(__name__)

ANY_ACTION = re.compile(r".+")


def build_app(client: WebClient, *, signing_secret: str | None, socket_mode: bool = False) -> App:
    """A Bolt app on our one client. HTTP mode verifies signatures (401 when bad or stale)."""
    return App(
        client=client,
        signing_secret=signing_secret or "",
        process_before_response=True,
        request_verification_enabled=not socket_mode,
        token_verification_enabled=True,
        name="rapport",
    )


def register_commands(
    app: App, commands: Iterable[str], jobs: Jobs, handlers: SlackHandlers
) -> None:
    """One slash command per command family (``/intro`` → family ``intro``)."""

    def on_command(ack: Ack, body: dict[str, Any]) -> None:
        if jobs.submit(lambda: handlers.command(body)):
            ack()
        else:
            ack(text=t.BUSY, response_type="ephemeral")

    for name in commands:
        app.command(f"/{name}")(on_command)


def register_actions(app: App, jobs: Jobs, handlers: SlackHandlers) -> None:
    """Every Block Kit button we render; the core checks who may press it."""

    def on_action(ack: Ack, body: dict[str, Any]) -> None:
        if not jobs.submit(lambda: handlers.action(body)):
            log.warning("busy: a button press was refused; the user can press again")
        ack()

    app.action(ANY_ACTION)(on_action)


def register_events(app: App, jobs: Jobs, handlers: SlackHandlers) -> None:
    """App Home: publish the home tab when someone opens it."""

    def on_home_opened(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        jobs.submit(lambda: handlers.home_opened(body))

    app.event("app_home_opened")(on_home_opened)


def register(app: App, commands: Iterable[str], jobs: Jobs, handlers: SlackHandlers) -> App:
    """Everything rapport listens to on Slack."""
    register_commands(app, commands, jobs, handlers)
    register_actions(app, jobs, handlers)
    register_events(app, jobs, handlers)
    return app
