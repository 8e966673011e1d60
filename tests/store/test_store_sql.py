"""The SQL store (``store.sql_store``) on SQLite and PostgreSQL, and ``copy_store``.

PostgreSQL tests use ``RAPPORT_TEST_DATABASE_URL`` (default: the local server); they
skip when it is unreachable, and fail instead when ``CI=true`` (see ``tests/pg.py``).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from store.base import OUTBOX, SCHEMA_VERSION, Conflict, Store, StoreError, matches
from store.copy import copy_store
from store.sql_store import SQLStore, make_engine, parse_url, upgrade
from store.tinydb_store import TinyDBStore
from tests.pg import drop_schema, new_schema_name, pg_schema, pg_url, require_pg
from tests.store.store_contract import StoreContract

__all__ = ["pg_schema", "pg_url"]  # fixtures, used by name

Factory = Callable[[], Store]


# -- stores --------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_run_schema() -> Iterator[str]:
    """One schema for this test run (dropped at the end); tests empty it between them."""
    url = require_pg()
    schema = new_schema_name("run")
    upgrade(url, schema=schema)
    yield schema
    drop_schema(url, schema)


def _sqlite_factory(tmp_path: Path) -> Factory:
    url = f"sqlite:///{tmp_path / 'rapport.db'}"
    return lambda: SQLStore(url)


def _pg_factory(url: str, schema: str) -> Factory:
    return lambda: SQLStore(url, schema=schema)


def _fresh_pg_factory(schema: str) -> Factory:
    """Opens stores on the run's schema, emptied first: each test starts from nothing."""
    url = require_pg()
    engine = make_engine(url, schema=schema)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM records")
            conn.exec_driver_sql("DELETE FROM meta")
    finally:
        engine.dispose()
    return _pg_factory(url, schema)


# -- the contract suite (tests/store/store_contract.py) on both backends -------------


class TestSQLiteContract(StoreContract):
    @pytest.fixture
    def store_factory(self, tmp_path: Path) -> Factory:
        return _sqlite_factory(tmp_path)


@pytest.mark.postgres
class TestPostgresContract(StoreContract):
    @pytest.fixture
    def store_factory(self, pg_run_schema: str) -> Factory:
        return _fresh_pg_factory(pg_run_schema)


# -- more on both backends ---------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def open_sql(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Factory]:
    """Opens a SQL store on this test's data (the same data at every call)."""
    opened: list[Store] = []
    if request.param == "sqlite":
        make = _sqlite_factory(tmp_path)
    else:
        make = _fresh_pg_factory(request.getfixturevalue("pg_run_schema"))

    def factory() -> Store:
        store = make()
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


# -- URLs ----------------------------------------------------------------------


def test_urls() -> None:
    u, schema = parse_url("postgresql://u@h:5432/db?schema=abc")
    assert (u.drivername, u.database, schema, dict(u.query)) == (
        "postgresql+psycopg",
        "db",
        "abc",
        {},
    )
    assert parse_url("postgres://u@h/db", "x_1")[0].drivername == "postgresql+psycopg"
    assert parse_url("sqlite:////tmp/x.db")[1] is None
    with pytest.raises(StoreError):
        parse_url("postgresql://h/db?schema=Robert'); DROP")
    with pytest.raises(StoreError):
        parse_url("sqlite:////tmp/x.db?schema=a")
    with pytest.raises(StoreError):
        parse_url("mysql://h/db")


# -- basic behaviour on both backends -------------------------------------------


def test_basics(open_sql: Factory) -> None:
    s = open_sql()
    assert s.schema_version() == SCHEMA_VERSION
    a = s.insert("people", {"key": "ann", "name": "Ann", "tags": ["x", "y"], "n": 1})
    assert s.get("people", a["id"]) == a
    with pytest.raises(Conflict) as e:
        s.insert("people", {"key": "ann"})
    assert e.value.existing == a
    with pytest.raises(Conflict):
        s.insert("people", {"id": a["id"]})
    with s.atomic():  # a Conflict caught inside a transaction leaves it usable
        with pytest.raises(Conflict):
            s.insert("people", {"key": "ann"})
        b = s.insert("people", {"key": "bob", "n": 2})
    assert s.count("people") == 2
    with pytest.raises(Conflict):
        s.update("people", b["id"], {"key": "ann"})
    assert s.update("people", b["id"], {"n": 3}, expect={"n": 2}) == {**b, "n": 3}
    assert s.update("people", b["id"], {"n": 4}, expect={"n": 2}) is None
    assert s.update("people", b["id"], {"key": "bobby"})["key"] == "bobby"
    assert s.find("people", {"key": "bobby"})[0]["id"] == b["id"]
    assert s.find("people", {"key": "bob"}) == []
    assert s.delete("people", b["id"]) is True
    assert s.delete("people", b["id"]) is False
    assert s.tables() == ["people"]
    s.close()
    with pytest.raises(StoreError):
        s.get("people", a["id"])
    s2 = open_sql()
    assert s2.get("people", a["id"]) == a
    assert s2.schema_version() == SCHEMA_VERSION


