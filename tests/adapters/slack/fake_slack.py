"""A fake Slack Web API on 127.0.0.1: a small stdlib HTTP server that records calls.

It answers like Slack for the methods rapport uses (``auth.test``, ``users.info``,
``conversations.open``, ``chat.postMessage``, ``views.publish``, the three steps of
``files_upload_v2``, ``apps.connections.open``) and for ``response_url`` posts. Tests
script failures: any method can answer an error (``cannot_dm_bot``,
``channel_not_found``…) or HTTP 429 with ``Retry-After``, a number of times.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

TEAM = "T0TEAM"
BOT_USER = "UBOT"


@dataclass
class Call:
    method: str  # a Web API method, "response_url" or "upload"
    params: dict[str, Any]
    headers: dict[str, str]
    path: str
    at: float = field(default_factory=time.monotonic)
    answer: Any = None

    @property
    def ok(self) -> bool:
        """Answered with success (not an error or a 429)."""
        return self.answer == "ok" or (isinstance(self.answer, dict) and self.answer.get("ok"))

    @property
    def text(self) -> str:
        """Every string in the payload (text, blocks, view), for searching."""
        return json.dumps(self.params, ensure_ascii=False)

    def buttons(self) -> list[dict[str, Any]]:
        blocks = self.params.get("blocks") or (self.params.get("view") or {}).get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        return [
            element
            for block in blocks
            if block.get("type") == "actions"
            for element in block.get("elements", [])
            if element.get("type") == "button"
        ]


@dataclass
class Rule:
    method: str
    error: str | None
    status: int = 200
    retry_after: int | None = None
    times: int | None = None  # None: forever
    when: Callable[[dict[str, Any]], bool] | None = None


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.rules: list[Rule] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.socket_url: str | None = None
        self.delay = 0.0  # seconds every answer waits (a slow Slack, for the benchmark)
        self.gate: threading.Event | None = None  # when set up, answers wait for it to open
        self.auto_users = False  # answer users.info for any U… id (the benchmark's crowd)
        self.keep_params = True  # False keeps memory flat under a long benchmark
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._files = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self, "")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if len(raw) < length:  # its sender died mid-request: Slack acts on none
                    return
                fake._handle(self, raw.decode("utf-8", "replace"))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 256
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    # -- setup ---------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def response_url(self, key: str) -> str:
        return f"{self.base}/respond/{key}"

    def add_user(
        self,
        uid: str,
        name: str,
        *,
        tz: str | None = None,
        admin: bool = False,
        owner: bool = False,
        bot: bool = False,
        deleted: bool = False,
    ) -> None:
        self.users[uid] = {
            "id": uid,
            "team_id": TEAM,
            "name": name,
            "real_name": name.title(),
            "deleted": deleted,
            "tz": tz,
            "is_admin": admin,
            "is_owner": owner,
            "is_bot": bot,
            "profile": {"display_name": name, "real_name": name.title()},
        }

    def fail(
        self,
        method: str,
        error: str,
        *,
        times: int | None = None,
        when: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        """Answer ``method`` with ``{"ok": false, "error": error}``."""
        self.rules.append(Rule(method, error, times=times, when=when))

    def rate_limit(
        self,
        method: str,
        *,
        retry_after: int = 1,
        times: int | None = None,
        when: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        """Answer ``method`` with HTTP 429 and ``Retry-After``."""
        self.rules.append(
            Rule(method, "ratelimited", status=429, retry_after=retry_after, times=times, when=when)
        )

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()
            self.rules.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- reading -------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def all(self) -> list[Call]:
        with self._lock:
            return list(self.calls)

    def posts_to(self, channel: str) -> list[Call]:
        """Messages successfully posted in ``channel``."""
        return [
            c for c in self.of("chat.postMessage") if c.params.get("channel") == channel and c.ok
        ]

    def responses(self, key: str) -> list[Call]:
        return [c for c in self.of("response_url") if c.path.endswith(f"/respond/{key}")]

    def shown(self, key: str, acked: str | None = None) -> list[str]:
        """The texts the member sees from one interaction (see ``seen``)."""
        return seen(self.responses(key), acked)

    @staticmethod
    def dm_channel(user: str) -> str:
        return "D" + user

    @staticmethod
    def group_channel(users: list[str]) -> str:
        return "G" + hashlib.sha1(",".join(sorted(users)).encode()).hexdigest()[:8].upper()

    # -- answering -------------------------------------------------------------

    def _handle(self, req: BaseHTTPRequestHandler, raw: str) -> None:
        url = urlparse(req.path)
        if url.path == "/_calls":  # for a benchmark in another process
            wanted = dict(parse_qsl(url.query)).get("method")
            found = [
                {"method": c.method, "path": c.path, "at": c.at, "ok": bool(c.ok)}
                for c in self.all()
                if wanted is None or c.method == wanted
            ]
            self._send(req, 200, {"ok": True, "calls": found})
            return
        params: dict[str, Any] = dict(parse_qsl(url.query))
        ctype = req.headers.get("Content-Type", "")
        if raw and "json" in ctype:
            params.update(json.loads(raw))
        elif raw and "x-www-form-urlencoded" in ctype:
            params.update(parse_qsl(raw))
        elif raw:
            params["_raw"] = raw
        if url.path.startswith("/respond/"):
            method = "response_url"
        elif url.path.startswith("/upload/"):
            method = "upload"
        else:
            method = url.path.rsplit("/", 1)[-1]
        call = Call(method, params, dict(req.headers.items()), url.path)
        if not self.keep_params:
            call = Call(method, {}, {}, url.path)
        with self._lock:
            self.calls.append(call)
            rule = self._rule_for(method, params)
        if self.gate is not None:
            self.gate.wait(10)
        if self.delay:
            time.sleep(self.delay)
        if rule is not None:
            headers = {"Retry-After": str(rule.retry_after)} if rule.retry_after is not None else {}
            call.answer = {"ok": False, "error": rule.error, "status": rule.status}
            self._send(req, rule.status, {"ok": False, "error": rule.error}, headers)
            return
        if method in ("response_url", "upload"):
            call.answer = "ok"
            self._send(req, 200, "ok")
            return
        answer = getattr(self, "_m_" + method.replace(".", "_"), None)
        body = answer(params) if answer else {"ok": True}
        call.answer = body
        self._send(req, 200, body)

    def _rule_for(self, method: str, params: dict[str, Any]) -> Rule | None:
        for rule in self.rules:
            if rule.method != method or (rule.when and not rule.when(params)):
                continue
            if rule.times is not None:
                if rule.times <= 0:
                    continue
                rule.times -= 1
            return rule
        return None

    def _send(
        self,
        req: BaseHTTPRequestHandler,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        req.send_response(status)
        req.send_header(
            "Content-Type", "text/plain" if isinstance(body, str) else "application/json"
        )
        for k, v in (headers or {}).items():
            req.send_header(k, v)
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    # -- methods ---------------------------------------------------------------

    def _m_auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "team_id": TEAM, "user_id": BOT_USER, "bot_id": "BBOT", "team": "t"}

    def _m_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        uid = str(p.get("user"))
        if uid not in self.users and self.auto_users and uid.startswith("U"):
            self.add_user(uid, uid.lower())
        user = self.users.get(uid)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _m_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(p.get("users", "")).split(",") if u]
        for u in users:
            if self.auto_users and u not in self.users and u.startswith("U"):
                self.add_user(u, u.lower())
            if u not in self.users or self.users[u].get("deleted"):
                return {"ok": False, "error": "user_not_found"}
        if len(users) == 1:
            return {"ok": True, "channel": {"id": self.dm_channel(users[0])}}
        return {"ok": True, "channel": {"id": self.group_channel(users)}}

    def _m_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        return {"ok": True, "channel": p.get("channel"), "ts": ts, "message": {"ts": ts}}

    def _m_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}

    def _m_files_getUploadURLExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._files):05d}"
        return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        files = p.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def _m_views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        n = next(self._ts)
        return {"ok": True, "view": {**view, "id": f"V{n:08d}", "hash": f"{n}.hash"}}

    def _m_apps_connections_open(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.socket_url}


def seen(responses: list[Call], acked: str | None = None) -> list[str]:
    """The texts a member sees from one interaction's ``response_url`` posts, as Slack
    keeps them: the ack's message (``acked``) is the original; ``replace_original``
    replaces it (or shows one where there was none), ``delete_original`` takes it away,
    anything else adds a message."""
    original, added = acked, []
    for call in responses:
        said = {k: str(v).lower() == "true" for k, v in call.params.items()}
        if said.get("delete_original"):
            original = None
        elif said.get("replace_original"):
            original = str(call.params.get("text", ""))
        else:
            added.append(str(call.params.get("text", "")))
    return ([original] if original is not None else []) + added
