"""One Web API client with retry handlers, and what a Slack error means for the outbox.

slack-sdk retries only connection errors by default; a 429 must be handled
explicitly. A short ``Retry-After`` is waited out in place (the SDK's
``RateLimitErrorRetryHandler``); a long one is handed back to the outbox as
``Retry(after=…)`` so no thread sleeps for a minute. Permanent errors become the
reason codes the core explains to people (``dms_closed``, ``user_gone``,
``channel_gone``).
"""

from __future__ import annotations

import logging
import random
import time
import urllib.error
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.webhook import WebhookClient

from bot import metrics
from bot.outbox import Failed, Retry

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
TIMEOUT = 10

DMS_CLOSED = {"cannot_dm_bot", "messages_tab_disabled", "user_is_restricted"}
USER_GONE = {
    "user_not_found",
    "users_not_found",
    "account_inactive",
    "user_disabled",
    "user_not_visible",
}
CHANNEL_GONE = {"channel_not_found", "is_archived", "not_in_channel", "channel_is_archived"}
# The message itself is wrong: sending it again cannot help.
REJECTED = {
    "invalid_blocks",
    "invalid_blocks_format",
    "msg_too_long",
    "no_text",
    "too_many_attachments",
    "invalid_arguments",
    "invalid_arg_name",
    "invalid_array_arg",
}


def retry_after(headers: Mapping[str, Any]) -> float | None:
    """``Retry-After`` in seconds from any header mapping (values may be lists)."""
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, (list, tuple)) and value else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                return None
    return None


class RateLimitRetry(RateLimitErrorRetryHandler):
    """The SDK's 429 handler, waiting in place only for a short ``Retry-After``.

    ``sleep`` is injectable so tests never really wait.
    """

    def __init__(
        self,
        max_retry_count: int = 2,
        *,
        max_wait: float = 3.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait
        self.sleep = sleep

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        metrics.RATE_LIMITED.labels("slack").inc()
        wait = retry_after(response.headers)
        return wait is None or wait <= self.max_wait

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        wait = retry_after(response.headers) if response is not None else None
        self.sleep((1.0 if wait is None else wait) + random.random() * 0.2)
        state.increment_current_attempt()


def retry_handlers(sleep: Callable[[float], None] = time.sleep) -> list[RetryHandler]:
    connection = ConnectionErrorRetryHandler(max_retry_count=1)
    return [connection, RateLimitRetry(sleep=sleep)]


def make_client(
    token: str | None,
    base_url: str | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> WebClient:
    """The one Web API client of a process (``base_url`` points it at any Slack-compatible API)."""
    url = base_url or DEFAULT_API_URL
    if not url.endswith("/"):
        url += "/"  # the SDK joins method names onto the URL
    return WebClient(
        token=token, base_url=url, timeout=TIMEOUT, retry_handlers=retry_handlers(sleep)
    )


def webhook(url: str, client: WebClient) -> WebhookClient:
    """A client for one ``response_url``, with the same retry handlers as ``client``."""
    return WebhookClient(url=url, timeout=TIMEOUT, retry_handlers=client.retry_handlers)


def error_code(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        data = exc.response.data if isinstance(exc.response.data, dict) else {}
        return str(data.get("error") or f"http_{exc.response.status_code}")
    return type(exc).__name__


def classify(exc: BaseException, *, dm: bool) -> Retry | Failed:
    """What an exception from the Web API means for one delivery."""
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        code = error_code(exc)
        if status == 429 or code == "ratelimited":
            return Retry("rate_limited", after=retry_after(exc.response.headers or {}))
        if code in USER_GONE:
            return Failed("user_gone")
        if code in DMS_CLOSED or (dm and code == "restricted_action"):
            return Failed("dms_closed")
        if code in CHANNEL_GONE or code == "restricted_action":
            return Failed("channel_gone")
        if code in REJECTED:
            return Failed(f"rejected: {code}")
        if code in ("invalid_auth", "not_authed", "token_revoked", "missing_scope"):
            log.error("Slack refused our token (%s): check SLACK_BOT_TOKEN and the scopes", code)
        return Retry(f"slack: {code}")
    if isinstance(exc, (urllib.error.URLError, TimeoutError, ConnectionError, OSError)):
        return Retry(f"network: {type(exc).__name__}")
    return Retry(f"{type(exc).__name__}: {exc}")
