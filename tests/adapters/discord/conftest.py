from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.registry import Family, discover
from tests.adapters.discord import echo_family
from tests.adapters.discord.echo_family import EchoState
from tests.adapters.discord.fake_api import FakeDiscord
from tests.adapters.discord.fake_gateway import FakeGateway
from tests.adapters.discord.world import World


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    """A fake Discord REST API on 127.0.0.1; discord.py's Route.BASE points at it."""
    api = FakeDiscord().start()
    before = Route.BASE
    Route.BASE = api.url
    yield api
    Route.BASE = before
    api.stop()


@pytest.fixture
def gateway(fake: FakeDiscord) -> Iterator[FakeGateway]:
    """A fake Discord gateway on 127.0.0.1; the fake API's ``GET /gateway/bot`` names it."""
    gw = FakeGateway().start()
    fake.gateway = gw.url
    before = DiscordWebSocket.DEFAULT_GATEWAY  # the service points it at the fake
    yield gw
    DiscordWebSocket.DEFAULT_GATEWAY = before
    gw.stop()


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def echo() -> tuple[Family, EchoState]:
    return echo_family.build()


@pytest.fixture
def world(
    tmp_path: Path,
    fake: FakeDiscord,
    loop: asyncio.AbstractEventLoop,
    echo: tuple[Family, EchoState],
) -> Iterator[World]:
    """rapport (every discovered family, plus ``/echo``) on discord.py, logged in to the fake."""
    families = {**discover(), "echo": echo[0]}
    w = World(tmp_path / "data", fake, loop, families=families)
    yield w
    echo[1].release.set()
    w.close()
