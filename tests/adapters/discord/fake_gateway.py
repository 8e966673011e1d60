"""A fake Discord gateway on 127.0.0.1: the websocket discord.py keeps open to Discord.

It speaks gateway v10 with JSON encoding, and with ``compress=zlib-stream`` when the
client asks for it (discord.py does by default): one zlib stream per connection, every
message ending with the ``Z_SYNC_FLUSH`` suffix ``00 00 ff ff``. What it does:

- HELLO (op 10) on connect; heartbeats (op 1) are ACKed (op 11);
- IDENTIFY (op 2) with the fake's token → READY (``session_id``, ``resume_gateway_url``,
  the bot user, the application, the shard's guilds as unavailable), then a GUILD_CREATE
  for each of those guilds; a wrong token is closed with 4004, as Discord does;
- RESUME (op 6) of a known session → the events the client missed, then RESUMED; of an
  unknown or invalidated one → INVALID_SESSION (op 9, not resumable);
- ``dispatch(event, data)`` sends a DISPATCH (op 0) to the sessions that should get it,
  ``reconnect(session)`` asks a client to reconnect (op 7), ``invalidate(session)``
  ends a session (op 9).

It runs its own event loop in a thread, like the fake REST API beside it, so a test
can drive rapport in-process or as a real ``rapport discord`` subprocess alike. The
fake REST API's ``GET /gateway/bot`` answers with ``url`` (set ``api.gateway = ...``).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import WSMsgType, web

from tests.adapters.discord.fake_api import APP_ID, TOKEN, bot_user
from tests.adapters.discord.payloads import CHANNEL, GUILD

T = TypeVar("T")

# Gateway opcodes
DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
RESUME = 6
RECONNECT = 7
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11
AUTHENTICATION_FAILED = 4004
ZLIB_SUFFIX = b"\x00\x00\xff\xff"


@dataclass
class Session:
    """One IDENTIFY's session: what a RESUME picks up again."""

    id: str
    shard: tuple[int, int]  # (shard id, shard count); (0, 1) when the client sent none
    identify: dict[str, Any]
    seq: int = 0
    sent: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # for RESUME
    conn: Connection | None = None
    valid: bool = True
    resumes: int = 0

    def owns(self, guild: str | None) -> bool:
        """Whether Discord would send this guild's events to this session's shard."""
        shard, count = self.shard
        return guild is None or (int(guild) >> 22) % count == shard


@dataclass
class Connection:
    ws: web.WebSocketResponse
    query: dict[str, str]
    zlib: Any = None  # a compressobj when the client asked for zlib-stream
    session: Session | None = None

    async def send(self, payload: dict[str, Any]) -> None:
        raw = json.dumps(payload).encode()
        if self.zlib is None:
            await self.ws.send_str(raw.decode())
            return
        data = self.zlib.compress(raw) + self.zlib.flush(zlib.Z_SYNC_FLUSH)
        assert data.endswith(ZLIB_SUFFIX)
        await self.ws.send_bytes(data)


