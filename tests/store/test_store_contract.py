"""The store contract run against the TinyDB backend, plus what only it has."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from store.base import Store, StoreCorrupt, StoreError
from store.tinydb_store import JOURNAL, SNAPSHOT, AtomicJSONStorage, TinyDBStore
from tests.store.store_contract import StoreContract, dump


class TestTinyDBStore(StoreContract):
    @pytest.fixture
    def store_factory(self, tmp_path: Path) -> Callable[[], Store]:
        return lambda: TinyDBStore(tmp_path / "data")


class TestTinyDBStoreCompactingAlways(StoreContract):
    """The same, folding the journal into a new snapshot after almost every write."""

    @pytest.fixture
    def store_factory(self, tmp_path: Path) -> Callable[[], Store]:
        return lambda: TinyDBStore(tmp_path / "data", min_compact_bytes=1)


# -- the journal and the snapshot ------------------------------------------------


def fill(store: TinyDBStore) -> None:
    store.insert("t", {"id": "a", "n": 1, "key": "ka"})
    store.insert("t", {"id": "b", "n": 2})
    store.update("t", "a", {"n": 3})
    store.delete("t", "b")
    with store.atomic():
        store.insert("u", {"id": "c", "tags": ["x"]})
        store.insert("t", {"id": "d"})


def test_a_torn_last_journal_line_is_dropped(tmp_path: Path) -> None:
    s = TinyDBStore(tmp_path)
    fill(s)
    before = dump(s)
    s.close()
    good = (tmp_path / JOURNAL).read_bytes()
    assert good.count(b"\n") >= 5  # the writes are in the journal, not yet compacted
    with open(tmp_path / JOURNAL, "ab") as f:
        f.write(good.splitlines(keepends=True)[-1][:-7])  # a write cut short by a crash
    s = TinyDBStore(tmp_path)
    assert dump(s) == before
    s.insert("t", {"id": "e"})
    s.close()
    s = TinyDBStore(tmp_path)
    assert dump(s)["t"]["e"] == {"id": "e"}
    s.close()


def test_a_torn_last_line_with_a_bad_checksum_is_dropped(tmp_path: Path) -> None:
    s = TinyDBStore(tmp_path)
    fill(s)
    before = dump(s)
    s.insert("t", {"id": "late"})
    s.close()
    lines = (tmp_path / JOURNAL).read_bytes().splitlines(keepends=True)
    last = lines[-1].replace(b'"late"', b'"LATE"')[:-3]  # cut short, and not what was meant
    (tmp_path / JOURNAL).write_bytes(b"".join([*lines[:-1], last]))
    s = TinyDBStore(tmp_path)
    assert dump(s) == before
    s.close()


def test_a_whole_last_line_with_a_bad_checksum_is_refused_not_dropped(tmp_path: Path) -> None:
    # A crash cuts a line short (no line end); a whole line that fails its checksum
    # is damage to a write that was acknowledged: dropping it would lose it silently.
    s = TinyDBStore(tmp_path)
    fill(s)
    s.insert("t", {"id": "late"})
    s.close()
    lines = (tmp_path / JOURNAL).read_bytes().splitlines(keepends=True)
    last = lines[-1].replace(b'"late"', b'"LATE"')
    (tmp_path / JOURNAL).write_bytes(b"".join([*lines[:-1], last]))
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(StoreCorrupt, match="rapport store repair"):
        TinyDBStore(tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files


def test_a_crash_between_snapshot_and_journal_reset_loses_nothing(tmp_path: Path) -> None:
    # The snapshot is in place but the journal it folded in was not emptied: replaying
    # it over the snapshot must give the same records (every entry is a whole record).
    s = TinyDBStore(tmp_path)
    fill(s)
    before = dump(s)
    journal = (tmp_path / JOURNAL).read_bytes()
    s.compact()
    assert (tmp_path / JOURNAL).read_bytes().count(b"\n") == 1  # just the header
    s.close()
    (tmp_path / JOURNAL).write_bytes(journal)
    s = TinyDBStore(tmp_path)
    assert dump(s) == before
    s.close()


def test_a_stale_temp_snapshot_is_harmless(tmp_path: Path) -> None:
    s = TinyDBStore(tmp_path)
    fill(s)
    before = dump(s)
    s.compact()
    s.close()
    (tmp_path / SNAPSHOT).with_suffix(".tmp").write_text('{"t": {"half')
    s = TinyDBStore(tmp_path)
    assert dump(s) == before
    s.insert("t", {"id": "z"})
    s.compact()
    s.close()
    s = TinyDBStore(tmp_path)
    assert dump(s)["t"]["z"] == {"id": "z"}
    s.close()


def test_the_snapshot_is_tinydb_json(tmp_path: Path) -> None:
    s = TinyDBStore(tmp_path)
    fill(s)
    s.insert("t", {"id": "odd", "text": "Zoë \ud800"})
    s.compact()
    s.close()
    data = json.loads((tmp_path / SNAPSHOT).read_text(encoding="utf-8"))
    assert data["t"]["a"] == {"id": "a", "n": 3, "key": "ka"}
    assert data["t"]["odd"]["text"] == "Zoë \ud800"
    assert data["u"] == {"c": {"id": "c", "tags": ["x"]}}


class HalfWriter:
    """The journal file, whose next write stops halfway with a full disk."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.failures = 1

    def write(self, data: bytes) -> int:
        if self.failures:
            self.failures -= 1
            self.inner.write(data[: len(data) // 2])
            self.inner.flush()
            raise OSError(28, "No space left on device")
        return int(self.inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_failed_journal_write_is_not_kept_and_does_not_hide_later_ones(
    tmp_path: Path,
) -> None:
    s = TinyDBStore(tmp_path)
    s.insert("t", {"id": "a", "n": 1})
    s._journal = HalfWriter(s._journal)
    with pytest.raises(StoreError), s.atomic():
        s.insert("t", {"id": "lost"})
        s.update("t", "a", {"n": 2})
    # not kept in memory either: nobody may read what was never stored
    assert s.get("t", "lost") is None
    assert s.get("t", "a") == {"id": "a", "n": 1}
    s.insert("t", {"id": "after"})  # must not land behind the torn half line
    s.close()
    s = TinyDBStore(tmp_path)
    assert dump(s) == {"t": {"a": {"id": "a", "n": 1}, "after": {"id": "after"}}}
    s.close()


def test_a_failed_fsync_is_reported_and_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.tinydb_store as module

    s = TinyDBStore(tmp_path)
    s.insert("t", {"id": "a"})
    real_fsync = module.os.fsync

    def failing(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(module.os, "fsync", failing)
    with pytest.raises(StoreError):
        s.insert("t", {"id": "b"})
    monkeypatch.setattr(module.os, "fsync", real_fsync)
    assert s.get("t", "b") is None
    s.insert("t", {"id": "c"})
    s.close()
    s = TinyDBStore(tmp_path)
    assert sorted(dump(s)["t"]) == ["a", "c"]
    s.close()


def test_a_failed_compaction_does_not_fail_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = TinyDBStore(tmp_path, min_compact_bytes=1)
    s.insert("t", {"id": "a"})

    def failing(self: AtomicJSONStorage, data: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(AtomicJSONStorage, "write", failing)
    for n in range(5):
        s.insert("t", {"id": f"b{n}", "pad": "x" * 100})  # the journal holds them
    monkeypatch.undo()
    s.insert("t", {"id": "c"})  # compacts again, now that it can
    s.close()
    s = TinyDBStore(tmp_path)
    assert sorted(dump(s)["t"]) == ["a", "b0", "b1", "b2", "b3", "b4", "c"]
    s.close()


def test_opening_a_newer_store_leaves_no_open_journal(tmp_path: Path) -> None:
    s = TinyDBStore(tmp_path)
    s.set_schema_version(99)
    s.close()
    refused: list[TinyDBStore] = []
    real_init = TinyDBStore.__init__

    def spy(self: TinyDBStore, *args: Any, **kwargs: Any) -> None:
        refused.append(self)
        real_init(self, *args, **kwargs)

    TinyDBStore.__init__ = spy  # type: ignore[method-assign]
    try:
        with pytest.raises(StoreError):
            TinyDBStore(tmp_path)
    finally:
        TinyDBStore.__init__ = real_init  # type: ignore[method-assign]
    assert refused[0]._journal.closed
