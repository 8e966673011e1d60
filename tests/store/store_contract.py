"""The store contract: what every backend does, and does the same way.

Every ``Store`` backend runs this suite unchanged. Subclass ``StoreContract`` in a
``test_*.py`` file and give the class a ``store_factory`` fixture: a callable that
opens a store on *the same* underlying data each time it is called (a data
directory, a database URL), starting from nothing for each test. Tests close and
reopen stores through it to check that what was written is still there::

    from tests.store.store_contract import StoreContract

    class TestSQLiteStore(StoreContract):
        @pytest.fixture
        def store_factory(self, tmp_path):
            url = f"sqlite:///{tmp_path / 'rapport.db'}"
            return lambda: SQLStore(url)

Stores opened with ``self.open()`` are closed after the test. The meaning of a
``where`` is ``store.base.matches``; several tests compare ``find`` with it.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from store.base import (
    OUTBOX,
    SCHEMA_VERSION,
    Conflict,
    Doc,
    Store,
    StoreError,
    matches,
    migrate,
)

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def at(minutes: float) -> str:
    """An ISO time ``minutes`` after START; these sort as text in time order."""
    return (START + timedelta(minutes=minutes)).isoformat()


def dump(store: Store) -> dict[str, dict[str, Doc]]:
    """Everything a store holds, by table and id."""
    return {t: {d["id"]: d for d in store.find(t)} for t in store.tables()}


def ids(docs: list[Doc]) -> list[str]:
    return [d["id"] for d in docs]


class Boom(Exception):
    """Raised inside atomic blocks to make them roll back."""


class StoreContract:
    """The tests; a subclass supplies the ``store_factory`` fixture."""

    @pytest.fixture(autouse=True)
    def _contract_stores(self, store_factory: Callable[[], Store]) -> Iterator[None]:
        self._factory = store_factory
        self._stores: list[Store] = []
        yield
        for store in reversed(self._stores):
            with contextlib.suppress(Exception):
                store.close()

    def open(self) -> Store:
        store = self._factory()
        self._stores.append(store)
        return store

    def reopen(self, store: Store) -> Store:
        store.close()
        return self.open()

    def outbox_item(self, store: Store, id: str, due: float, **fields: Any) -> Doc:
        doc = {"id": id, "state": "pending", "due": at(due), "body": f"hello {id}", **fields}
        return store.insert(OUTBOX, doc)

    # -- insert and get ------------------------------------------------------

    def test_insert_gives_a_string_id_and_get_returns_the_record(self) -> None:
        s = self.open()
        doc = s.insert("people", {"name": "Ada", "tags": ["math"], "meta": {"age": 36}})
        assert isinstance(doc["id"], str) and doc["id"]
        assert doc == {"id": doc["id"], "name": "Ada", "tags": ["math"], "meta": {"age": 36}}
        assert s.get("people", doc["id"]) == doc

    def test_insert_keeps_a_given_id(self) -> None:
        s = self.open()
        assert s.insert("people", {"id": "ada", "name": "Ada"}) == {"id": "ada", "name": "Ada"}
        assert s.get("people", "ada") == {"id": "ada", "name": "Ada"}

    def test_an_id_of_none_counts_as_no_id(self) -> None:
        s = self.open()
        doc = s.insert("people", {"id": None, "name": "Ada"})
        assert isinstance(doc["id"], str) and doc["id"]
        assert s.get("people", doc["id"]) == doc

    def test_generated_ids_are_unique(self) -> None:
        s = self.open()
        with s.atomic():
            made = [s.insert("people", {"n": n})["id"] for n in range(500)]
        assert len(set(made)) == 500
        assert s.count("people") == 500

    def test_get_of_a_missing_record_or_table_is_none(self) -> None:
        s = self.open()
        s.insert("people", {"id": "ada"})
        assert s.get("people", "bob") is None
        assert s.get("nowhere", "ada") is None

    def test_insert_new_adds_many_and_skips_each_taken_key_or_id(self) -> None:
        s = self.open()
        s.insert(OUTBOX, {"id": "old", "key": "k1", "state": "pending", "due": "1"})
        docs = [{"key": f"k{n}", "state": "pending", "due": str(n)} for n in range(2000)] + [
            {"key": "k5", "state": "pending", "due": "again"},  # taken within the same call
            {"id": "old", "key": "fresh", "state": "pending", "due": "x"},  # a taken id
            {"state": "pending", "due": "no key"},
        ]
        out = s.insert_new(OUTBOX, docs)
        assert len(out) == len(docs)
        assert out[1] is None and out[2000] is None and out[2001] is None
        added = [d for d in out if d is not None]
        assert len(added) == 1999 + 1
        s = self.reopen(s)
        assert s.count(OUTBOX) == 1 + 1999 + 1
        assert s.find_one(OUTBOX, {"key": "k1"})["id"] == "old"  # kept as it was
        assert s.find_one(OUTBOX, {"key": "k5"})["due"] == "5"
        assert all(s.get(OUTBOX, d["id"]) == d for d in added[:50])

    def test_upsert_creates_then_merges_by_key(self) -> None:
        s = self.open()
        made = s.upsert("settings", "c|ada", {"tz": "UTC"}, {"user": "ada"})
        assert made == {"id": made["id"], "key": "c|ada", "user": "ada", "tz": "UTC"}
        with s.atomic():
            again = s.upsert("settings", "c|ada", {"quiet": "22-7"}, {"user": "nobody"})
        assert again == {**made, "quiet": "22-7"}
        s = self.reopen(s)
        assert s.find(("settings"), {"key": "c|ada"}) == [again]
        assert s.get("settings", made["id"]) == again
        with contextlib.suppress(RuntimeError), s.atomic():  # undone with its group
            s.upsert("settings", "c|ada", {"tz": "Asia/Tokyo"}, {})
            s.upsert("settings", "c|bo", {"tz": "Asia/Tokyo"}, {})
            raise RuntimeError
        assert s.get("settings", made["id"])["tz"] == "UTC"
        assert s.find_one("settings", {"key": "c|bo"}) is None

    def test_insert_does_not_change_the_callers_dict(self) -> None:
        s = self.open()
        doc = {"name": "Ada", "tags": ["a"]}
        s.insert("people", doc)
        assert doc == {"name": "Ada", "tags": ["a"]}

    def test_json_values_round_trip(self) -> None:
        s = self.open()
        doc = {
            "id": "v",
            "text": 'Zoë ☕ 👩🏽‍💻 «ok» \n\t"quoted" \\ back',
            "empty": "",
            "zero": 0,
            "neg": -7,
            "big": 2**53,
            "float": 2.5,
            "yes": True,
            "no": False,
            "null": None,
            "list": [1, "two", None, False, [3], {"four": 4}],
            "nested": {"a": {"b": [{"c": None}]}, "": "empty key"},
        }
        assert s.insert("values", doc) == doc
        assert s.get("values", "v") == doc
        s = self.reopen(s)
        assert s.get("values", "v") == doc

    def test_a_value_json_cannot_hold_is_refused_and_leaves_nothing(self) -> None:
        s = self.open()
        with pytest.raises(Exception):  # noqa: B017 - which one is the backend's choice
            s.insert("people", {"id": "x", "when": object()})
        assert s.get("people", "x") is None
        s.insert("people", {"id": "ok"})
        with pytest.raises(Exception), s.atomic():  # noqa: B017
            s.insert("people", {"id": "a"})
            s.update("people", "ok", {"when": object()})
        assert s.get("people", "a") is None
        assert s.get("people", "ok") == {"id": "ok"}
        s = self.reopen(s)
        assert dump(s) == {"people": {"ok": {"id": "ok"}}}

    def test_a_lone_surrogate_is_refused_or_round_trips(self) -> None:
        # Some databases cannot hold one; then the write fails and leaves nothing.
        s = self.open()
        try:
            s.insert("people", {"id": "odd", "name": "\ud800"})
        except Exception:
            assert s.get("people", "odd") is None
            expected = None
        else:
            expected = {"id": "odd", "name": "\ud800"}
        s.insert("people", {"id": "after"})
        s = self.reopen(s)
        assert s.get("people", "odd") == expected
        assert s.get("people", "after") == {"id": "after"}

    # -- conflicts -------------------------------------------------------------

    def test_a_duplicate_id_conflicts_and_carries_the_existing_record(self) -> None:
        s = self.open()
        s.insert("people", {"id": "ada", "name": "Ada"})
        with pytest.raises(Conflict) as caught:
            s.insert("people", {"id": "ada", "name": "Imposter"})
        assert caught.value.existing == {"id": "ada", "name": "Ada"}
        assert caught.value.table == "people"
        assert isinstance(caught.value, StoreError)
        assert s.find("people") == [{"id": "ada", "name": "Ada"}]

    def test_a_duplicate_key_conflicts_and_carries_the_existing_record(self) -> None:
        s = self.open()
        first = s.insert("requests", {"key": "slack|T1|e42", "n": 1})
        with pytest.raises(Conflict) as caught:
            s.insert("requests", {"key": "slack|T1|e42", "n": 2})
        assert caught.value.existing == first
        assert s.find("requests") == [first]
        assert s.count("requests") == 1

    def test_ids_and_keys_are_unique_per_table_only(self) -> None:
        s = self.open()
        s.insert("a", {"id": "same", "key": "k"})
        s.insert("b", {"id": "same", "key": "k"})
        assert s.get("a", "same") == {"id": "same", "key": "k"}
        assert s.get("b", "same") == {"id": "same", "key": "k"}

    def test_records_without_a_key_or_with_key_none_do_not_conflict(self) -> None:
        s = self.open()
        s.insert("t", {"n": 1})
        s.insert("t", {"n": 2})
        s.insert("t", {"n": 3, "key": None})
        s.insert("t", {"n": 4, "key": None})
        assert s.count("t") == 4

    def test_a_key_is_free_again_once_its_record_is_deleted_or_rekeyed(self) -> None:
        s = self.open()
        a = s.insert("t", {"key": "k1"})
        b = s.insert("t", {"key": "k2"})
        s.delete("t", a["id"])
        again = s.insert("t", {"key": "k1"})
        s.update("t", b["id"], {"key": "k3"})
        s.insert("t", {"key": "k2"})
        with pytest.raises(Conflict):
            s.insert("t", {"key": "k3"})
        s.update("t", again["id"], {"key": None})
        s.insert("t", {"key": "k1"})
        s = self.reopen(s)
        for key in ("k1", "k2", "k3"):
            with pytest.raises(Conflict):
                s.insert("t", {"key": key})
        assert sorted(d.get("key") or "-" for d in s.find("t")) == ["-", "k1", "k2", "k3"]

    def test_a_conflict_inside_an_atomic_block_undoes_the_block(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "key": "ka"})
        with pytest.raises(Conflict), s.atomic():
            s.insert("t", {"id": "b", "key": "kb"})
            s.update("t", "a", {"x": 1})
            s.insert("t", {"id": "c", "key": "ka"})
        assert dump(s) == {"t": {"a": {"id": "a", "key": "ka"}}}
        s.insert("t", {"id": "b", "key": "kb"})  # the key was given back

    # -- update ----------------------------------------------------------------

    def test_update_merges_changes_and_returns_the_record(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "x": 1, "y": 2, "tags": ["p"]})
        new = s.update("t", "a", {"y": 3, "z": None, "tags": ["p", "q"]})
        assert new == {"id": "a", "x": 1, "y": 3, "z": None, "tags": ["p", "q"]}
        assert s.get("t", "a") == new

    def test_update_of_a_missing_record_returns_none_and_creates_nothing(self) -> None:
        s = self.open()
        assert s.update("t", "nope", {"x": 1}) is None
        assert s.update("t", "nope", {"x": 1}, expect={"x": None}) is None
        assert s.get("t", "nope") is None
        assert s.tables() == []

    def test_update_with_a_matching_expect_applies(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "state": "pending"})
        new = s.update("t", "a", {"state": "sent"}, expect={"state": "pending"})
        assert new == {"id": "a", "state": "sent"}
        assert s.get("t", "a") == new

    def test_update_with_an_expect_that_does_not_match_changes_nothing(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "state": "sent", "n": 1, "flag": True, "l": [1, False]})
        assert s.update("t", "a", {"state": "x"}, expect={"state": "pending"}) is None
        assert s.update("t", "a", {"state": "x"}, expect={"state": "sent", "n": 2}) is None
        assert s.update("t", "a", {"state": "x"}, expect={"missing": "v"}) is None
        assert s.update("t", "a", {"state": "x"}, expect={"flag": 1}) is None
        assert s.update("t", "a", {"state": "x"}, expect={"n": True}) is None
        assert s.update("t", "a", {"state": "x"}, expect={"l": True}) is None
        assert s.update("t", "a", {"state": "x"}, expect={"l": 0}) is None
        assert s.get("t", "a") == {
            "id": "a",
            "state": "sent",
            "n": 1,
            "flag": True,
            "l": [1, False],
        }
        assert s.find("t", {"state": "x"}) == []

    def test_update_expect_may_name_several_states_or_a_missing_field(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "state": "claimed"})
        assert s.update("t", "a", {"state": "sending"}, expect={"state": ["claimed", "x"]})
        assert s.update("t", "a", {"n": 1}, expect={"n": None})
        assert s.update("t", "a", {"n": 2}, expect={"n": None}) is None
        assert s.get("t", "a") == {"id": "a", "state": "sending", "n": 1}

    def test_two_presses_of_one_button_act_once(self) -> None:
        s = self.open()
        s.insert("intros", {"id": "i", "state": "asked"})
        first = s.update("intros", "i", {"state": "accepted"}, expect={"state": "asked"})
        second = s.update("intros", "i", {"state": "accepted"}, expect={"state": "asked"})
        assert first is not None and second is None

    def test_update_cannot_change_a_records_id(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "x": 1})
        new = s.update("t", "a", {"id": "b", "x": 2})
        assert new == {"id": "a", "x": 2}
        assert s.get("t", "b") is None
        assert s.get("t", "a") == {"id": "a", "x": 2}

    def test_update_cannot_take_another_records_key(self) -> None:
        s = self.open()
        a = s.insert("t", {"id": "a", "key": "ka"})
        b = s.insert("t", {"id": "b", "key": "kb", "n": 1})
        with pytest.raises(Conflict) as caught:
            s.update("t", "b", {"key": "ka", "n": 2})
        assert caught.value.existing == a
        assert s.get("t", "a") == a
        assert s.get("t", "b") == b
        assert s.find("t", {"key": "ka"}) == [a]
        assert s.find("t", {"key": "kb"}) == [b]
        # keeping one's own key is no conflict
        assert s.update("t", "b", {"key": "kb", "n": 3}) == {"id": "b", "key": "kb", "n": 3}

    # -- delete ----------------------------------------------------------------

    def test_delete(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "state": "x", "key": "ka"})
        s.insert("t", {"id": "b", "state": "x"})
        assert s.delete("t", "a") is True
        assert s.delete("t", "a") is False
        assert s.delete("nowhere", "a") is False
        assert s.get("t", "a") is None
        assert ids(s.find("t", {"state": "x"})) == ["b"]
        assert s.find("t", {"key": "ka"}) == []
        assert s.count("t") == 1

    def test_deleting_the_last_record_of_a_table_drops_it_from_tables(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a"})
        s.insert("u", {"id": "a"})
        s.delete("t", "a")
        assert s.tables() == ["u"]
        assert s.find("t") == [] and s.count("t") == 0

    # -- find and count --------------------------------------------------------

    def test_find_by_equality_of_every_field(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "state": "pending", "who": "ada"})
        s.insert("t", {"id": "b", "state": "pending", "who": "bob"})
        s.insert("t", {"id": "c", "state": "sent", "who": "ada"})
        assert sorted(ids(s.find("t", {"state": "pending"}))) == ["a", "b"]
        assert ids(s.find("t", {"state": "pending", "who": "ada"})) == ["a"]
        assert s.find("t", {"state": "pending", "who": "cyd"}) == []
        assert s.find("t", {"state": "nope"}) == []
        assert sorted(ids(s.find("t"))) == ["a", "b", "c"]
        assert sorted(ids(s.find("t", {}))) == ["a", "b", "c"]
        assert s.find("nowhere", {"state": "pending"}) == []

    def test_find_by_id_and_by_key_still_checks_the_other_fields(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "key": "ka", "state": "sent"})
        s.insert("t", {"id": "b", "key": "kb", "state": "pending"})
        assert ids(s.find("t", {"id": "a"})) == ["a"]
        assert s.find("t", {"id": "a", "state": "pending"}) == []
        assert sorted(ids(s.find("t", {"id": ["a", "b", "zz"]}))) == ["a", "b"]
        assert ids(s.find("t", {"key": "kb"})) == ["b"]
        assert s.find("t", {"key": "kb", "state": "sent"}) == []
        assert sorted(ids(s.find("t", {"key": ["ka", "kb"]}))) == ["a", "b"]
        assert s.find("t", {"key": "nope"}) == []
        assert s.find_one("t", {"key": "ka"}) == {"id": "a", "key": "ka", "state": "sent"}
        assert s.find_one("t", {"key": "nope"}) is None

    def test_find_with_a_list_of_wanted_values_means_any_of(self) -> None:
        s = self.open()
        for id, state in [("a", "pending"), ("b", "claimed"), ("c", "sent"), ("d", None)]:
            s.insert("t", {"id": id, "state": state})
        assert sorted(ids(s.find("t", {"state": ["pending", "claimed"]}))) == ["a", "b"]
        assert sorted(ids(s.find("t", {"state": ("sent", None)}))) == ["c", "d"]
        assert sorted(ids(s.find("t", {"state": {"sent"}}))) == ["c"]
        assert s.find("t", {"state": []}) == []
        assert s.count("t", {"state": ["pending", "claimed", "sent"]}) == 3

    def test_find_a_scalar_in_a_list_field(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "tags": ["x", "y"]})
        s.insert("t", {"id": "b", "tags": ["y", "z"]})
        s.insert("t", {"id": "c", "tags": []})
        s.insert("t", {"id": "d", "tags": "x"})
        assert sorted(ids(s.find("t", {"tags": "x"}))) == ["a", "d"]
        assert sorted(ids(s.find("t", {"tags": "y"}))) == ["a", "b"]
        assert sorted(ids(s.find("t", {"tags": ["x", "z"]}))) == ["a", "b", "d"]
        assert s.find("t", {"tags": "w"}) == []
        assert s.count("t", {"tags": "y"}) == 2

    def test_find_does_not_confuse_booleans_and_numbers(self) -> None:
        s = self.open()
        s.insert("t", {"id": "true", "v": True, "l": [True]})
        s.insert("t", {"id": "one", "v": 1, "l": [1]})
        s.insert("t", {"id": "false", "v": False, "l": [False]})
        s.insert("t", {"id": "zero", "v": 0, "l": [0]})
        s.insert("t", {"id": "onef", "v": 1.0, "l": [1.0]})
        for field in ("v", "l"):
            assert ids(s.find("t", {field: True})) == ["true"]
            assert ids(s.find("t", {field: False})) == ["false"]
            assert sorted(ids(s.find("t", {field: 1}))) == ["one", "onef"]
            assert ids(s.find("t", {field: 0})) == ["zero"]
            assert sorted(ids(s.find("t", {field: [True, 0]}))) == ["true", "zero"]
            assert s.count("t", {field: True}) == 1
        for id in ("true", "one", "false", "zero"):
            doc = s.get("t", id)
            assert doc is not None and type(doc["v"]) is type(doc["l"][0])
        s = self.reopen(s)
        assert ids(s.find("t", {"l": True})) == ["true"]
        assert type(s.get("t", "true")["v"]) is bool  # type: ignore[index]
        assert type(s.get("t", "one")["v"]) is int  # type: ignore[index]

    def test_find_none_matches_null_and_missing_fields(self) -> None:
        s = self.open()
        s.insert("t", {"id": "null", "v": None})
        s.insert("t", {"id": "missing"})
        s.insert("t", {"id": "set", "v": "x"})
        s.insert("t", {"id": "empty", "v": ""})
        s.insert("t", {"id": "zero", "v": 0})
        s.insert("t", {"id": "false", "v": False})
        assert sorted(ids(s.find("t", {"v": None}))) == ["missing", "null"]
        assert sorted(ids(s.find("t", {"v": [None, "x"]}))) == ["missing", "null", "set"]
        assert s.count("t", {"v": None}) == 2

    def test_find_by_a_nested_value(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "meta": {"k": 1}, "items": [{"k": 1}, {"k": 2}]})
        s.insert("t", {"id": "b", "meta": {"k": 2}, "items": [{"k": 2}]})
        assert ids(s.find("t", {"meta": {"k": 1}})) == ["a"]
        assert ids(s.find("t", {"items": {"k": 1}})) == ["a"]
        assert sorted(ids(s.find("t", {"items": {"k": 2}}))) == ["a", "b"]
        assert ids(s.find("t", {"meta": {"k": 2}, "items": {"k": 2}})) == ["b"]

    def test_find_order_by_puts_none_first_and_limit_takes_the_first(self) -> None:
        s = self.open()
        s.insert("t", {"id": "c", "kind": "x", "due": at(3)})
        s.insert("t", {"id": "a", "kind": "x", "due": at(1)})
        s.insert("t", {"id": "n", "kind": "x", "due": None})
        s.insert("t", {"id": "b", "kind": "x", "due": at(2)})
        s.insert("t", {"id": "m", "kind": "x"})  # no due at all
        ordered = ids(s.find("t", order_by="due"))
        assert sorted(ordered[:2]) == ["m", "n"]
        assert ordered[2:] == ["a", "b", "c"]
        assert ids(s.find("t", {"kind": "x"}, order_by="due", limit=4))[2:] == ["a", "b"]
        assert len(s.find("t", limit=2)) == 2
        assert s.find("t", limit=0) == []
        assert len(s.find("t", {"kind": "x"}, limit=10)) == 5
        assert ids(s.find("t", {"due": [at(2), at(3)]}, order_by="due", limit=1)) == ["b"]
        s.insert("u", {"id": "x", "n": 10})
        s.insert("u", {"id": "y", "n": -1})
        s.insert("u", {"id": "z", "n": 2})
        assert ids(s.find("u", order_by="n")) == ["y", "z", "x"]

    def test_find_agrees_with_matches(self) -> None:
        rnd = random.Random(20261201)
        # ``user``: a member field (an index of its own on PostgreSQL, ``?|``); {"a": 1}
        # has a key equal to a wanted string, which must still not match.
        pool: list[Any] = [None, 0, 1, 2, True, False, "a", "b", "", {"x": 1}, {"a": 1}]
        lists: list[Any] = [[], ["a"], ["a", "b"], [1, True], [0], [False], [None, "b"]]
        lists.append([{"x": 1}, "a"])
        s = self.open()
        docs = []
        with s.atomic():
            for n in range(300):
                doc: Doc = {"id": f"d{n}"}
                for field in ("f", "user", "tags"):
                    r = rnd.random()
                    if r < 0.15:
                        continue  # missing
                    doc[field] = rnd.choice(lists if r > 0.7 else pool)
                docs.append(s.insert("t", doc))
        wanted_pool = [v for v in pool if not isinstance(v, dict)]
        for n in range(400):
            where: dict[str, Any] = {}
            for field in rnd.sample(["f", "user", "tags", "id"], rnd.randint(1, 2)):
                if field == "id":
                    where["id"] = [*rnd.sample([d["id"] for d in docs], 3), "nope"]
                elif rnd.random() < 0.4:
                    where[field] = rnd.sample(wanted_pool, rnd.randint(0, 3))
                elif rnd.random() < 0.05:
                    where[field] = {"x": 1}
                else:
                    where[field] = rnd.choice(wanted_pool)
            expected = sorted(d["id"] for d in docs if matches(d, where))
            assert sorted(ids(s.find("t", where))) == expected, where
            assert s.count("t", where) == len(expected), where
            if n % 10 == 0:  # change some records so any indexes must follow
                victim = rnd.choice(docs)
                field = rnd.choice(["f", "user", "tags"])
                new = s.update("t", victim["id"], {field: rnd.choice(pool + lists)})
                assert new is not None
                docs[docs.index(victim)] = new

    def test_count(self) -> None:
        s = self.open()
        assert s.count("t") == 0
        with s.atomic():
            for n in range(10):
                s.insert("t", {"n": n, "even": n % 2 == 0})
        assert s.count("t") == 10
        assert s.count("t", {"even": True}) == 5
        assert s.count("t", {"n": [1, 2, 3, 99]}) == 3
        assert s.count("t", {}) == 10

    def test_find_one_and_iter_all(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "n": 1})
        s.insert("t", {"id": "b", "n": 2})
        assert s.find_one("t", {"n": 2}) == {"id": "b", "n": 2}
        assert s.find_one("t", {"n": 3}) is None
        assert sorted(ids(list(s.iter_all("t")))) == ["a", "b"]

    def test_tables_lists_tables_that_hold_records(self) -> None:
        s = self.open()
        assert s.tables() == []
        s.insert("people", {"id": "a"})
        s.insert(OUTBOX, {"id": "o", "state": "sent"})
        assert sorted(s.tables()) == sorted(["people", OUTBOX])
        with pytest.raises(Boom), s.atomic():
            s.insert("ghosts", {"id": "g"})
            raise Boom
        assert sorted(s.tables()) == sorted(["people", OUTBOX])
        s = self.reopen(s)
        assert sorted(s.tables()) == sorted(["people", OUTBOX])

    # -- atomic groups ---------------------------------------------------------

    def test_an_atomic_group_is_kept_whole_and_survives_reopen(self) -> None:
        s = self.open()
        s.insert("t", {"id": "old", "n": 0})
        s.insert("t", {"id": "gone", "n": 0})
        with s.atomic():
            s.insert("t", {"id": "a", "n": 1})
            s.insert("u", {"id": "b", "n": 2})
            s.update("t", "old", {"n": 9})
            s.delete("t", "gone")
            with s.atomic():
                s.insert("t", {"id": "c", "n": 3})
        expected = {
            "t": {
                "old": {"id": "old", "n": 9},
                "a": {"id": "a", "n": 1},
                "c": {"id": "c", "n": 3},
            },
            "u": {"b": {"id": "b", "n": 2}},
        }
        assert dump(s) == expected
        s = self.reopen(s)
        assert dump(s) == expected

    def test_an_exception_undoes_inserts_updates_and_deletes(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "state": "pending", "key": "ka", "tags": ["x"]})
        s.insert("t", {"id": "b", "state": "pending", "key": "kb"})
        before = dump(s)
        error = Boom("no")
        with pytest.raises(Boom) as caught, s.atomic():
            s.insert("t", {"id": "c", "state": "pending", "key": "kc"})
            s.insert("new", {"id": "n"})
            s.update("t", "a", {"state": "sent", "key": "ka2", "tags": ["y"]})
            s.update("t", "a", {"state": "failed"})
            s.delete("t", "b")
            s.insert("t", {"id": "b", "state": "reborn", "key": "kb"})
            s.update("t", "c", {"state": "sent"})
            s.delete("t", "c")
            raise error
        assert caught.value is error
        assert dump(s) == before
        s = self.reopen(s)
        assert dump(s) == before

    def test_finds_and_keys_are_consistent_after_a_rollback(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "state": "pending", "key": "ka", "tags": ["x"]})
        s.insert("t", {"id": "b", "state": "sent", "key": "kb", "tags": ["y"]})
        # ask first, so a backend with lazily built indexes has them during the group
        assert ids(s.find("t", {"state": "pending"})) == ["a"]
        assert ids(s.find("t", {"tags": "y"})) == ["b"]
        assert ids(s.find("t", {"key": "ka"})) == ["a"]
        with pytest.raises(Boom), s.atomic():
            s.update("t", "a", {"state": "sent", "key": "kz", "tags": ["y"]})
            s.delete("t", "b")
            s.insert("t", {"id": "c", "state": "pending", "key": "kb", "tags": ["x"]})
            assert sorted(ids(s.find("t", {"state": "sent"}))) == ["a"]
            assert sorted(ids(s.find("t", {"key": ["kz", "kb"]}))) == ["a", "c"]
            raise Boom
        assert ids(s.find("t", {"state": "pending"})) == ["a"]
        assert ids(s.find("t", {"state": "sent"})) == ["b"]
        assert ids(s.find("t", {"tags": "x"})) == ["a"]
        assert ids(s.find("t", {"tags": "y"})) == ["b"]
        assert ids(s.find("t", {"key": "ka"})) == ["a"]
        assert ids(s.find("t", {"key": "kb"})) == ["b"]
        assert s.find("t", {"key": "kz"}) == []
        assert s.get("t", "c") is None
        with pytest.raises(Conflict):
            s.insert("t", {"key": "ka"})
        with pytest.raises(Conflict):
            s.insert("t", {"key": "kb"})
        s.insert("t", {"id": "z", "key": "kz"})  # the rolled-back key is free

    def test_a_failed_nested_block_undoes_only_its_own_writes(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "n": 0})
        with s.atomic():
            s.insert("t", {"id": "outer", "n": 1})
            with pytest.raises(Boom), s.atomic():
                s.insert("t", {"id": "inner", "n": 2})
                s.update("t", "a", {"n": 5})
                s.delete("t", "outer")
                raise Boom
            s.update("t", "a", {"n": 1})
            with s.atomic():
                s.insert("t", {"id": "inner2", "n": 3})
        expected = {
            "a": {"id": "a", "n": 1},
            "outer": {"id": "outer", "n": 1},
            "inner2": {"id": "inner2", "n": 3},
        }
        assert dump(s) == {"t": expected}
        s = self.reopen(s)
        assert dump(s) == {"t": expected}

    def test_a_failed_outer_block_undoes_the_committed_inner_ones(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a", "n": 0})
        with pytest.raises(Boom), s.atomic():
            with s.atomic():
                s.insert("t", {"id": "inner", "n": 2})
                s.update("t", "a", {"n": 5})
            with s.atomic(), s.atomic():
                s.insert("t", {"id": "deeper"})
            raise Boom
        assert dump(s) == {"t": {"a": {"id": "a", "n": 0}}}
        s = self.reopen(s)
        assert dump(s) == {"t": {"a": {"id": "a", "n": 0}}}

    def test_the_store_works_on_after_a_rollback(self) -> None:
        s = self.open()
        with pytest.raises(Boom), s.atomic():
            s.insert("t", {"id": "a"})
            raise Boom
        s.insert("t", {"id": "a", "n": 1})
        with s.atomic():
            s.update("t", "a", {"n": 2})
        s = self.reopen(s)
        assert dump(s) == {"t": {"a": {"id": "a", "n": 2}}}

    # -- copies ----------------------------------------------------------------

    def test_returned_records_are_copies(self) -> None:
        s = self.open()
        original = {"id": "a", "key": "ka", "tags": ["x"], "meta": {"n": [1]}, "state": "p"}
        inserted = s.insert("t", dict(original))
        got = s.get("t", "a")
        found = s.find("t", {"tags": "x"})[0]
        updated = s.update("t", "a", {"state": "p"})
        one = s.find_one("t", {"key": "ka"})
        with pytest.raises(Conflict) as caught:
            s.insert("t", {"id": "a"})
        for doc in (inserted, got, found, updated, one, caught.value.existing):
            assert doc is not None
            doc["tags"].append("mutated")
            doc["meta"]["n"].append(2)
            doc["meta"]["new"] = True
            doc["state"] = "mutated"
            doc["extra"] = 1
        assert s.get("t", "a") == original
        assert ids(s.find("t", {"tags": "x"})) == ["a"]
        assert s.find("t", {"tags": "mutated"}) == []
        assert s.find("t", {"state": "mutated"}) == []

    def test_claimed_records_returned_are_copies(self) -> None:
        s = self.open()
        self.outbox_item(s, "o", 0, parts=["p1"])
        [claimed] = s.claim_due(at(1), 5, "w", at(10))
        claimed["parts"].append("p2")
        claimed["state"] = "sent"
        assert s.get(OUTBOX, "o")["parts"] == ["p1"]  # type: ignore[index]
        assert s.get(OUTBOX, "o")["state"] == "claimed"  # type: ignore[index]

    def test_changing_what_was_passed_in_does_not_change_the_store(self) -> None:
        s = self.open()
        doc = {"id": "a", "tags": ["x"], "meta": {"n": 1}}
        s.insert("t", doc)
        doc["tags"].append("y")
        doc["meta"]["n"] = 2
        changes = {"more": ["m"], "deep": {"d": [1]}}
        expect = {"tags": "x"}
        s.update("t", "a", changes, expect=expect)
        changes["more"].append("n")
        changes["deep"]["d"].append(2)  # type: ignore[index]
        assert s.get("t", "a") == {
            "id": "a",
            "tags": ["x"],
            "meta": {"n": 1},
            "more": ["m"],
            "deep": {"d": [1]},
        }
        assert changes == {"more": ["m", "n"], "deep": {"d": [1, 2]}}
        assert expect == {"tags": "x"}

    # -- the outbox: claim_due -------------------------------------------------

    def test_claim_takes_pending_items_that_are_due_oldest_first(self) -> None:
        s = self.open()
        for n in (3, 1, 5, 2, 4):
            self.outbox_item(s, f"o{n}", n, parts=[n])
        self.outbox_item(s, "later", 12)
        taken = s.claim_due(at(5), 3, "w1", at(15))
        assert ids(taken) == ["o1", "o2", "o3"]
        for doc in taken:
            n = int(doc["id"][1:])
            assert doc == {
                "id": f"o{n}",
                "state": "claimed",
                "due": at(n),
                "body": f"hello o{n}",
                "parts": [n],
                "worker": "w1",
                "lease_until": at(15),
                "was": "pending",
            }
            assert s.get(OUTBOX, doc["id"]) == doc
        assert ids(s.claim_due(at(5), 10, "w2", at(15))) == ["o4", "o5"]
        assert s.claim_due(at(5), 10, "w3", at(15)) == []
        assert s.get(OUTBOX, "later")["state"] == "pending"  # type: ignore[index]
        assert ids(s.claim_due(at(12), 10, "w3", at(40))) == ["later"]  # leases hold

    def test_claim_of_an_empty_outbox_or_with_limit_zero_takes_nothing(self) -> None:
        s = self.open()
        assert s.claim_due(at(0), 10, "w", at(10)) == []
        self.outbox_item(s, "o", 0)
        assert s.claim_due(at(0), 0, "w", at(10)) == []
        assert s.get(OUTBOX, "o")["state"] == "pending"  # type: ignore[index]

    def test_claim_takes_an_item_due_exactly_now(self) -> None:
        s = self.open()
        self.outbox_item(s, "o", 5)
        assert s.claim_due(at(4.99), 10, "w", at(10)) == []
        assert ids(s.claim_due(at(5), 10, "w", at(10))) == ["o"]

    def test_claim_never_takes_sent_failed_or_cancelled_items(self) -> None:
        s = self.open()
        for state in ("sent", "failed", "cancelled"):
            self.outbox_item(s, state, 0, state=state, lease_until=at(1), worker="old")
        self.outbox_item(s, "p", 2)
        s.insert("not_outbox", {"id": "x", "state": "pending", "due": at(0)})
        assert ids(s.claim_due(at(100), 10, "w", at(200))) == ["p"]
        assert s.claim_due(at(150), 10, "w", at(300)) == []
        for state in ("sent", "failed", "cancelled"):
            assert s.get(OUTBOX, state)["state"] == state  # type: ignore[index]
        assert s.get("not_outbox", "x")["state"] == "pending"  # type: ignore[index]

    def test_an_item_whose_lease_ran_out_can_be_claimed_again(self) -> None:
        s = self.open()
        self.outbox_item(s, "c", 0)
        self.outbox_item(s, "s", 1)
        assert ids(s.claim_due(at(2), 10, "w1", at(10))) == ["c", "s"]
        s.update(OUTBOX, "s", {"state": "sending"}, expect={"state": "claimed"})
        assert s.claim_due(at(9), 10, "w2", at(20)) == []  # leases hold
        taken = s.claim_due(at(10), 10, "w2", at(20))  # lease_until == now: ran out
        assert ids(taken) == ["c", "s"]
        assert [(d["was"], d["worker"], d["lease_until"]) for d in taken] == [
            ("claimed", "w2", at(20)),
            ("sending", "w2", at(20)),
        ]
        assert [d["state"] for d in taken] == ["claimed", "claimed"]
        assert s.claim_due(at(19), 10, "w3", at(30)) == []

    def test_claim_orders_by_due_across_pending_and_expired_items(self) -> None:
        s = self.open()
        self.outbox_item(s, "old", 1)
        assert ids(s.claim_due(at(1), 1, "dead", at(50))) == ["old"]
        self.outbox_item(s, "p10", 10)
        self.outbox_item(s, "p20", 20)
        self.outbox_item(s, "p70", 70)
        # at 60: "old" (due 1, lease ran out at 50) is the oldest due, though its
        # lease ran out after p10 and p20 were due
        assert ids(s.claim_due(at(60), 2, "w", at(100))) == ["old", "p10"]
        assert ids(s.claim_due(at(60), 5, "w", at(100))) == ["p20"]

    def test_two_claims_never_return_one_item_while_its_lease_holds(self) -> None:
        s = self.open()
        with s.atomic():
            for n in range(20):
                self.outbox_item(s, f"o{n:02d}", n)
        seen: list[str] = []
        for worker in ("w1", "w2", "w3", "w4", "w5", "w6"):
            seen += ids(s.claim_due(at(30), 4, worker, at(40)))
        assert sorted(seen) == [f"o{n:02d}" for n in range(20)]
        assert len(seen) == len(set(seen)) == 20
        # later leases hold against a claim at a time before they end
        again = s.claim_due(at(40), 7, "w7", at(60))
        assert ids(again) == [f"o{n:02d}" for n in range(7)]
        rest = ids(s.claim_due(at(41), 100, "w8", at(60)))
        assert rest == [f"o{n:02d}" for n in range(7, 20)]
        assert s.claim_due(at(59), 100, "w9", at(80)) == []

    def test_claim_follows_updates_to_items(self) -> None:
        s = self.open()
        self.outbox_item(s, "a", 0)
        self.outbox_item(s, "b", 0)
        self.outbox_item(s, "c", 0)
        self.outbox_item(s, "d", 50)
        s.update(OUTBOX, "a", {"due": at(20)})  # postponed
        s.update(OUTBOX, "b", {"state": "cancelled"}, expect={"state": "pending"})
        s.update(OUTBOX, "d", {"due": at(1)})  # brought forward
        assert ids(s.claim_due(at(5), 10, "w", at(6))) == ["c", "d"]
        s.update(OUTBOX, "c", {"state": "sent"}, expect={"state": "claimed"})
        s.update(OUTBOX, "d", {"state": "pending", "due": at(30)}, expect={"state": "claimed"})
        s.delete(OUTBOX, "a")
        assert s.claim_due(at(25), 10, "w", at(40)) == []
        assert ids(s.claim_due(at(30), 10, "w", at(40))) == ["d"]

    def test_a_claim_inside_a_rolled_back_group_is_undone(self) -> None:
        s = self.open()
        self.outbox_item(s, "a", 0)
        with pytest.raises(Boom), s.atomic():
            assert ids(s.claim_due(at(1), 10, "w", at(10))) == ["a"]
            raise Boom
        assert s.get(OUTBOX, "a")["state"] == "pending"  # type: ignore[index]
        assert ids(s.claim_due(at(1), 10, "w2", at(10))) == ["a"]

    def test_claims_and_leases_survive_reopen(self) -> None:
        s = self.open()
        for n in range(4):
            self.outbox_item(s, f"o{n}", n)
        assert ids(s.claim_due(at(1), 10, "w", at(20))) == ["o0", "o1"]
        s = self.reopen(s)
        assert s.get(OUTBOX, "o0")["worker"] == "w"  # type: ignore[index]
        assert ids(s.claim_due(at(10), 10, "w2", at(30))) == ["o2", "o3"]
        assert ids(s.claim_due(at(20), 10, "w3", at(40))) == ["o0", "o1"]

    # -- schema ----------------------------------------------------------------

    def test_an_opened_store_is_at_the_current_schema_version(self) -> None:
        s = self.open()
        assert s.schema_version() == SCHEMA_VERSION
        migrate(s)  # nothing to do, and no harm
        assert s.schema_version() == SCHEMA_VERSION
        assert s.tables() == []
        s = self.reopen(s)
        assert s.schema_version() == SCHEMA_VERSION
        assert s.tables() == []

    def test_a_newer_schema_is_refused(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a"})
        s.set_schema_version(SCHEMA_VERSION + 1)
        assert s.schema_version() == SCHEMA_VERSION + 1
        with pytest.raises(StoreError):
            migrate(s)
        s.close()
        with pytest.raises(StoreError):
            self.open()

    # -- durability and lifecycle ----------------------------------------------

    def test_every_kind_of_write_survives_reopen(self) -> None:
        s = self.open()
        s.insert("t", {"id": "ins", "v": 1})
        s.insert("t", {"id": "upd", "v": 1})
        s.insert("t", {"id": "cas", "state": "a"})
        s.insert("t", {"id": "cas-miss", "state": "a"})
        s.insert("t", {"id": "del", "key": "kdel"})
        s.insert("gen", {"n": 1})
        s.update("t", "upd", {"v": 2, "extra": [1, {"x": None}]})
        s.update("t", "cas", {"state": "b"}, expect={"state": "a"})
        s.update("t", "cas-miss", {"state": "b"}, expect={"state": "z"})
        s.delete("t", "del")
        with s.atomic():
            s.insert("grp", {"id": "g1", "key": "kg"})
            s.update("t", "ins", {"v": 3})
        self.outbox_item(s, "o1", 0)
        self.outbox_item(s, "o2", 1)
        s.claim_due(at(0), 10, "w", at(10))
        before = dump(s)
        assert before["t"]["cas"]["state"] == "b"
        assert before["t"]["cas-miss"]["state"] == "a"
        assert "del" not in before["t"]
        for _ in range(3):
            s = self.reopen(s)
            assert dump(s) == before
            assert s.schema_version() == SCHEMA_VERSION
        with pytest.raises(Conflict):
            s.insert("grp", {"key": "kg"})
        s.insert("t", {"key": "kdel"})  # the deleted record's key is free
        assert ids(s.claim_due(at(1), 10, "w2", at(10))) == ["o2"]

    def test_many_small_writes_survive_reopen(self) -> None:
        s = self.open()
        rnd = random.Random(7)
        for n in range(300):
            id = f"r{rnd.randrange(60)}"
            if s.get("t", id) is None:
                s.insert("t", {"id": id, "n": n, "pad": "x" * rnd.randrange(200)})
            elif rnd.random() < 0.3:
                s.delete("t", id)
            else:
                s.update("t", id, {"n": n})
            if n % 100 == 99:
                before = dump(s)
                s = self.reopen(s)
                assert dump(s) == before

    def test_writes_to_a_closed_store_raise_store_error(self) -> None:
        s = self.open()
        s.insert("t", {"id": "a"})
        s.close()
        s.close()  # closing twice is fine
        with pytest.raises(StoreError):
            s.insert("t", {"id": "b"})
        with pytest.raises(StoreError):
            s.update("t", "a", {"n": 1})
        with pytest.raises(StoreError):
            s.delete("t", "a")
        with pytest.raises(StoreError):
            s.claim_due(at(0), 1, "w", at(1))
        s = self.open()
        assert dump(s) == {"t": {"a": {"id": "a"}}}

    def test_a_large_data_set_is_found_correctly_after_mixed_updates(self) -> None:
        rnd = random.Random(5000)
        owners = [f"u{n}" for n in range(50)]
        states = ["pending", "claimed", "sent", "failed", "cancelled"]
        tags = [f"t{n}" for n in range(10)]
        model: dict[str, Doc] = {}
        s = self.open()

        def new_doc(n: int) -> Doc:
            doc: Doc = {
                "id": f"r{n:05d}",
                "n": n,
                "owner": rnd.choice(owners),
                "state": rnd.choice(states),
                "tags": rnd.sample(tags, rnd.randint(0, 3)),
                "flag": rnd.random() < 0.5,
            }
            if n % 2:
                doc["key"] = f"k{n}"
            return doc

        for start in range(0, 5000, 500):
            with s.atomic():
                for n in range(start, start + 500):
                    doc = s.insert("big", new_doc(n))
                    model[doc["id"]] = doc

        queries: list[dict[str, Any]] = [{"owner": o} for o in owners[:4]]
        queries += [{"state": st} for st in states]
        queries += [{"tags": t} for t in tags]
        queries += [{"flag": True}, {"flag": False}, {"flag": 1}]
        queries += [{"state": ["pending", "claimed"], "owner": o} for o in owners[:3]]
        queries += [{"tags": ["t1", "t2"], "flag": True}, {"owner": "u1", "tags": "t3"}]

        def check(store: Store) -> None:
            for where in queries:
                expected = sorted(i for i, d in model.items() if matches(d, where))
                assert sorted(ids(store.find("big", where))) == expected, where
                assert store.count("big", where) == len(expected), where
            keyed = [d for d in model.values() if d.get("key")]
            for doc in rnd.sample(keyed, 100):
                assert store.find("big", {"key": doc["key"]}) == [doc]
            assert store.count("big") == len(model)
            first = store.find("big", {"state": "pending"}, order_by="n", limit=5)
            pending = sorted(
                (d for d in model.values() if d["state"] == "pending"), key=lambda d: d["n"]
            )
            assert first == pending[:5]

        check(s)  # also builds any lazy indexes before the changes below
        next_n = 5000
        for batch in range(10):
            staged = dict(model)
            try:
                with s.atomic():
                    for _ in range(300):
                        id = rnd.choice(list(staged))
                        r = rnd.random()
                        if r < 0.1:
                            assert s.delete("big", id)
                            del staged[id]
                        elif r < 0.2:
                            doc = s.insert("big", new_doc(next_n))
                            staged[doc["id"]] = doc
                            next_n += 1
                        else:
                            changes: Doc = {}
                            if rnd.random() < 0.5:
                                changes["owner"] = rnd.choice(owners)
                            if rnd.random() < 0.5:
                                changes["state"] = rnd.choice(states)
                            if rnd.random() < 0.4:
                                changes["tags"] = rnd.sample(tags, rnd.randint(0, 3))
                            if rnd.random() < 0.3:
                                changes["flag"] = not staged[id]["flag"]
                            if rnd.random() < 0.1:
                                changes["key"] = f"k{id}-{batch}"
                            new = s.update("big", id, changes)
                            assert new is not None
                            staged[id] = new
                    if batch == 4:
                        raise Boom  # this batch leaves no trace
            except Boom:
                continue
            model = staged
        check(s)
        s = self.reopen(s)
        check(s)
