"""``open_store``: a URL or data directory named wrongly is one clear line, never a TinyDB
folder named after a URL; an unreachable database is ``StoreUnavailable``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store import (
    StoreConfigError,
    StoreUnavailable,
    check_database_url,
    open_store,
)
from store.sql_store import SQLStore
from store.tinydb_store import TinyDBStore
from tests.pg import pg_url

__all__ = ["pg_url"]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+psycopg2://u@h/db", "psycopg2"),
        ("mysql://x/y", "mysql://"),
        ("not a url", "is not a URL"),
        ("postgresql://", "names no database"),
        ("postgresql://postgres@127.0.0.1:5432", "names no database"),
        ("postgresql://postgres@127.0.0.1:5432/", "names no database"),
        ("sqlite:///no/such/folder/rapport.db", "does not exist"),
        ("sqlite://", "in memory"),
        ("sqlite+pysqlite:///x.db", "sqlite+pysqlite"),
        ("https://example.com/db", "https://"),
    ],
)
def test_a_bad_database_url_is_one_clear_line(tmp_path: Path, url: str, says: str) -> None:
    with pytest.raises(StoreConfigError) as e:
        open_store(url=url, data_dir=str(tmp_path / "data"))
    message = str(e.value)
    assert says in message and "\n" not in message
    assert os.listdir(tmp_path) == []  # no TinyDB folder named after the URL, no data dir


def test_the_bad_urls_are_refused_as_a_target_too(tmp_path: Path) -> None:
    for url in ("mysql://x/y", "postgresql+psycopg2://u@h/db", "postgresql://"):
        with pytest.raises(StoreConfigError):
            open_store(url)
    assert os.listdir(tmp_path) == []


def test_good_urls_pass(tmp_path: Path) -> None:
    for url in (
        "postgresql://u@h:5432/db",
        "postgresql+psycopg://u:p@h/db?schema=x",
        "postgres://u@h/db",
        f"sqlite:///{tmp_path / 'r.db'}",
    ):
        assert check_database_url(url) == url


def test_no_url_means_the_data_directory(tmp_path: Path) -> None:
    with open_store(url=None, data_dir=str(tmp_path / "data")) as s:
        assert isinstance(s, TinyDBStore)
    with open_store(url="", data_dir=str(tmp_path / "data")) as s:
        assert isinstance(s, TinyDBStore)
    with open_store(url=f"sqlite:///{tmp_path / 'r.db'}", data_dir="unused") as s:
        assert isinstance(s, SQLStore)


def test_a_data_directory_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("oops")
    with pytest.raises(StoreConfigError, match="is a file") as e:
        open_store(data_dir=str(tmp_path / "data"))
    assert "\n" not in str(e.value)


def test_a_data_directory_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("oops")
    with pytest.raises(StoreConfigError, match="cannot create") as e:
        open_store(data_dir=str(tmp_path / "file" / "data"))
    assert "\n" not in str(e.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_data_directory(tmp_path: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    d.chmod(0o500)
    try:
        with pytest.raises(StoreConfigError, match="read-only"):
            open_store(data_dir=str(d))
    finally:
        d.chmod(0o700)


def test_an_unreachable_postgresql_is_one_line(pg_url: str) -> None:
    with pytest.raises(StoreUnavailable) as e:
        open_store(url="postgresql://postgres@127.0.0.1:1/test")
    message = str(e.value)
    assert "unavailable" in message and "\n" not in message
