"""``rapport db upgrade`` and ``rapport db copy``, run through the real CLI entry point.

The store that is copied was filled by real commands through the core (intros,
settings, tips, a roulette, a follow-up) and time passing, so it holds what a
community's store holds: sent, pending and done outbox items among them.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.console.community import COMMUNITY
from bot.cli import main
from bot.io import DirectMessage
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import enqueue_delivery
from store.base import OUTBOX, SCHEMA_VERSION, Store
from store.sql_store import SQLStore, head_revision
from store.tinydb_store import TinyDBStore
from tests.harness import Harness
from tests.pg import pg_schema, pg_url

__all__ = ["pg_schema", "pg_url"]  # fixtures, used by name

WHY = "I'm moving into data engineering and would love to hear how Bob's team works"


def community_store(data_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """A TinyDB store filled the way a community fills it; returns every record."""
    h = Harness(data_dir)
    try:
        h.cmd("alice", "/rapport settings tz Europe/Berlin")
        h.cmd("bob", "/rapport settings tz America/New_York")
        h.cmd("carol", "/rapport settings quiet 22:00-07:00")
        h.cmd("you", f"/intro @alice @bob {WHY}")
        h.cmd("you", "/tips channel #jobs daily 9:00")
        h.cmd("you", "/tips add Bring one question you can't look up.")
        h.cmd("you", "/coffee roulette enable #coffee every 7 days")
        for user in ("alice", "bob", "carol", "dan"):
            h.cmd(user, "/coffee roulette join #coffee")
        h.cmd("alice", "/followup @bob on Dec 15 send my portfolio")
        with h.store.atomic():  # and some still waiting to go out
            for i in range(30):
                enqueue_delivery(
                    h.store,
                    COMMUNITY,
                    DirectMessage("dan", Message(fmt("Note {i} “quoted” ✓", i=str(i)))),
                    due=h.clock.now() + timedelta(days=30),
                    key=f"later-{i}",
                )
        h.advance(timedelta(days=2))
        return snapshot(h.store)
    finally:
        h.close()


def snapshot(store: Store) -> dict[str, list[dict[str, Any]]]:
    return {t: store.find(t) for t in store.tables()}


def assert_same(store: Store, want: dict[str, list[dict[str, Any]]]) -> None:
    """Every table, every record, in the same order, and each by its id."""
    assert store.tables() == sorted(want)
    for table, docs in want.items():
        assert store.find(table) == docs, table
        for doc in docs:
            assert store.get(table, doc["id"]) == doc


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, dict[str, list[dict[str, Any]]]]:
    data = tmp_path / "data"
    want = community_store(data)
    states = {d["state"] for d in want[OUTBOX]}
    assert {"sent", "pending", "done"} <= states, states
    assert len(want) >= 8, sorted(want)
    return data, want


@pytest.mark.postgres
def test_copy_tinydb_to_postgres(
    filled: tuple[Path, dict[str, list[dict[str, Any]]]],
    pg_url: str,
    pg_schema: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, want = filled
    url = f"{pg_url}?schema={pg_schema}"
    assert main(["db", "copy", "--from", str(data), "--to", url]) == 0
    out = capsys.readouterr().out
    total = sum(len(d) for d in want.values())
    assert f"Copied {total:,} records from {data} to {url}:" in out
    for table, docs in want.items():
        assert f"  {table} " in out and f" {len(docs):,}\n" in out
    with SQLStore(url) as pg:
        assert_same(pg, want)
        assert pg.schema_version() == SCHEMA_VERSION

    # A second copy is refused, and changes nothing.
    assert main(["db", "copy", "--from", str(data), "--to", url]) == 1
    err = capsys.readouterr().err
    assert "already holds records" in err and "Nothing was copied" in err
    with SQLStore(url) as pg:
        assert_same(pg, want)


def test_copy_tinydb_to_sqlite_and_back(
    filled: tuple[Path, dict[str, list[dict[str, Any]]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Any store to any store: TinyDB -> SQLite -> a new TinyDB directory."""
    data, want = filled
    url = f"sqlite:///{tmp_path / 'rapport.db'}"
    assert main(["db", "copy", "--from", str(data), "--to", url]) == 0
    with SQLStore(url) as lite:
        assert_same(lite, want)
    back = tmp_path / "back"
    assert main(["db", "copy", "--from", url, "--to", str(back)]) == 0
    with TinyDBStore(back) as tiny:
        assert_same(tiny, want)
    assert "Copied" in capsys.readouterr().out


def test_copy_refuses_what_it_cannot_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "nothing-here"
    assert main(["db", "copy", "--from", str(empty), "--to", "sqlite://"]) == 1
    assert "there is no rapport data in" in capsys.readouterr().err
    assert not empty.exists()  # looking did not create it
    missing = f"sqlite:///{tmp_path / 'missing.db'}"
    assert main(["db", "copy", "--from", missing, "--to", "sqlite://"]) == 1
    assert "there is no SQLite database" in capsys.readouterr().err
    data = tmp_path / "data"
    assert main(["db", "copy", "--from", str(data), "--to", f"{data}/."]) == 2
    assert "the same store" in capsys.readouterr().err
    assert main(["db", "copy", "--from", "mysql://x/y", "--to", "sqlite://"]) == 2
    assert "not a URL rapport knows" in capsys.readouterr().err


def test_upgrade_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'rapport.db'}"
    assert main(["db", "upgrade", "--url", url]) == 0
    out = capsys.readouterr().out
    assert f"upgraded from an empty database to migration {head_revision()}" in out
    assert f"applied {head_revision()}: " in out
    assert main(["db", "upgrade", "--url", url]) == 0
    assert "nothing to do" in capsys.readouterr().out
    with SQLStore(url, upgrade=False) as store:
        store.insert("t", {"id": "x"})
        assert store.get("t", "x") == {"id": "x"}


@pytest.mark.postgres
def test_upgrade_postgres_from_the_environment(
    pg_url: str,
    pg_schema: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"{pg_url}?schema={pg_schema}"
    monkeypatch.setenv("RAPPORT_DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"{url}: upgraded from an empty database to migration {head_revision()}." in out
    assert f"Data version {SCHEMA_VERSION}." in out
    assert main(["db", "upgrade"]) == 0
    assert "already at migration" in capsys.readouterr().out


def test_upgrade_needs_a_database_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RAPPORT_DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 2
    assert "which database?" in capsys.readouterr().err
    assert main(["db", "upgrade", "--url", str(tmp_path)]) == 2
    assert "needs no upgrade" in capsys.readouterr().err
    closed = "postgresql://nobody:secret@127.0.0.1:1/none"
    assert main(["db", "upgrade", "--url", closed]) == 1
    err = capsys.readouterr().err
    assert "could not upgrade" in err and "secret" not in err
