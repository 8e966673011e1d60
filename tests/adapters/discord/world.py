"""A rapport core and a real discord.py client, logged in against the fake API.

``World`` builds the core over a TinyDB store in a temp dir (with a manual clock),
the Discord adapter around it, and an outbox worker delivering through the
adapter. ``interact(payload)`` feeds an ``INTERACTION_CREATE`` payload to
discord.py's connection state — exactly what its gateway would do — and waits
until every task it started is finished. ``restart()`` closes everything and
builds a fresh client over the same data directory, as a new process would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from bot.adapters.discord.app import DiscordAdapter, DiscordSettings
from bot.clock import ManualClock
from bot.config import Config
from bot.core import Rapport
from bot.directory import StaticDirectory
from bot.outbox import OutboxWorker, TickReport
from bot.registry import Family
from store.tinydb_store import TinyDBStore
from tests.adapters.discord.fake_api import TOKEN, FakeDiscord
from tests.adapters.discord.payloads import CHANNEL, GUILD
from tests.harness import START

T = TypeVar("T")


class World:
    def __init__(
        self,
        data_dir: Path,
        fake: FakeDiscord,
        loop: asyncio.AbstractEventLoop,
        *,
        families: dict[str, Family] | None = None,
        config: Config | None = None,
        settings: DiscordSettings | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.fake = fake
        self.loop = loop
        self.families = families
        self.config = config or Config(data_dir=str(data_dir))
        self.settings = settings or DiscordSettings(token=TOKEN, defer_after=2.0)
        self.clock = ManualClock(START)
        self._build()

    def _build(self) -> None:
        self.store = TinyDBStore(self.data_dir)
        self.core = Rapport(
            self.store, self.clock, self.config, StaticDirectory(), families=self.families
        )
        self.adapter = DiscordAdapter(self.core, self.settings)
        self.client = self.adapter.client
        self.worker = OutboxWorker(self.core, {"discord": self.adapter.deliverer}, worker_id="t")
        self.run(self.client.login(TOKEN))

    # -- running ---------------------------------------------------------------

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def interact(self, payload: dict[str, Any]) -> None:
        """Hand a gateway INTERACTION_CREATE to discord.py and let it finish answering."""

        async def feed() -> None:
            self.client._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
            await settle()

        self.run(feed())

    def tick(self) -> TickReport:
        async def tick() -> TickReport:
            report = await self.worker.tick()
            await settle()
            return report

        return self.run(tick())

    def restart(self) -> None:
        """Close client and store, then start again from the data directory alone."""
        self.close()
        self._build()

    def close(self) -> None:
        self.run(self.client.close())
        self.store.close()

    # -- reading -----------------------------------------------------------------

    def intros_channel(self, channel: str = CHANNEL) -> None:
        ctx = self.core.context(_community(), "setup")
        ctx.set_setting("discord_intros_channel", channel)


def _community() -> Any:
    from bot.io import Community

    return Community("discord", GUILD)


async def settle(rounds: int = 50) -> None:
    """Wait until every other task on the loop (discord.py's dispatches, ours) is done."""
    me = asyncio.current_task()
    for _ in range(rounds):
        await asyncio.sleep(0)
        pending = [t for t in asyncio.all_tasks() if t is not me and not t.done()]
        if not pending:
            return
        await asyncio.wait(pending, timeout=5)
    raise AssertionError("tasks still running after the interaction")
