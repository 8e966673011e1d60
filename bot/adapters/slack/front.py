"""HTTP mode's front door: aiohttp in front of Bolt's ``AsyncApp``, hardened.

Order of checks on ``POST /slack/events``, each refusal short and without a traceback:
1. ``Content-Length`` must be given and at most 1 MiB (413 before a byte of the body is
   read, and the connection closed); a malformed one never gets here — aiohttp's parser
   answers 400 and closes;
2. without a well-formed signature and timestamp: 401, body unread;
3. the body is read within the read timeout (408 otherwise) and its signature verified
   over its bytes (401) before anything decodes or parses it;
4. only then is it decoded and parsed: not UTF-8, malformed form or JSON, a missing
   field or one of a type Slack never sends (``translate.read_body``): 400 (a signed
   command or press that can be answered is told "I couldn't read that");
5. Bolt dispatches the body as read here to the listeners (``app.py``).

Connections are bounded (``max_connections``; more are closed at once) and a connection
that sends no complete request within the idle timeout is closed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot import metrics
from bot.adapters.slack import translate

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_BODY = 1 << 20  # Slack's payloads are far smaller


def _refuse(status: int, reason: str, *, close: bool = False) -> web.Response:
    response = web.json_response({"error": reason}, status=status)
    if close:
        response.force_close()
    return response


class SlackFront:
    """The aiohttp application serving one Bolt ``AsyncApp`` (plus any extra routes)."""

    def __init__(
        self,
        app: AsyncApp,
        signing_secret: str,
        *,
        read_timeout: float = 10.0,
        unreadable: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
    ) -> None:
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)
        self.read_timeout = read_timeout
        self.unreadable = unreadable  # told about a signed request we could not read
        self.web = web.Application(client_max_size=MAX_BODY)
        self.web.router.add_post(EVENTS_PATH, self.events)

    async def events(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        response = await self._events(request)
        metrics.ACK_SECONDS.labels(translate.PLATFORM).observe(time.perf_counter() - started)
        return response

    async def _events(self, request: web.Request) -> web.StreamResponse:
        length = request.content_length
        if length is None:
            return _refuse(400, "Content-Length required", close=True)
        if length > MAX_BODY:
            return _refuse(413, "body too large", close=True)
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not (timestamp.isascii() and timestamp.isdigit()) or not signature.startswith("v0="):
            return _refuse(401, "invalid request", close=True)
        try:
            raw = await asyncio.wait_for(request.read(), self.read_timeout)
        except TimeoutError:
            return _refuse(408, "request body too slow", close=True)
        if not self.signed(raw, timestamp, signature):
            return _refuse(401, "invalid request")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            log.info("refused a signed Slack request: the body is not UTF-8")
            return _refuse(400, "body is not UTF-8")
        body, problem = translate.read_body(text, request.content_type)
        if problem is not None or body is None:
            log.info("refused a signed Slack request: %s", problem)
            if body and self.unreadable is not None:
                await self.unreadable(body)
            return _refuse(400, problem or "unreadable")
        # Bolt gets the body as read and checked here, not its own reading of the text:
        # it guesses a form's kind from its characters (one whose text says "payload"
        # anywhere is read as an empty interactive payload). Its raw text stays the
        # request's, for Bolt's own signature check.
        bolt = AsyncBoltRequest(
            body=body,
            query=request.query_string,
            headers=dict(request.headers.items()),
            mode="socket_mode",  # the only way to hand Bolt a parsed body
        )
        bolt.raw_body, bolt.mode = text, "http"
        return await to_aiohttp_response(await self.app.async_dispatch(bolt))

    def signed(self, raw: bytes, timestamp: str, signature: str) -> bool:
        """slack_sdk's check of the ``v0`` signature and its age; a body that is not
        UTF-8, or a signature with other than ASCII in it, is simply not signed (the
        verifier decodes and compares text, and would raise)."""
        try:
            return self.verifier.is_valid(raw, timestamp, signature)
        except (UnicodeDecodeError, TypeError):
            return False


class OneLineLog(logging.LoggerAdapter):
    """aiohttp's server log without tracebacks: a malformed request (bad
    ``Content-Length``, garbage) is the client's mistake, worth one line at INFO."""

    def __init__(self) -> None:
        super().__init__(logging.getLogger("aiohttp.server"), {})

    def exception(self, msg: object, *args: Any, exc_info: Any = True, **kw: Any) -> None:
        error = exc_info if isinstance(exc_info, BaseException) else None
        said = " ".join(str(error).split())[:200] if error is not None else ""
        self.logger.info("%s: %s %s", msg % args if args else msg, type(error).__name__, said)


class BoundedSite(web.TCPSite):
    """A TCP site that closes connections beyond ``max_connections`` at once."""

    def __init__(self, runner: web.AppRunner, host: str, port: int, *, max_connections: int):
        super().__init__(runner, host, port, backlog=512)
        self.max_connections = max_connections
        self.refused = 0

    async def start(self) -> None:
        await web.BaseSite.start(self)
        server = self._runner.server
        assert server is not None
        limit = self.max_connections

        def factory() -> asyncio.Protocol:
            if len(server.connections) >= limit:
                self.refused += 1
                return _Closer()
            return server()

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            factory, self._host, self._port, backlog=self._backlog, reuse_address=True
        )

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])


class _Closer(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.close()
