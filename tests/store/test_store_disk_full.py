"""A full or failing disk: ``StoreUnavailable``, nothing kept (in memory either), no temp
files left, and the store carries on by itself once there is space again."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest

from store.base import StoreConfigError, StoreError, StoreUnavailable
from store.tinydb_store import TinyDBStore
from tests.store.helpers import Disk, durable, temp_files
from tests.store.store_contract import dump

STATE = "console_state"  # as the console keeps its clock (bot/adapters/console/session.py)


def save_clock(store: Any, seconds: float) -> None:
    """What the console's ``_save_clock`` does."""
    if store.get(STATE, "clock") is None:
        store.insert(STATE, {"id": "clock", "offset": seconds})
    else:
        store.update(STATE, "clock", {"offset": seconds})


def script(s: TinyDBStore) -> list[Any]:
    """Writes of every kind; each one is a step that may fail."""
    return [
        lambda: s.insert("t", {"id": "a", "n": 1, "pad": "x" * 300}),
        lambda: save_clock(s, 60.0),
        lambda: s.update("t", "a", {"n": 2}),
        lambda: s.insert("outbox", {"id": "o", "state": "pending", "due": "2026"}),
        lambda: s.claim_due("2027", 5, "w", "2028"),
        lambda: _group(s),
        lambda: save_clock(s, 120.0),
        lambda: s.delete("t", "a"),
        lambda: s.set_schema_version(1),
        lambda: s.compact(),
        lambda: s.insert("t", {"id": "z", "pad": "y" * 300}),
    ]


def _group(s: TinyDBStore) -> None:
    with s.atomic():
        s.insert("t", {"id": "g1"})
        s.insert("t", {"id": "g2", "key": "k"})
        s.update("t", "a", {"n": 3})


def run_script(data: Path, disk: Disk, scratch: Path, fail_at: int | None) -> tuple[int, int]:
    disk.fail_at, disk.calls = None, 0
    s = TinyDBStore(data, min_compact_bytes=600)  # compacts every few writes
    disk.fail_at, disk.calls, disk.failures = fail_at, 0, 0
    failed = 0
    try:
        for step in script(s):
            try:
                step()
            except StoreUnavailable as e:
                assert "\n" not in str(e)
                failed += 1
            assert temp_files(data) == []
            if disk.failures and disk.fail_at is not None:  # this step met the full disk
                disk.fail_at = None
                assert dump(s) == durable(data, scratch), f"after a failure at call {fail_at}"
        # space is back: the store works on by itself
        disk.fail_at = None
        s.insert("t", {"id": "after"})
        assert dump(s) == durable(data, scratch)
        assert dump(s)["t"]["after"] == {"id": "after"}
    finally:
        calls = disk.calls
        s.close()
    return calls, failed


def test_a_full_disk_at_each_write_and_fsync_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = tmp_path / "runs"  # the disk that fills up; the copies read back are elsewhere
    runs.mkdir()
    disk = Disk(runs, monkeypatch)
    calls, failed = run_script(runs / "clean", disk, tmp_path / "scratch", None)
    assert failed == 0 and calls > 20
    refusals = 0
    for n in range(1, calls + 1):
        _, failed = run_script(runs / f"run{n}", disk, tmp_path / "scratch", n)
        refusals += failed
    # Most failures are refused writes; a failed automatic compaction is not one (the
    # write is in the journal and stands).
    assert refusals >= calls // 2


def test_a_refused_write_is_not_kept_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = Disk(tmp_path, monkeypatch)
    s = TinyDBStore(tmp_path / "d")
    s.insert("t", {"id": "a", "n": 1})
    save_clock(s, 30.0)
    disk.full = True
    with pytest.raises(StoreUnavailable, match="No space left"), s.atomic():
        s.insert("t", {"id": "lost"})
        s.update("t", "a", {"n": 2})
    with pytest.raises(StoreUnavailable):
        save_clock(s, 90.0)  # the console's clock: refused, the old offset stands
    with pytest.raises(StoreUnavailable):
        s.set_schema_version(1)
    assert s.get("t", "lost") is None and s.get("t", "a") == {"id": "a", "n": 1}
    assert s.get(STATE, "clock") == {"id": "clock", "offset": 30.0}
    disk.full = False
    save_clock(s, 90.0)
    s.close()
    with TinyDBStore(tmp_path / "d") as s:
        assert s.get(STATE, "clock") == {"id": "clock", "offset": 90.0}
        assert s.get("t", "lost") is None


def test_an_explicit_compaction_on_a_full_disk_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = Disk(tmp_path, monkeypatch)
    d = tmp_path / "d"
    s = TinyDBStore(d)
    s.insert("t", {"id": "a"})
    disk.full = True
    with pytest.raises(StoreUnavailable):
        s.compact()
    assert temp_files(d) == []
    disk.full = False
    s.compact()
    s.close()
    with TinyDBStore(d) as s:
        assert s.get("t", "a") == {"id": "a"}


def test_a_store_cannot_be_created_on_a_full_disk_and_can_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = Disk(tmp_path, monkeypatch)
    disk.full = True
    with pytest.raises(StoreUnavailable):
        TinyDBStore(tmp_path / "d")
    assert temp_files(tmp_path / "d") == []
    disk.full = False
    with TinyDBStore(tmp_path / "d") as s:
        assert s.tables() == []


def test_an_io_error_is_unavailable_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk = Disk(tmp_path, monkeypatch)
    s = TinyDBStore(tmp_path / "d")
    disk.error, disk.full = errno.EIO, True
    with pytest.raises(StoreUnavailable, match="Input/output error"):
        s.insert("t", {"id": "a"})
    disk.full = False
    s.insert("t", {"id": "b"})
    s.close()


def test_a_read_only_data_directory_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = Disk(tmp_path, monkeypatch)
    disk.error, disk.full = errno.EROFS, True
    with pytest.raises(StoreConfigError, match="writable") as e:
        TinyDBStore(tmp_path / "d")
    assert "\n" not in str(e.value)
    assert isinstance(e.value, StoreError)
