"""Erasure that erases (``Store.compact``) and pruning tables that only grow (``prune``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from store.base import Store
from store.sql_store import SQLStore
from store.tinydb_files import SNAPSHOT_TMP
from store.tinydb_store import TinyDBStore
from tests.pg import pg_schema, pg_url

__all__ = ["pg_schema", "pg_url"]  # fixtures, used by name

SECRET = "Jane Q. Secret-Person 555-0199"


def every_byte(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in directory.rglob("*") if p.is_file())


def test_compact_leaves_no_byte_of_a_deleted_record(tmp_path: Path) -> None:
    d = tmp_path / "data"
    s = TinyDBStore(d)
    s.insert("contacts", {"id": "old", "name": SECRET})  # into the snapshot…
    s.compact()
    s.insert("contacts", {"id": "new", "name": SECRET + " (again)"})  # …and the journal
    s.insert("contacts", {"id": "keep", "name": "Ada"})
    (d / SNAPSHOT_TMP).write_text(f'{{"contacts": {{"half": "{SECRET}')  # a failed snapshot
    assert SECRET.encode() in every_byte(d)
    with s.atomic():  # the confirmed delete, then the erasure
        s.delete("contacts", "old")
        s.delete("contacts", "new")
    s.compact()
    assert SECRET.encode() not in every_byte(d)
    assert s.get("contacts", "keep") == {"id": "keep", "name": "Ada"}
    s.close()
    with TinyDBStore(d) as s:
        assert [c["id"] for c in s.find("contacts")] == ["keep"]


def test_compact_is_a_no_op_on_sql(tmp_path: Path) -> None:
    s = SQLStore(f"sqlite:///{tmp_path / 'r.db'}")
    s.insert("contacts", {"id": "a", "name": SECRET})
    s.delete("contacts", "a")
    s.compact()
    assert s.find("contacts") == []
    s.close()


@pytest.fixture(params=["tinydb", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opener: Callable[[], Store]
    if request.param == "tinydb":
        opener = lambda: TinyDBStore(tmp_path / "data")  # noqa: E731
    elif request.param == "sqlite":
        opener = lambda: SQLStore(f"sqlite:///{tmp_path / 'r.db'}")  # noqa: E731
    else:
        url, schema = request.getfixturevalue("pg_url"), request.getfixturevalue("pg_schema")
        opener = lambda: SQLStore(url, schema=schema)  # noqa: E731
    s = opener()
    yield s
    s.close()


def test_prune_deletes_old_answered_nudges_only(store: Store) -> None:
    # nudge_msgs (bot/nudges.py): state open/snoozed/done/stopped…, "at" an ISO time.
    for n, (state, at) in enumerate(
        [
            ("done", "2026-01-01T09:00:00+00:00"),
            ("stopped", "2026-02-01T09:00:00+00:00"),
            ("open", "2026-01-01T09:00:00+00:00"),  # still waiting for an answer: kept
            ("done", "2026-11-30T09:00:00+00:00"),  # recent: kept
            ("done", None),  # no time: kept
        ]
    ):
        store.insert("nudge_msgs", {"id": f"n{n}", "state": state, "at": at})
    gone = store.prune(
        "nudge_msgs",
        field="at",
        before="2026-09-01T00:00:00+00:00",
        where={"state": ["done", "stopped"]},
    )
    assert gone == 2
    assert sorted(d["id"] for d in store.find("nudge_msgs")) == ["n2", "n3", "n4"]
    assert store.prune("nudge_msgs", field="at", before="2026-09-01") == 1  # n2, any state