def test_key_look_ups_use_the_key_column_and_a_key_that_is_not_text_still_differs(
    open_sql: Factory,
) -> None:
    store = open_sql()
    store.insert("t", {"id": "a", "key": "k1"})
    store.insert("t", {"id": "b", "key": 5})  # its key column holds "5"
    assert [d["id"] for d in store.find("t", {"key": ["k1", "k2", "5"]})] == ["a"]
    assert [d["id"] for d in store.find("t", {"key": 5})] == ["b"]
    assert store.find_one("t", {"key": "5"}) is None
    store.analyze()  # statistics refreshed (what ``rapport db copy`` does after copying)
    assert store.count("t", {"key": ["k1", "5"]}) == 1


def test_atomic_rolls_back_and_nests(open_sql: Factory) -> None:
    s = open_sql()
    with pytest.raises(RuntimeError), s.atomic():
        s.insert("t", {"id": "a"})
        with s.atomic():
            s.insert("t", {"id": "b"})
        raise RuntimeError
    assert s.tables() == []
    with s.atomic():
        s.insert("t", {"id": "a"})
        with s.atomic():
            s.insert("t", {"id": "b"})
    assert [d["id"] for d in s.find("t")] == ["a", "b"]


def test_atomic_is_per_thread(open_sql: Factory) -> None:
    """Another thread does not see (or join) this thread's open transaction."""
    s = open_sql()
    seen: list[Any] = []
    with s.atomic():
        s.insert("t", {"id": "a"})
        t = threading.Thread(target=lambda: seen.append(s.get("t", "a")))
        t.start()
        t.join()
    assert seen == [None]
    assert s.get("t", "a") == {"id": "a"}


# -- find means exactly store.base.matches ---------------------------------------

_SCALARS: list[Any] = [None, True, False, 0, 1, 2, 1.0, 2.5, -3, "", "a", "b", "A", "é", "1"]


