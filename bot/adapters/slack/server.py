"""HTTP mode: ``POST /slack/events`` served by a threading stdlib server.

It does what Bolt's development server (``App.start``) does — hand each request to
``app.dispatch`` — but with a thread per connection, keep-alive, a real listen
backlog, a size limit, and the address of your choice. Signature checks are
Bolt's own middleware; a timestamp that isn't a number is refused here with 401
(the SDK's verifier would raise on it and answer 500).
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_BODY = 1 << 20  # Slack's payloads are far smaller


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # 5 by default: a burst of connections would be dropped
    app: App
    path: str


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        if self.path.partition("?")[0] == "/healthz":
            self._send(200, {}, "ok")
        else:
            self._send(404, {}, "")

    def do_POST(self) -> None:
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            self._send(413, {}, "")
            return
        raw = self.rfile.read(length).decode("utf-8", "replace")
        if path != self.server.path:
            self._send(404, {}, "")
            return
        timestamp = self.headers.get("X-Slack-Request-Timestamp", "")
        if not timestamp.isdigit():
            self._send(401, {}, json.dumps({"error": "invalid request"}))
            return
        response: BoltResponse = self.server.app.dispatch(
            BoltRequest(body=raw, query=query, headers=dict(self.headers.items()))
        )
        self._send(response.status, response.headers, response.body)

    def _send(self, status: int, headers: dict[str, Any], body: str | dict) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
        self.send_response(status)
        for key, values in headers.items():
            if key.lower() == "content-length":
                continue
            for value in values if isinstance(values, (list, tuple)) else [values]:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class SlackHTTPServer:
    """Serves one Bolt app; ``start()`` runs it on a background thread."""

    def __init__(
        self, app: App, *, host: str = "0.0.0.0", port: int = 3000, path: str = EVENTS_PATH
    ) -> None:
        self.server = _Server((host, port), _Handler)
        self.server.app = app
        self.server.path = path
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        host = self.server.server_address[0]
        return f"http://{host}:{self.port}{self.server.path}"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.server.serve_forever, args=(0.2,), name="slack-http", daemon=True
        )
        self._thread.start()

    def serve_forever(self) -> None:
        self.server.serve_forever(0.2)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(5)
