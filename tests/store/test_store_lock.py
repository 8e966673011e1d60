"""One writer per TinyDB store: the data directory is locked while a store has it open."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import dbcli
from store.base import StoreError
from store.tinydb_store import TinyDBStore
from tests.store.helpers import files_of

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys
from store.tinydb_store import TinyDBStore
s = TinyDBStore(sys.argv[1])
s.insert("t", {"id": "held"})
print("ready", flush=True)
sys.stdin.readline()
s.close()
"""
SECOND = """
import sys
from store.base import StoreLocked
from store.tinydb_store import TinyDBStore
try:
    TinyDBStore(sys.argv[1])
except StoreLocked as e:
    print(f"refused {e.pid}: {e}", flush=True)
    sys.exit(3)
print("opened", flush=True)
"""


def start_holder(data: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    return proc


def stop(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.wait(timeout=20) == 0


def test_a_second_process_is_refused_with_the_pid_that_holds_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    holder = start_holder(data)
    try:
        before = files_of(data)
        second = subprocess.run(
            [sys.executable, "-c", SECOND, str(data)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 3, second.stdout + second.stderr
        line = second.stdout.strip()
        assert line.startswith(f"refused {holder.pid}: ")
        assert f"PID {holder.pid}" in line and str(data) in line
        assert files_of(data) == before  # the refused opener wrote nothing
    finally:
        stop(holder)
    # Closed (or dead: the kernel drops the lock): the next opener gets it.
    again = subprocess.run(
        [sys.executable, "-c", SECOND, str(data)], cwd=ROOT, capture_output=True, text=True
    )
    assert again.stdout.strip() == "opened"


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    data = tmp_path / "data"
    holder = start_holder(data)
    holder.kill()
    holder.wait()
    with TinyDBStore(data) as s:
        assert s.get("t", "held") == {"id": "held"}


def test_a_second_store_in_one_process_takes_over_and_fences_the_first(tmp_path: Path) -> None:
    # In one process an abandoned store (a simulated crash) must not lock its directory
    # for ever: the new store takes over, and the old object refuses to write.
    first = TinyDBStore(tmp_path)
    first.insert("t", {"id": "a"})
    second = TinyDBStore(tmp_path)
    with pytest.raises(StoreError, match="closed"):
        first.insert("t", {"id": "lost"})
    second.insert("t", {"id": "b"})
    first.close()  # closing the fenced one lets go of nothing
    third = subprocess.run(
        [sys.executable, "-c", SECOND, str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert third.returncode == 3 and f"PID {os.getpid()}" in third.stdout
    second.close()
    with TinyDBStore(tmp_path) as s:
        assert sorted(d["id"] for d in s.find("t")) == ["a", "b"]


def test_an_abandoned_store_does_not_keep_the_directory_locked(tmp_path: Path) -> None:
    s = TinyDBStore(tmp_path)
    s.insert("t", {"id": "a"})
    del s  # like a dead process's memory: never closed
    with TinyDBStore(tmp_path) as s:
        assert s.get("t", "a") == {"id": "a"}


def test_db_copy_takes_the_lock_on_its_source(tmp_path: Path) -> None:
    data = tmp_path / "data"
    holder = start_holder(data)
    try:
        out, err = io.StringIO(), io.StringIO()
        code = dbcli.copy(str(data), str(tmp_path / "copy"), out=out, err=err)
        assert code == 1
        assert f"PID {holder.pid}" in err.getvalue()
    finally:
        stop(holder)
    out, err = io.StringIO(), io.StringIO()
    assert dbcli.copy(str(data), str(tmp_path / "copy"), out=out, err=err) == 0, err.getvalue()