class FakeGateway:
    """The fake gateway; ``url`` is what ``GET /gateway/bot`` hands discord.py."""

    def __init__(self, *, guilds: tuple[str, ...] = (GUILD,), heartbeat_ms: int = 41_250) -> None:
        self.guilds = guilds
        self.heartbeat_ms = heartbeat_ms
        self.sessions: list[Session] = []  # every IDENTIFY, in order
        self.connections: list[Connection] = []  # every websocket opened, in order
        self.heartbeats = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/"

    def start(self) -> FakeGateway:
        self._thread.start()
        self._call(self._start())
        return self

    def stop(self) -> None:
        self._call(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    # -- what a test does ------------------------------------------------------

    def live(self) -> list[Session]:
        """Sessions with an open websocket, in the order they identified."""
        with self._lock:
            return [s for s in self.sessions if s.valid and s.conn is not None]

    def dispatch(
        self, event: str, data: dict[str, Any], *, to: list[Session] | None = None
    ) -> list[Session]:
        """Send ``event`` to ``to``, else to every live session whose shard owns its guild."""
        guild = data.get("guild_id")
        targets = to if to is not None else [s for s in self.live() if s.owns(guild)]
        for session in targets:
            self._call(self._dispatch(session, event, data))
        return targets

    def interaction(self, payload: dict[str, Any], *, to: list[Session] | None = None) -> None:
        """An INTERACTION_CREATE; it must reach at least one session."""
        sent = self.dispatch("INTERACTION_CREATE", payload, to=to)
        assert sent, "no live gateway session to send the interaction to"

    def reconnect(self, session: Session) -> None:
        """Ask the client to reconnect (op 7): it should RESUME on ``resume_gateway_url``."""
        self._call(self._send_op(session, RECONNECT, None))

    def invalidate(self, session: Session) -> None:
        """End the session (op 9, not resumable): the client must IDENTIFY again."""
        session.valid = False
        self._call(self._send_op(session, INVALID_SESSION, False))

    def wait(self, check: Callable[[], T], timeout: float = 10.0, what: str = "") -> T:
        """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = check()
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what or check}")
            time.sleep(0.05)

    def wait_sessions(self, n: int, timeout: float = 10.0) -> list[Session]:
        """Wait for ``n`` live sessions; the READY of each has been sent."""
        return self.wait(
            lambda: (lambda s: s if len(s) >= n else None)(self.live()),
            timeout,
            f"{n} live gateway session(s)",
        )

    # -- the server --------------------------------------------------------------

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._serve)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _stop(self) -> None:
        for conn in list(self.connections):
            await conn.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _serve(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        query = dict(request.query)
        conn = Connection(ws, query)
        with self._lock:
            self.connections.append(conn)
        if query.get("compress") == "zlib-stream":
            conn.zlib = zlib.compressobj()
        elif query.get("compress"):
            await ws.close(code=4000, message=b"unsupported compression")
            return ws
        await conn.send({"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_ms}})
        try:
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                payload = json.loads(msg.data)
                await self._receive(conn, payload["op"], payload.get("d"))
        finally:
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
        return ws

    async def _receive(self, conn: Connection, op: int, data: Any) -> None:
        if op == HEARTBEAT:
            with self._lock:
                self.heartbeats += 1
            await conn.send({"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(conn, data)
        elif op == RESUME:
            await self._resume(conn, data)

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        if data.get("token") != TOKEN:
            await conn.ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        shard = tuple(data.get("shard") or (0, 1))
        session = Session(uuid.uuid4().hex, (int(shard[0]), int(shard[1])), data, conn=conn)
        conn.session = session
        with self._lock:
            self.sessions.append(session)
        mine = [g for g in self.guilds if session.owns(g)]
        await self._dispatch(
            session,
            "READY",
            {
                "v": 10,
                "user": bot_user(),
                "guilds": [{"id": g, "unavailable": True} for g in mine],
                "session_id": session.id,
                "resume_gateway_url": self.url,
                "shard": list(session.shard),
                "application": {"id": APP_ID, "flags": 0},
            },
        )
        for g in mine:
            await self._dispatch(session, "GUILD_CREATE", guild_payload(g))

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        with self._lock:
            session = next((s for s in self.sessions if s.id == data.get("session_id")), None)
        if session is None or not session.valid or data.get("token") != TOKEN:
            await conn.send({"op": INVALID_SESSION, "d": False})
            return
        session.conn = conn
        session.resumes += 1
        conn.session = session
        missed = [p for s, p in session.sent if s > int(data.get("seq") or 0)]
        for payload in missed:
            await conn.send(payload)
        await self._dispatch(session, "RESUMED", {})

    async def _dispatch(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.sent.append((session.seq, payload))
        if session.conn is not None:
            await session.conn.send(payload)

    async def _send_op(self, session: Session, op: int, data: Any) -> None:
        if session.conn is not None:
            await session.conn.send({"op": op, "d": data})


def guild_payload(guild: str, name: str = "Job Seekers") -> dict[str, Any]:
    """A GUILD_CREATE as a bot without privileged intents gets it."""
    return {
        "id": guild,
        "name": name,
        "icon": None,
        "owner_id": "800000000000000001",
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "features": [],
        "roles": [
            {
                "id": guild,
                "name": "@everyone",
                "permissions": str((1 << 10) | (1 << 11)),
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
        ],
        "emojis": [],
        "stickers": [],
        "member_count": 3,
        "large": False,
        "unavailable": False,
        "joined_at": "2026-01-01T00:00:00+00:00",
        "channels": [
            {
                "id": CHANNEL,
                "type": 0,
                "guild_id": guild,
                "name": "general",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            }
        ],
        "threads": [],
        "members": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }
