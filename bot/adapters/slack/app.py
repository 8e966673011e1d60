"""Wiring a Bolt ``AsyncApp``: one ``register`` function per kind of listener.

Every listener does the same two things, on the event loop: hand the payload to the
``Intake`` (which records it durably and schedules the work on a bounded pool) and
``ack()`` — a command with "one moment…" (the answer replaces it), a press plainly, or
either with "busy, try again" when the pool is full or the store can't record it.
``process_before_response=True`` makes Bolt answer as soon as the listener returns (no
polling for the ack), which is right because the listener never does more than record
and schedule.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import text as t
from bot.adapters.slack.render import FORM_CALLBACK

ANY_ACTION = re.compile(r".+")

# kind ("command", "press", "home"), Slack body -> None (plain ack) or the text to ack with
Take = Callable[[str, dict[str, Any]], Awaitable[str | None]]
# a view_submission body -> None (plain ack: the modal closes) or the ack's fields
Submit = Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]]


def build_app(
    client: AsyncWebClient,
    *,
    signing_secret: str | None,
    authorize: Callable[..., Awaitable[AuthorizeResult]],
    socket_mode: bool = False,
) -> AsyncApp:
    """A Bolt app on our client. HTTP mode verifies signatures (401 when bad or stale).

    ``authorize`` gives the bot's identity, learned once at start (``auth.test``), so no
    acknowledgement ever waits for the Web API."""
    _quiet_token_warnings()
    return _app(client, signing_secret, authorize, socket_mode)


class _KnownTokenWarnings(logging.Filter):
    """Drops Bolt's two warnings that ``token`` is unused. Bolt reads SLACK_BOT_TOKEN from
    the environment by itself (a ``token=None`` can't say "none"), so it warns on every
    start that the ``client`` and ``authorize`` we give win over it: which is what we
    mean. Only these two messages are dropped; every other Bolt warning goes through."""

    def __init__(self) -> None:
        super().__init__()
        from slack_bolt.logger import messages

        self.known = {
            messages.warning_client_prioritized_and_token_skipped(),
            messages.warning_token_skipped(),
        }

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.known


def _quiet_token_warnings() -> None:
    """Install the filter on Bolt's app logger, once. (Lowering the logger's level does
    not hold: Bolt sets it back to the root logger's level when it fetches the logger.)"""
    from slack_bolt.logger import get_bolt_logger

    bolt_log = get_bolt_logger(AsyncApp)
    if not any(isinstance(f, _KnownTokenWarnings) for f in bolt_log.filters):
        bolt_log.addFilter(_KnownTokenWarnings())


def _app(
    client: AsyncWebClient,
    signing_secret: str | None,
    authorize: Callable[..., Awaitable[AuthorizeResult]],
    socket_mode: bool,
) -> AsyncApp:
    return AsyncApp(
        client=client,
        authorize=authorize,
        signing_secret=signing_secret or "",
        process_before_response=True,
        request_verification_enabled=not socket_mode,
        name="rapport",
    )


def register_commands(app: AsyncApp, commands: Iterable[str], take: Take) -> None:
    """One slash command per command family (``/intro`` → family ``intro``)."""

    async def on_command(ack: AsyncAck, body: dict[str, Any]) -> None:
        said = await take("command", body)
        # "One moment…" is the message the answer then replaces in place (see handlers)
        await ack(text=said or t.WORKING, response_type="ephemeral")

    for name in commands:
        app.command(f"/{name}")(on_command)


def register_actions(app: AsyncApp, take: Take) -> None:
    """Every Block Kit button we render; the core checks who may press it."""

    async def on_action(ack: AsyncAck, body: dict[str, Any]) -> None:
        await take("press", body)  # a refused press can only be pressed again
        await ack()

    app.action(ANY_ACTION)(on_action)


def register_events(app: AsyncApp, take: Take) -> None:
    """App Home: publish the home tab when someone opens it."""

    async def on_home_opened(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await take("home", body)

    app.event("app_home_opened")(on_home_opened)


def register_views(app: AsyncApp, submit: Submit) -> None:
    """Our modals' submissions: judged before the ack, which carries field errors."""

    async def on_submission(ack: AsyncAck, body: dict[str, Any]) -> None:
        answer = await submit(body)
        if answer:
            await ack(**answer)
        else:
            await ack()

    app.view(FORM_CALLBACK)(on_submission)


def register(app: AsyncApp, commands: Iterable[str], take: Take, submit: Submit) -> AsyncApp:
    """Everything rapport listens to on Slack."""
    register_commands(app, commands, take)
    register_actions(app, take)
    register_events(app, take)
    register_views(app, submit)
    return app
