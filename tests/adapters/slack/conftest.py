from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.registry import discover
from tests.adapters.slack import probe
from tests.adapters.slack.rig import SlackRig


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[SlackRig]:
    """rapport's Slack adapter in HTTP mode on loopback, a fake Web API behind it,
    with every real command family plus the test-only ``/probe``."""
    r = SlackRig(tmp_path, families={**discover(), "probe": probe.family})
    yield r
    r.close()
