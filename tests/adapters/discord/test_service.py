"""``build_discord``: what ``rapport run`` / ``rapport discord`` start, against the fake."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from bot.adapters.discord.app import DiscordSettings
from bot.adapters.discord.holder import RETRY_SECONDS, lock_keys
from bot.adapters.discord.main import build_discord
from bot.bootstrap import PLATFORM_BUILDERS, bootstrap, platforms_configured
from bot.cli import main
from bot.config import Config
from tests.adapters.discord import payloads as p
from tests.adapters.discord.fake_api import TOKEN, FakeDiscord
from tests.adapters.discord.fake_gateway import FakeGateway
from tests.adapters.discord.world import settle
from tests.pg import libpq_url, pg_schema, pg_url

__all__ = ["pg_schema", "pg_url"]


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


def test_the_service_holds_the_gateway_alone_on_tinydb_and_says_so(
    tmp_path: Path, fake: FakeDiscord, gateway: FakeGateway, loop: asyncio.AbstractEventLoop
) -> None:
    config = Config(data_dir=str(tmp_path / "d"))
    core = bootstrap(config)
    service = build_discord(core, config, env={"DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": fake.url})
    assert service.lock is None  # one process per data directory: nothing to decide
    assert (service.role(), service.connected()) == ("standby", False)

    async def go() -> None:
        await service.start()
        await until(service.connected)
        assert service.role() == "holder" and service.shards == (0,)
        await service.stop()
        assert not service.connected()

    loop.run_until_complete(go())
    core.store.close()
    assert len(gateway.sessions) == 1


@pytest.mark.postgres
def test_a_standby_waits_for_the_lock_then_takes_the_gateway(
    fake: FakeDiscord,
    gateway: FakeGateway,
    loop: asyncio.AbstractEventLoop,
    pg_url: str,
    pg_schema: str,
) -> None:
    config = Config(database_url=f"{pg_url}?schema={pg_schema}")
    core = bootstrap(config)
    env = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": fake.url}
    service = build_discord(core, config, env=env)
    (key,) = lock_keys(TOKEN, [0], 1)
    other = psycopg.connect(libpq_url(pg_url), autocommit=True)  # "another process"
    assert other.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone() == (True,)

    async def go() -> None:
        await service.start()
        await asyncio.sleep(RETRY_SECONDS + 0.5)
        assert (service.role(), service.connected()) == ("standby", False)
        assert gateway.sessions == []
        other.close()  # the holder is gone
        await until(service.connected, timeout=RETRY_SECONDS + 5)
        assert service.role() == "holder"
        await service.stop()

    try:
        loop.run_until_complete(go())
    finally:
        other.close()
        core.store.close()
    assert len(gateway.sessions) == 1


@pytest.mark.postgres
def test_a_holder_whose_lock_connection_dies_leaves_the_gateway_then_takes_it_again(
    fake: FakeDiscord,
    gateway: FakeGateway,
    loop: asyncio.AbstractEventLoop,
    pg_url: str,
    pg_schema: str,
) -> None:
    config = Config(database_url=f"{pg_url}?schema={pg_schema}")
    core = bootstrap(config)
    env = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": fake.url}
    service = build_discord(core, config, env=env)
    admin = psycopg.connect(libpq_url(pg_url), autocommit=True)

    async def go() -> None:
        await service.start()
        await until(service.connected)
        assert service.lock is not None and service.lock._conn is not None
        pid = service.lock._conn.info.backend_pid
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))  # the locks go with it
        (first,) = gateway.sessions
        await until(lambda: first.conn is None, timeout=RETRY_SECONDS + 6)
        # Nobody else wanted it: this process takes the gateway again, on a new session.
        await until(lambda: len(gateway.live()) == 1 and service.connected(), timeout=10)
        assert service.role() == "holder"
        await service.stop()

    try:
        loop.run_until_complete(go())
    finally:
        admin.close()
        core.store.close()
    assert len(gateway.sessions) == 2


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT must be a whole number"),
        ({"DISCORD_SHARD_COUNT": "two"}, "DISCORD_SHARD_COUNT must be a whole number"),
        ({"DISCORD_SHARD_IDS": "0"}, "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "0,2"}, "from 0 to 1"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "a"}, "from 0 to 1"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "-1"}, "from 0 to 1"),
        ({"DISCORD_DEFER_AFTER": "3"}, "DISCORD_DEFER_AFTER must be a number of seconds"),
        ({"DISCORD_DEFER_AFTER": "soon"}, "from 0 to 2.5"),
        ({"RAPPORT_INBOX_LEASE": "0"}, "RAPPORT_INBOX_LEASE must be a number of seconds"),
    ],
)
def test_nonsense_discord_settings_are_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    complaint: str,
) -> None:
    for name in (
        "DISCORD_SHARD_COUNT",
        "DISCORD_SHARD_IDS",
        "DISCORD_DEFER_AFTER",
        "RAPPORT_INBOX_LEASE",
        "RAPPORT_DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    gc.collect()  # tasks an earlier test left behind are reported now, not in our output
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "d"), "discord"]) == 2
    err = capsys.readouterr().err
    assert complaint in err and err.count("\n") == 1 and "Traceback" not in err


def test_shard_settings_are_read() -> None:
    settings = DiscordSettings.from_env(
        {"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": " 3, 1,1"}
    )
    assert (settings.shard_count, settings.shards) == (4, (1, 3))
    assert DiscordSettings.from_env({"DISCORD_SHARD_COUNT": "3"}).shards == (0, 1, 2)
    assert DiscordSettings.from_env({}).shards == (0,)


async def until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{check} still false after {timeout}s"
        await asyncio.sleep(0.05)
