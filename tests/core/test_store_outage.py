"""A full disk refuses the command kindly, keeps nothing, and heals by itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness import Harness
from tests.store.helpers import Disk


def test_a_full_disk_refuses_kindly_and_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = Harness(tmp_path / "data")
    disk = Disk(tmp_path / "data", monkeypatch)
    before = h.store.count("followups")
    disk.full = True
    reply = h.reply("alice", "/followup @bob in 2 weeks ask about the role")
    assert "couldn't save that just now, so nothing changed" in reply
    assert h.store.count("followups") == before
    disk.full = False
    reply = h.reply("alice", "/followup @bob in 2 weeks ask about the role")
    assert "couldn't save" not in reply
    assert h.store.count("followups") == before + 1
    assert not [p.name for p in (tmp_path / "data").iterdir() if p.name.endswith(".tmp")]
