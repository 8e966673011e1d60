"""``build_discord``: what ``rapport run`` / ``rapport discord`` start, against the fake."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.adapters.discord.main import build_discord
from bot.bootstrap import bootstrap
from bot.cli import PLATFORM_BUILDERS, platforms_configured
from bot.config import Config
from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import TOKEN, FakeDiscord
from tests.adapters.discord.world import settle


def test_the_service_logs_in_syncs_and_kicks_the_outbox_after_each_input(
    tmp_path: Path, fake: FakeDiscord, loop: asyncio.AbstractEventLoop
) -> None:
    config = Config(data_dir=str(tmp_path / "d"))
    core = bootstrap(config)
    env = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": fake.url}
    service = build_discord(core, config, env=env)
    assert service.platform == "discord" and service.deliverer is not None
    kicks: list[int] = []

    async def go() -> None:
        await service.login(lambda: kicks.append(1))
        state = service.client._connection
        state.parse_interaction_create(
            p.slash("rapport", ["help"], p.user("800000000000000001", "ana"))
        )
        await settle()
        await service.stop()

    loop.run_until_complete(go())
    core.store.close()
    assert [r.kind for r in fake.requests[:3]] == ["me", "app", "sync"]
    assert fake.last_answer().kind == "reply"
    assert kicks == [1]


def test_run_starts_discord_when_its_token_is_set() -> None:
    assert platforms_configured({"DISCORD_TOKEN": "x"}) == ["discord"]
    assert PLATFORM_BUILDERS["discord"] == "bot.adapters.discord.main:build_discord"