def _value(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.55:
        return rng.choice(_SCALARS)
    if r < 0.85:
        return [rng.choice(_SCALARS) for _ in range(rng.randint(0, 3))]
    if r < 0.95:
        return {"k": rng.choice(_SCALARS), **({"j": "x"} if rng.random() < 0.3 else {})}
    return [[rng.choice(_SCALARS)]]


def _where(rng: random.Random) -> dict[str, Any]:
    where: dict[str, Any] = {}
    for field in rng.sample(["f", "g", "h", "id"], rng.randint(1, 2)):
        r = rng.random()
        if field == "id":
            where[field] = rng.choice(["d1", "d7", ["d2", "d3"], 5])
        elif r < 0.6:
            where[field] = rng.choice(_SCALARS)
        elif r < 0.9:
            where[field] = rng.sample(_SCALARS, rng.randint(0, 3))
        else:
            where[field] = rng.choice([{"k": 1}, {"k": "a"}, {"k": 2.5}, [[1]], ({"k": "a"},)])
    return where


def test_find_is_matches(open_sql: Factory) -> None:
    rng = random.Random(7)
    s = open_sql()
    docs = []
    with s.atomic():
        for i in range(250):
            doc: dict[str, Any] = {"id": f"d{i}"}
            for field in ("f", "g", "h"):
                if rng.random() < 0.8:
                    doc[field] = _value(rng)
            docs.append(s.insert("t", doc))
    for _ in range(400):
        where = _where(rng)
        want = [d for d in docs if matches(d, where)]
        assert s.find("t", where) == want, where
        assert s.count("t", where) == len(want), where
        assert s.find("t", where, limit=2) == want[:2], where


def test_order_by_like_python(open_sql: Factory) -> None:
    rng = random.Random(3)
    s = open_sql()
    pools: dict[str, list[Any]] = {
        "s": ["b", "a", "B", "é", "ab", "", "z", "Z", "10", "9", None],
        "n": [3, 1.5, -2, 0, 10, 2.25, None, 7],
        "t": [True, False, None],
    }
    docs = []
    for i in range(60):
        doc: dict[str, Any] = {"id": f"d{i:02}"}
        for field, pool in pools.items():
            if rng.random() < 0.9:
                doc[field] = rng.choice(pool)
        docs.append(s.insert("t", doc))
    for field in pools:
        want = _sorted(docs, field)
        got = s.find("t", order_by=field)
        assert [d.get(field) for d in got] == [d.get(field) for d in want]
        assert got == want  # ties keep insertion order
        assert s.find("t", order_by=field, limit=5) == want[:5]
    assert s.find("t", {"t": True}, order_by="s") == [
        d for d in _sorted(docs, "s") if d.get("t") is True
    ]


def _sorted(docs: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """As ``TinyDBStore.find`` orders: missing or None first, then by value (stable)."""
    return sorted(docs, key=lambda d: (0,) if d.get(field) is None else (1, d[field]))


# -- claim_due ----------------------------------------------------------------------


def test_claim_due_order_and_leases(open_sql: Factory) -> None:
    s = open_sql()
    s.insert(OUTBOX, {"id": "late", "state": "pending", "due": "2026-01-03"})
    s.insert(OUTBOX, {"id": "b", "state": "pending", "due": "2026-01-01"})
    s.insert(OUTBOX, {"id": "a", "state": "pending", "due": "2026-01-01"})
    s.insert(OUTBOX, {"id": "sent", "state": "sent", "due": "2026-01-01"})
    s.insert(
        OUTBOX, {"id": "dead", "state": "sending", "due": "2025-01-01", "lease_until": "2026-01-02"}
    )
    got = s.claim_due("2026-01-02", 10, "w1", "2026-01-02T00:02")
    assert [d["id"] for d in got] == ["dead", "a", "b"]  # oldest due first
    assert [d["was"] for d in got] == ["sending", "pending", "pending"]
    assert all(d["state"] == "claimed" and d["worker"] == "w1" for d in got)
    assert s.get(OUTBOX, "a") == got[1]
    assert s.claim_due("2026-01-02T00:01", 10, "w2", "x") == []
    again = s.claim_due("2026-01-02T00:02", 1, "w2", "2026-01-02T00:04")
    assert [(d["id"], d["was"], d["worker"]) for d in again] == [("dead", "claimed", "w2")]
    s.update(OUTBOX, "b", {"state": "sent"})
    assert [d["id"] for d in s.claim_due("2026-01-09", 10, "w3", "z")] == ["dead", "a", "late"]


def _claim_concurrently(
    open_store: Factory, workers: int, items: int, batch: int, *, overlap: bool = True
) -> None:
    setup = open_store()
    ids = [f"i{n:05}" for n in range(items)]
    with setup.atomic():
        for n, id in enumerate(ids):
            setup.insert(OUTBOX, {"id": id, "state": "pending", "due": f"2026-01-01T{n % 60:02}"})
    stores = [open_store() for _ in range(workers)]
    start = threading.Barrier(workers)
    claimed: list[list[str]] = [[] for _ in range(workers)]
    errors: list[BaseException] = []

    def work(w: int) -> None:
        try:
            start.wait()
            while True:
                got = stores[w].claim_due("2026-01-02", batch, f"w{w}", "2026-01-03")
                if not got:
                    return
                assert all(d["was"] == "pending" for d in got)
                claimed[w].extend(d["id"] for d in got)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    counts = Counter(id for c in claimed for id in c)
    assert sorted(counts) == ids
    assert set(counts.values()) == {1}, [id for id, n in counts.items() if n > 1][:10]
    if overlap:  # the workers really ran side by side
        assert sum(1 for c in claimed if c) >= 2, [len(c) for c in claimed]
    states = Counter(d["state"] for d in setup.find(OUTBOX))
    assert states == {"claimed": items}
    workers_of = {d["id"]: d["worker"] for d in setup.find(OUTBOX)}
    for w, got in enumerate(claimed):
        assert all(workers_of[id] == f"w{w}" for id in got)
    for store in [setup, *stores]:
        store.close()


@pytest.mark.postgres
@pytest.mark.slow
def test_concurrent_claims_postgres(pg_url: str, pg_schema: str) -> None:
    """Three workers claim 2,000 due items at once; each item goes to exactly one."""
    _claim_concurrently(_pg_factory(pg_url, pg_schema), workers=3, items=2000, batch=20)


def test_compare_and_set_acts_once_under_concurrency(open_sql: Factory) -> None:
    """Threads sharing one store press one button at once: exactly one press acts."""
    s = open_sql()
    for n in range(20):
        s.insert("intros", {"id": f"i{n}", "state": "asked"})
    wins: Counter[str] = Counter()
    lock = threading.Lock()

    def press(w: int) -> None:
        for n in range(20):
            done = s.update(
                "intros", f"i{n}", {"state": "accepted", "by": w}, expect={"state": "asked"}
            )
            if done is not None:
                with lock:
                    wins[done["id"]] += 1

    threads = [threading.Thread(target=press, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins == {f"i{n}": 1 for n in range(20)}
    assert all(d["state"] == "accepted" for d in s.find("intros"))


def test_concurrent_claims_sqlite(tmp_path: Path) -> None:
    _claim_concurrently(_sqlite_factory(tmp_path), workers=3, items=300, batch=10, overlap=False)


# -- copy_store ---------------------------------------------------------------------


def _fill(store: Store) -> None:
    rng = random.Random(11)
    with store.atomic():
        for i in range(300):
            store.insert(
                "people",
                {
                    "key": f"p{i}",
                    "name": rng.choice(["Ann", "Bo", "Zoë", "李", 'quote " and \\']),
                    "tags": rng.sample(["a", "b", "c", "d"], rng.randint(0, 3)),
                    "score": rng.choice([None, 0, 1.5, -7, 10**12, True]),
                    "nested": {"deep": [1, {"x": None}], "empty": {}},
                },
            )
        for i in range(120):
            store.insert(
                OUTBOX,
                {
                    "key": f"k{i}",
                    "state": rng.choice(["pending", "sent"]),
                    "due": f"2026-02-{i % 28 + 1:02}",
                },
            )
        store.insert("settings", {"id": "only", "value": []})


def _snapshot(store: Store) -> dict[str, list[dict[str, Any]]]:
    return {t: store.find(t) for t in store.tables()}


@pytest.mark.postgres
def test_copy_round_trip(tmp_path: Path, pg_url: str, pg_schema: str) -> None:
    """TinyDB -> PostgreSQL -> SQLite: every record, in order, and the schema version."""
    tiny = TinyDBStore(tmp_path / "tiny")
    _fill(tiny)
    pg = SQLStore(pg_url, schema=pg_schema)
    lite = SQLStore(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        want = _snapshot(tiny)
        assert copy_store(tiny, pg) == {t: len(d) for t, d in want.items()}
        assert _snapshot(pg) == want
        copy_store(pg, lite)
        assert _snapshot(lite) == want
        for t, docs in want.items():
            for doc in docs:
                assert lite.get(t, doc["id"]) == doc
        assert lite.schema_version() == pg.schema_version() == tiny.schema_version()
        with pytest.raises(StoreError):
            copy_store(tiny, pg)  # the destination must be empty
        back = TinyDBStore(tmp_path / "back")  # and back into TinyDB
        copy_store(lite, back)
        assert _snapshot(back) == want
        back.close()
    finally:
        tiny.close()
        pg.close()
        lite.close()


def test_copy_keeps_schema_version(tmp_path: Path) -> None:
    src = SQLStore(f"sqlite:///{tmp_path / 'a.db'}")
    dst = SQLStore(f"sqlite:///{tmp_path / 'b.db'}")
    src.insert("t", {"id": "x"})
    src.set_schema_version(SCHEMA_VERSION)
    copy_store(src, dst)
    assert dst.schema_version() == SCHEMA_VERSION
    assert dst.find("t") == [{"id": "x"}]
    src.close()
    dst.close()


# -- schemas and migrations ------------------------------------------------------------


@pytest.mark.postgres
def test_schemas_are_separate(pg_url: str) -> None:
    a, b = new_schema_name("a"), new_schema_name("b")
    try:
        with SQLStore(f"{pg_url}?schema={a}") as sa_, SQLStore(pg_url, schema=b) as sb:
            sa_.insert("t", {"id": "1"})
            assert sb.tables() == []
            assert sa_.tables() == ["t"]
        with SQLStore(pg_url, schema=a) as again:  # reopening: the upgrade is a no-op
            assert again.get("t", "1") == {"id": "1"}
    finally:
        drop_schema(pg_url, a)
        drop_schema(pg_url, b)


@pytest.mark.postgres
def test_concurrent_opens_migrate_once(pg_url: str, pg_schema: str) -> None:
    errors: list[BaseException] = []
    stores: list[Store] = []

    def open_one() -> None:
        try:
            stores.append(SQLStore(pg_url, schema=pg_schema))
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert all(s.schema_version() == SCHEMA_VERSION for s in stores)
    for s in stores:
        s.close()


def _open_version(url: str, schema: str) -> int:
    with SQLStore(url, schema=schema) as s:
        return s.schema_version()


@pytest.mark.postgres
def test_concurrent_opens_across_processes(pg_url: str, pg_schema: str) -> None:
    """Processes opening a new schema at once: one creates and migrates, all succeed."""
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(3, mp_context=ctx) as pool:
        versions = list(pool.map(_open_version, [pg_url] * 3, [pg_schema] * 3))
    assert versions == [SCHEMA_VERSION] * 3


def test_sqlite_in_memory_is_usable_from_threads() -> None:
    s = SQLStore("sqlite://")
    threads = [
        threading.Thread(target=lambda i=i: s.insert("t", {"id": f"x{i}"})) for i in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert s.count("t") == 8
    s.close()
