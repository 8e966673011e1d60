"""/readyz and /metrics say which role a process has on a platform (Discord holder/standby)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import ManualClock
from bot.ops import Ops
from store import open_store


class Standby:
    platform = "discord"

    def describe_role(self) -> tuple[str, str]:
        return "standby", "shards 0 of 1"

    async def ready(self) -> str | None:
        return None


def test_the_role_shows_in_readiness_and_metrics(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "data"))
    try:
        ops = Ops(store, ManualClock(datetime(2026, 12, 1, tzinfo=UTC)), lambda: True, [Standby()])
        ready = asyncio.run(ops.readyz(None))  # type: ignore[arg-type]
        assert ready.status == 200
        assert ready.text == "ready\ndiscord: standby (shards 0 of 1)\n"
        body = asyncio.run(ops.metrics(None)).body  # type: ignore[arg-type]
        assert b'rapport_role{platform="discord",role="standby"} 1.0' in body
        assert b'rapport_role{platform="discord",role="holder"} 0.0' in body
    finally:
        store.close()
