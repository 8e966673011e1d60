"""Socket Mode over a real WebSocket on loopback: envelopes in, acks and work out.

The fake Web API answers ``apps.connections.open`` with the URL of a small aiohttp
WebSocket server standing in for Slack's socket endpoint.
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from bot.adapters.slack.main import SlackService, SlackSettings
from bot.clock import ManualClock
from bot.config import Config
from bot.core import Rapport
from bot.directory import StaticDirectory
from store.tinydb_store import TinyDBStore
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.harness import START


class SocketEndpoint:
    """A WebSocket server in its own thread: sends envelopes, records what comes back."""

    def __init__(self) -> None:
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        self.connected = threading.Event()
        self.loop = asyncio.new_event_loop()
        self._ws: web.WebSocketResponse | None = None
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        assert ready.wait(5)

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_get("/link", self._socket)
        self.runner = web.AppRunner(app)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()
        self.loop.run_forever()

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self.connected.set()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.received.put(json.loads(msg.data))
        return ws

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link?ticket=test"

    def send(self, envelope: dict[str, Any]) -> None:
        assert self._ws is not None
        asyncio.run_coroutine_threadsafe(self._ws.send_str(json.dumps(envelope)), self.loop).result(
            5
        )

    def ack_for(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        while True:
            message = self.received.get(timeout=timeout)
            if message.get("envelope_id") == envelope_id:
                return message

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture(scope="module")
def socket_rig(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[SlackService, FakeSlack, SocketEndpoint]]:
    """One connection for the module: the SDK's socket client takes seconds to shut down."""
    tmp_path = tmp_path_factory.mktemp("socket")
    fake = FakeSlack()
    fake.add_user("UALICE", "alice")
    endpoint = SocketEndpoint()
    fake.socket_url = endpoint.url
    store = TinyDBStore(tmp_path / "data")
    core = Rapport(store, ManualClock(START), Config(), StaticDirectory())
    settings = SlackSettings(bot_token="xoxb-test", app_token="xapp-test", api_url=fake.api_url)
    service = SlackService(core, settings, sleep=lambda s: None)
    loop = asyncio.new_event_loop()  # the service's loop, in a thread, as in ``rapport slack``
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(service.start(), loop).result(10)
    assert endpoint.connected.wait(5), "the Socket Mode client never connected"
    yield service, fake, endpoint
    asyncio.run_coroutine_threadsafe(service.stop(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    endpoint.close()
    store.close()
    fake.close()


def test_socket_mode_acks_a_command_then_answers_it(socket_rig):
    service, fake, endpoint = socket_rig
    [opened] = fake.of("apps.connections.open")
    assert opened.headers["Authorization"] == "Bearer xapp-test"
    endpoint.send(
        {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": {
                "team_id": TEAM,
                "user_id": "UALICE",
                "user_name": "alice",
                "channel_id": "CGENERAL",
                "command": "/rapport",
                "text": "settings",
                "trigger_id": "trig-socket",
                "response_url": fake.response_url("socket1"),
            },
        }
    )
    waiting = {"text": "One moment…", "response_type": "ephemeral"}
    assert endpoint.ack_for("env-1") == {"envelope_id": "env-1", "payload": waiting}
    assert service.wait_idle(10)
    [reply] = fake.responses("socket1")
    assert "Your settings" in reply.params["text"]
    assert fake.shown("socket1", acked=waiting["text"]) == [reply.params["text"]]


def test_socket_mode_publishes_app_home(socket_rig):
    service, fake, endpoint = socket_rig
    endpoint.send(
        {
            "envelope_id": "env-2",
            "type": "events_api",
            "accepts_response_payload": False,
            "retry_attempt": 0,
            "retry_reason": "",
            "payload": {
                "team_id": TEAM,
                "type": "event_callback",
                "event_id": "Ev2",
                "event": {"type": "app_home_opened", "user": "UALICE", "tab": "home"},
            },
        }
    )
    assert endpoint.ack_for("env-2")["envelope_id"] == "env-2"
    assert service.wait_idle(10)
    assert [c.params["user_id"] for c in fake.of("views.publish")] == ["UALICE"]
