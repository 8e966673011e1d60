from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from discord.http import Route

from tests.discord.fake_api import FakeDiscord
from tests.discord.world import World


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
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def world(tmp_path: Path, fake: FakeDiscord, loop: asyncio.AbstractEventLoop) -> Iterator[World]:
    """rapport (every discovered family) on discord.py, logged in against the fake."""
    w = World(tmp_path / "data", fake, loop)
    yield w
    w.close()
