"""Round trips of the SQL store inside a transaction: a record read by id or key is
read once, a record the transaction wrote is updated without reading it again, and an
unconditional update on PostgreSQL is one statement. What is read always agrees with
what was written, also after a nested block was undone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from store.base import OUTBOX
from store.sql_store import SQLStore
from tests.pg import pg_schema, pg_url

__all__ = ["pg_schema", "pg_url"]

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(pg_url: str, pg_schema: str) -> Iterator[SQLStore]:
    s = SQLStore(pg_url, schema=pg_schema)
    yield s
    s.close()


class Counting:
    def __init__(self, store: SQLStore) -> None:
        self.statements: list[str] = []  # but BEGIN and COMMIT
        self.all: list[str] = []
        sa.event.listen(store.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        self.all.append(statement)
        if statement not in ("BEGIN", "COMMIT"):
            self.statements.append(statement)


def test_reads_by_key_and_id_in_a_transaction_are_read_once(pg: SQLStore) -> None:
    pg.insert("c", {"id": "c1", "key": "team", "name": "A"})
    seen = Counting(pg)
    with pg.atomic():
        for _ in range(3):
            assert pg.find_one("c", {"key": "team"}) == {"id": "c1", "key": "team", "name": "A"}
            assert pg.get("c", "c1")["name"] == "A"
        assert pg.find_one("c", {"key": "nobody"}) is None
        assert pg.find_one("c", {"key": "nobody"}) is None
    assert len(seen.statements) == 2  # one for the key, one for the missing key


def test_prefetch_reads_several_records_in_one_statement(pg: SQLStore) -> None:
    pg.insert("settings", {"id": "s1", "key": "c|alice", "tz": "UTC"})
    pg.insert("communities", {"id": "k1", "key": "c", "settings": {"quiet": "22-7"}})
    pg.insert("settings", {"id": "s2", "key": 5})  # a key that isn't text is not "5"
    seen = Counting(pg)
    with pg.atomic():
        pg.prefetch([("settings", "c|alice"), ("communities", "c"), ("settings", "c|bob")])
        pg.prefetch([("settings", "c|alice")])  # known already: nothing to read
        assert pg.find_one("settings", {"key": "c|alice"})["tz"] == "UTC"
        assert pg.find_one("communities", {"key": "c"})["settings"] == {"quiet": "22-7"}
        assert pg.find_one("settings", {"key": "c|bob"}) is None  # known missing
        pg.prefetch([("settings", "5")])
        assert pg.find_one("settings", {"key": "5"}) is None
    assert len(seen.statements) == 2
    pg.prefetch([("settings", "c|alice")])  # outside an atomic block: nothing to keep
    assert len(seen.statements) == 2


def test_a_copy_is_returned_so_changing_it_changes_nothing(pg: SQLStore) -> None:
    pg.insert("c", {"id": "c1", "key": "team", "tags": ["a"]})
    with pg.atomic():
        pg.find_one("c", {"key": "team"})["tags"].append("b")
        assert pg.get("c", "c1")["tags"] == ["a"]


def test_writes_in_a_transaction_are_read_back(pg: SQLStore) -> None:
    pg.insert("c", {"id": "c1", "key": "team", "n": 1})
    with pg.atomic():
        assert pg.get("c", "c1")["n"] == 1
        pg.update("c", "c1", {"n": 2})
        assert pg.get("c", "c1")["n"] == 2
        pg.update("c", "c1", {"key": "team2"})
        assert pg.find_one("c", {"key": "team"}) is None
        assert pg.find_one("c", {"key": "team2"})["n"] == 2
        new = pg.insert("c", {"key": "x", "n": 5})
        assert pg.find_one("c", {"key": "x"}) == new
        pg.delete("c", new["id"])
        assert pg.get("c", new["id"]) is None and pg.find_one("c", {"key": "x"}) is None
    assert pg.get("c", "c1") == {"id": "c1", "key": "team2", "n": 2}


def test_an_undone_nested_block_is_not_read_back(pg: SQLStore) -> None:
    pg.insert("c", {"id": "c1", "key": "team", "n": 1})
    with pg.atomic():
        assert pg.get("c", "c1")["n"] == 1
        with pytest.raises(RuntimeError), pg.atomic():
            pg.update("c", "c1", {"n": 2})
            pg.insert("c", {"id": "c2", "key": "other"})
            raise RuntimeError
        assert pg.get("c", "c1")["n"] == 1
        assert pg.find_one("c", {"key": "other"}) is None
    assert pg.get("c", "c2") is None


def test_an_update_is_one_statement_and_an_insert_then_update_two(pg: SQLStore) -> None:
    pg.insert("s", {"id": "s1", "key": "k", "a": 1, "b": {"x": 1}})
    seen = Counting(pg)
    assert pg.update("s", "s1", {"b": {"y": 2}, "c": None}) == {
        "id": "s1",
        "key": "k",
        "a": 1,
        "b": {"y": 2},
        "c": None,
    }
    assert len(seen.statements) == 1
    assert pg.update("s", "missing", {"a": 2}) is None
    seen.statements.clear()
    with pg.atomic():
        doc = pg.insert("r", {"key": "req", "at": "t"})
        pg.update("r", doc["id"], {"replies": []})
    assert len(seen.statements) == 2
    assert pg.get("r", doc["id"]) == {"id": doc["id"], "key": "req", "at": "t", "replies": []}


def test_a_merged_outbox_update_keeps_its_columns_for_claims(pg: SQLStore) -> None:
    item = pg.insert(OUTBOX, {"key": "a", "state": "held", "due": "2026-01-01T00:00:00"})
    pg.update(OUTBOX, item["id"], {"state": "pending", "due": "2026-01-01T00:00:01"})
    taken = pg.claim_due("2026-01-02T00:00:00", 10, "w", "2026-01-02T00:01:00")
    assert [t["id"] for t in taken] == [item["id"]]
    pg.update(OUTBOX, item["id"], {"state": "sent"})
    assert pg.claim_due("2026-01-03T00:00:00", 10, "w", "2026-01-03T00:01:00") == []


def test_a_block_that_only_reads_sends_no_begin_or_commit(pg: SQLStore) -> None:
    pg.insert("c", {"id": "c1", "key": "team"})
    seen = Counting(pg)
    with pg.atomic():
        pg.find_one("c", {"key": "team"})
        pg.find("c", {"name": "x"})
    assert len(seen.all) == 2
    seen.all.clear()
    with pg.atomic():
        pg.find_one("c", {"key": "team"})
        pg.update("c", "c1", {"n": 1})
    assert seen.all[0].startswith("SELECT") and seen.all[1] == "BEGIN"
    assert seen.all[-1] == "COMMIT" and len(seen.all) == 4


def test_a_failing_block_after_its_first_write_keeps_nothing(pg: SQLStore) -> None:
    pg.insert("c", {"id": "c1", "n": 1})
    with pytest.raises(RuntimeError), pg.atomic():
        pg.get("c", "c1")
        pg.update("c", "c1", {"n": 2})
        pg.insert("c", {"id": "c2"})
        raise RuntimeError
    assert pg.find("c") == [{"id": "c1", "n": 1}]
