"""Health, readiness and metrics over HTTP, for whoever runs rapport.

- ``GET /healthz``: 200 ``ok`` when the event loop answers;
- ``GET /readyz``: 200 when the store answers, the scheduler runs and every platform
  is connected; otherwise 503 naming what is not (one line each);
- ``GET /metrics``: Prometheus' text format (``bot/metrics.py``).

Served beside ``/slack/events`` in Slack's HTTP mode, and on ``--metrics-port``
(``RAPPORT_METRICS_PORT``) otherwise. Neutral: platforms are services that may say
why they are not ready (``async ready() -> str | None``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from bot import metrics
from bot.clock import Clock
from store import Store
from store.base import OUTBOX

log = logging.getLogger(__name__)

CHECK_TIMEOUT = 2.0  # seconds for the store to answer a readiness probe


class Ops:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        scheduler_running: Callable[[], bool],
        services: Sequence[Any] = (),
    ) -> None:
        self.store = store
        self.clock = clock
        self.scheduler_running = scheduler_running
        self.services = list(services)
        self._runner: web.AppRunner | None = None
        metrics.watch_outbox(self._pending, clock.now)

    def _pending(self) -> list[dict[str, Any]]:
        return self.store.find(OUTBOX, {"state": "pending"}, order_by="due")

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)

    async def healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def problems(self) -> list[str]:
        """What keeps this process from being ready; empty when it is."""
        found = []
        try:
            await asyncio.wait_for(asyncio.to_thread(self.store.get, OUTBOX, "-"), CHECK_TIMEOUT)
        except TimeoutError:
            found.append("store: no answer within 2 s")
        except Exception as exc:
            found.append(f"store: {' '.join(str(exc).split())[:200] or type(exc).__name__}")
        if not self.scheduler_running():
            found.append("scheduler: not running")
        for service in self.services:
            ready = getattr(service, "ready", None)
            if ready is None:
                continue
            why = await ready()
            if why:
                found.append(f"{service.platform}: {why}")
        return found

    def roles(self) -> list[str]:
        """``discord: holder (shards 0 of 1)`` for each platform that has roles."""
        lines = []
        for service in self.services:
            describe = getattr(service, "describe_role", None)
            if describe is not None:
                role, detail = describe()
                metrics.set_role(service.platform, role)
                lines.append(f"{service.platform}: {role} ({detail})")
        return lines

    async def readyz(self, request: web.Request) -> web.Response:
        found = await self.problems()
        roles = self.roles()
        if found:
            return web.Response(status=503, text="\n".join(found + roles) + "\n")
        return web.Response(text="\n".join(["ready", *roles]) + "\n")

    async def metrics(self, request: web.Request) -> web.Response:
        self.roles()
        body = await asyncio.to_thread(metrics.render)
        response = web.Response(body=body)
        response.headers["Content-Type"] = metrics.CONTENT_TYPE
        return response

    async def serve(self, host: str, port: int) -> None:
        """Serve the three endpoints on their own port. An address in use raises OSError."""
        app = web.Application()
        self.add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, keepalive_timeout=10)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, host, port).start()
        except OSError:
            await self._runner.cleanup()
            self._runner = None
            raise

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
