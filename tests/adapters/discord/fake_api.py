"""A fake Discord REST API on 127.0.0.1 for discord.py to talk to.

It answers the calls rapport makes (login, ``GET /gateway/bot`` with the fake
gateway's address, command sync, interaction callbacks and
follow-ups, DMs, channel messages, private threads), records every request, and can
be told to answer like Discord does when things go wrong: 403 with code 50007 for a
user whose DMs are closed, 429 with ``retry_after`` for a rate limit. It runs in its
own thread with a stdlib server, so the test's event loop only holds discord.py's
own tasks.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

APP_ID = "900000000000000001"
BOT_ID = "900000000000000002"
TOKEN = "fake-token"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any  # the JSON body, or a multipart's ``payload_json``
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = 0

    @property
    def kind(self) -> str:
        """A short name for the endpoint, e.g. ``channel_message`` or ``callback``."""
        for name, (method, pattern) in ROUTES.items():
            if method == self.method and re.fullmatch(pattern, self.path):
                return name
        return "other"


ROUTES: dict[str, tuple[str, str]] = {
    "me": ("GET", r"/users/@me"),
    "gateway": ("GET", r"/gateway/bot"),
    "app": ("GET", r"/oauth2/applications/@me"),
    "sync": ("PUT", r"/applications/\d+(/guilds/\d+)?/commands"),
    "callback": ("POST", r"/interactions/\d+/[^/]+/callback"),
    "followup": ("POST", r"/webhooks/\d+/[^/]+"),
    "edit_original": ("PATCH", r"/webhooks/\d+/[^/]+/messages/@original"),
    "open_dm": ("POST", r"/users/@me/channels"),
    "channel_message": ("POST", r"/channels/\d+/messages"),
    "history": ("GET", r"/channels/\d+/messages"),
    "thread": ("POST", r"/channels/\d+/threads"),
    "thread_member": ("PUT", r"/channels/\d+/thread-members/\d+"),
}


CALLBACK_KINDS = {
    4: "reply",
    5: "defer",
    6: "defer_update",
    7: "update",
    8: "choices",
    9: "modal",
}


@dataclass
class Answer:
    """One answer to an interaction: ``reply``, ``defer``, ``update``, ``followup``, ``edit``…"""

    kind: str
    data: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def content(self) -> str:
        text = self.data.get("content") or ""
        for embed in self.data.get("embeds") or []:
            text += embed.get("description") or ""
        return text

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags") or 0) & 64)

    @property
    def labels(self) -> list[str]:
        rows = self.data.get("components") or []
        return [c.get("label") for row in rows for c in row.get("components", [])]


@dataclass
class Rule:
    """Answer matching requests with an error, ``times`` times (None: always)."""

    method: str
    path: str
    status: int
    body: dict[str, Any]
    times: int | None = 1
    headers: dict[str, str] = field(default_factory=dict)


class FakeDiscord:
    """The fake API; ``url`` is what ``discord.http.Route.BASE`` should be."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.rules: list[Rule] = []
        self.closed_dms: set[str] = set()
        self.gone_users: set[str] = set()
        self.dm_channels: dict[str, str] = {}  # channel id -> user id
        self.threads: list[dict[str, Any]] = []  # private threads opened, in order
        self.messages: dict[str, dict[str, Any]] = {}  # message id -> message
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.gateway = "ws://127.0.0.1:9/"  # what GET /gateway/bot answers: a FakeGateway's url
        self.shards = 1  # and the shard count it recommends
        self.on_request: Callable[[Request], None] | None = None  # called after each answer
        self._ids = itertools.count(1_200_000_000_000_000_000)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/v10"

    def start(self) -> FakeDiscord:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- shaping answers -------------------------------------------------------

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        body: dict[str, Any],
        *,
        times: int | None = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.rules.append(Rule(method, path, status, body, times, headers or {}))

    def rate_limit(self, method: str, path: str, retry_after: float, *, times: int = 1) -> None:
        """A 429 as Discord sends it (discord.py needs ``Via`` to tell it from a Cloudflare ban)."""
        self.fail(
            method,
            path,
            429,
            {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
            times=times,
            headers={
                "Via": "1.1 google",
                "Retry-After": str(max(1, int(retry_after))),
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": str(retry_after),
                "X-RateLimit-Bucket": "fakebucket",
                "X-RateLimit-Scope": "user",
            },
        )

    # -- reading what was sent -------------------------------------------------

    def of(self, kind: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.kind == kind]

    def sent(self) -> list[Request]:
        """Every request that carried message content (sends, edits, callbacks, follow-ups)."""
        kinds = {"callback", "followup", "edit_original", "channel_message"}
        with self._lock:
            return [r for r in self.requests if r.kind in kinds and r.status < 300]

    def answers(self) -> list[Answer]:
        """What interactions were answered with, in order (callbacks, follow-ups, edits)."""
        out = []
        for r in self.sent():
            if r.kind == "callback":
                kind = CALLBACK_KINDS.get(int(r.body.get("type", 0)), "other")
                out.append(Answer(kind, r.body.get("data") or {}, r.files))
            elif r.kind == "followup":
                out.append(Answer("followup", r.body or {}, r.files))
            elif r.kind == "edit_original":
                out.append(Answer("edit", r.body or {}, r.files))
        return out

    def last_answer(self) -> Answer:
        found = [a for a in self.answers() if a.kind not in ("defer", "defer_update")]
        assert found, "the interaction was not answered"
        return found[-1]

    def dms_to(self, user: str) -> list[dict[str, Any]]:
        """Messages delivered into the DM channel of ``user``."""
        channels = {c for c, u in self.dm_channels.items() if u == user}
        return [
            m
            for m in self.messages.values()
            if m["channel_id"] in channels and not m.get("_interaction")
        ]

    def in_channel(self, channel: str) -> list[dict[str, Any]]:
        return [m for m in self.messages.values() if m["channel_id"] == channel]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- answering -------------------------------------------------------------

    def next_id(self) -> str:
        with self._lock:
            return str(next(self._ids))

    def answer(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            for rule in self.rules:
                if rule.method == req.method and re.fullmatch(rule.path, req.path):
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            self.rules.remove(rule)
                    return rule.status, rule.body, rule.headers
        handler = getattr(self, f"_on_{req.kind}", None)
        if handler is None:
            return 404, {"message": "404: Not Found", "code": 0}, {}
        return handler(req)

    def _on_me(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        return 200, bot_user(), {}

    def _on_gateway(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return 200, {"url": self.gateway, "shards": self.shards, "session_start_limit": limit}, {}

    def _on_app(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        return (
            200,
            {
                "id": APP_ID,
                "name": "rapport",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": user_payload("900000000000000003", "owner"),
                "verify_key": "0" * 64,
                "flags": 0,
            },
            {},
        )

    def _on_sync(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        out = []
        for cmd in req.body or []:
            out.append({**cmd, "id": self.next_id(), "application_id": APP_ID, "version": "1"})
        self.commands[req.path] = out
        return 200, out, {}

    def _on_callback(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        interaction_id = req.path.split("/")[2]
        kind = int(req.body.get("type", 0))
        data = req.body.get("data") or {}
        answer: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(int(data.get("flags") or 0) & 64),
            }
        }
        if kind in (4, 5, 7):
            message = self._message(
                "0", data, interaction=True, flags=int(data.get("flags") or 0), files=req.files
            )
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        return 200, answer, {}

    def _on_followup(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        flags = int(req.body.get("flags") or 0)
        return 200, self._message("0", req.body, interaction=True, flags=flags), {}

    def _on_edit_original(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        return 200, self._message("0", req.body, interaction=True), {}

    def _on_open_dm(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        user = str(req.body["recipient_id"])
        if user in self.gone_users:
            return 404, {"message": "Unknown User", "code": 10013}, {}
        channel = next((c for c, u in self.dm_channels.items() if u == user), None)
        if channel is None:
            channel = self.next_id()
            self.dm_channels[channel] = user
        payload = {"id": channel, "type": 1, "last_message_id": None}
        payload["recipients"] = [user_payload(user, f"user{user[-4:]}")]
        return 200, payload, {}

    def _on_channel_message(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        channel = req.path.split("/")[2]
        if self.dm_channels.get(channel) in self.closed_dms:
            return 403, {"message": "Cannot send messages to this user", "code": 50007}, {}
        return 200, self._message(channel, req.body, files=req.files), {}

    def _on_history(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        channel = req.path.split("/")[2]
        found = [m for m in self.messages.values() if m["channel_id"] == channel]
        return 200, list(reversed(found))[: int(req.query.get("limit", ["50"])[0])], {}

    def _on_thread(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        parent = req.path.split("/")[2]
        thread = {
            "id": self.next_id(),
            "type": int(req.body.get("type", 12)),
            "guild_id": "0",
            "parent_id": parent,
            "owner_id": BOT_ID,
            "name": req.body.get("name"),
            "last_message_id": None,
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": req.body.get("auto_archive_duration", 10080),
                "archive_timestamp": "2026-12-01T09:00:00+00:00",
                "locked": False,
                "invitable": bool(req.body.get("invitable", True)),
            },
        }
        with self._lock:
            self.threads.append(thread)
        return 201, thread, {}

    def _on_thread_member(self, req: Request) -> tuple[int, Any, dict[str, str]]:
        return 204, None, {}

    def _message(
        self,
        channel: str,
        body: dict[str, Any],
        *,
        interaction: bool = False,
        flags: int = 0,
        files: dict[str, bytes] | None = None,
    ) -> dict[str, Any]:
        message = {
            "id": self.next_id(),
            "channel_id": channel,
            "author": bot_user(),
            "content": body.get("content") or "",
            "timestamp": "2026-12-01T09:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [
                {
                    "id": self.next_id(),
                    "filename": name,
                    "size": len(content),
                    "url": "http://127.0.0.1/a",
                    "proxy_url": "http://127.0.0.1/a",
                }
                for name, content in (files or {}).items()
            ],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": flags,
        }
        with self._lock:
            self.messages[message["id"]] = {**message, "_interaction": interaction}
        return message


def bot_user() -> dict[str, Any]:
    return {**user_payload(BOT_ID, "rapport"), "bot": True}


def user_payload(id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": id,
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


def _handler(fake: FakeDiscord) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path.removeprefix("/api/v10")
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body, files = _parse_body(self.headers.get("Content-Type", ""), raw)
            req = Request(self.command, path, parse_qs(parts.query), body, files)
            status, answer, headers = fake.answer(req)
            req.status = status
            with fake._lock:
                fake.requests.append(req)
            if fake.on_request is not None:
                fake.on_request(req)
            data = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            if answer is not None:
                self.send_header("Content-Type", "application/json")
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    return Handler


def _parse_body(content_type: str, raw: bytes) -> tuple[Any, dict[str, bytes]]:
    if not raw:
        return None, {}
    if content_type.startswith("multipart/"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
        body: Any = None
        files: dict[str, bytes] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if name == "payload_json":
                body = json.loads(payload)
            else:
                files[part.get_filename() or str(name)] = payload
        return body, files
    return json.loads(raw), {}
