"""Helpers for the store tests: the files of a data directory, a disk that fills up."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from store.tinydb_files import LOCK
from store.tinydb_store import TinyDBStore
from tests.store.store_contract import dump


def files_of(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (but the lock's PID note), by relative path."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != LOCK
    }


def durable(directory: Path, scratch: Path) -> dict[str, Any]:
    """What a store in ``directory`` holds on disk, read from a copy (the original may be
    open, and locked, in this process)."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(directory, scratch, ignore=shutil.ignore_patterns(LOCK))
    with TinyDBStore(scratch) as s:
        return dump(s)


class Disk:
    """A disk that is full: ``os.write`` and ``os.fsync`` of files in ``directory`` fail
    with ENOSPC (after writing half, as a real full disk does) while ``full`` is set,
    or at their ``fail_at``-th call. Other files (pytest's, the copies) are not touched.
    """

    def __init__(self, directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.prefix = str(directory.resolve()) + os.sep
        self.full = False
        self.fail_at: int | None = None
        self.calls = 0
        self.failures = 0
        self.error = errno.ENOSPC
        real_write, real_fsync = os.write, os.fsync

        def write(fd: int, data: Any) -> int:
            if self._ours(fd) and self._fails():
                half = bytes(data[: len(data) // 2])
                if half:
                    real_write(fd, half)
                raise OSError(self.error, os.strerror(self.error))
            return real_write(fd, data)

        def fsync(fd: int) -> None:
            if self._ours(fd) and self._fails():
                raise OSError(self.error, os.strerror(self.error))
            real_fsync(fd)

        monkeypatch.setattr(os, "write", write)
        monkeypatch.setattr(os, "fsync", fsync)

    def _ours(self, fd: int) -> bool:
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return False
        return (path + os.sep).startswith(self.prefix)

    def _fails(self) -> bool:
        self.calls += 1
        if self.full or self.calls == self.fail_at:
            self.failures += 1
            return True
        return False


def temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith((".tmp", ".repaired")))
