"""Group commit in TinyDBStore: the fsync happens outside the lock, shared by the groups
written meanwhile; a group is acknowledged only once fsynced, and a failed fsync undoes
every group not yet durable."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

import store.tinydb_store as module
from store import StoreUnavailable
from store.tinydb_store import TinyDBStore
from tests.store.store_contract import dump


def test_concurrent_writers_share_fsyncs_and_all_survive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync
    fsyncs = [0]

    def slow_fsync(fd: int) -> None:
        fsyncs[0] += 1
        time.sleep(0.005)  # a slow disk: groups pile up behind one fsync
        real_fsync(fd)

    s = TinyDBStore(tmp_path)
    monkeypatch.setattr(module.os, "fsync", slow_fsync)

    def writer(w: int) -> None:
        for n in range(20):
            s.insert("t", {"id": f"{w}-{n}"})

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    monkeypatch.undo()
    assert fsyncs[0] < 160  # fewer fsyncs than groups
    s.close()
    with TinyDBStore(tmp_path) as s:
        assert len(dump(s)["t"]) == 160


def test_a_write_returns_only_once_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = TinyDBStore(tmp_path)
    real_fsync = os.fsync
    order: list[str] = []

    def fsync(fd: int) -> None:
        order.append("fsync")
        real_fsync(fd)

    monkeypatch.setattr(module.os, "fsync", fsync)
    s.insert("t", {"id": "a"})
    order.append("returned")
    assert order == ["fsync", "returned"]
    s.close()


def test_a_failed_shared_fsync_undoes_every_group_not_yet_durable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = TinyDBStore(tmp_path)
    s.insert("t", {"id": "kept"})
    real_fsync = os.fsync
    gate = threading.Event()

    def failing(fd: int) -> None:
        gate.wait(5)  # hold the fsync until the second group is written behind it
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(module.os, "fsync", failing)
    errors: list[BaseException] = []

    def write(id: str) -> None:
        try:
            s.insert("t", {"id": id})
        except StoreUnavailable as e:
            errors.append(e)

    first = threading.Thread(target=write, args=("a",))
    first.start()
    while not s._syncing:
        time.sleep(0.001)
    second = threading.Thread(target=write, args=("b",))
    second.start()
    while s._ticket < 3:
        time.sleep(0.001)
    gate.set()
    first.join()
    second.join()
    assert len(errors) == 2
    assert s.get("t", "a") is None and s.get("t", "b") is None
    monkeypatch.setattr(module.os, "fsync", real_fsync)
    s.insert("t", {"id": "c"})
    s.close()
    with TinyDBStore(tmp_path) as s:
        assert sorted(dump(s)["t"]) == ["c", "kept"]


def test_a_lazy_group_is_kept_by_the_next_durable_write_or_at_close(tmp_path: Path) -> None:
    s = TinyDBStore(tmp_path)
    with s.lazily():
        s.insert("t", {"id": "lazy"})
    assert s._synced < s._ticket  # returned before its fsync
    s.insert("t", {"id": "durable"})  # one fsync keeps both
    assert s._synced == s._ticket
    with s.lazily():
        s.insert("t", {"id": "last"})
    s.close()  # fsyncs what was written lazily
    with TinyDBStore(tmp_path) as s:
        assert sorted(dump(s)["t"]) == ["durable", "last", "lazy"]


def test_a_claim_with_nothing_due_does_not_wait_for_the_lock(tmp_path: Path) -> None:
    from store.base import OUTBOX

    s = TinyDBStore(tmp_path)
    s.insert(OUTBOX, {"key": "k", "state": "pending", "due": "2026-01-02"})
    held = threading.Event()
    done = threading.Event()

    def hold() -> None:
        with s.atomic():
            held.set()
            done.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    started = time.monotonic()
    assert s.claim_due("2026-01-01", 10, "w", "2026-01-01T00:01") == []
    assert time.monotonic() - started < 1  # answered while another thread holds the store
    done.set()
    t.join()
    assert [d["key"] for d in s.claim_due("2026-01-03", 10, "w", "2026-01-03T00:01")] == ["k"]
    s.close()
