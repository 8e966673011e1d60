from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import Harness


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    """The core over a real TinyDB store in a temp dir, at Tue 2026-12-01 09:00 UTC."""
    harness = Harness(tmp_path / "data")
    yield harness
    harness.close()
