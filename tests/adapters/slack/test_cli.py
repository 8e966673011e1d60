"""``rapport slack`` / ``rapport run`` as a real process: HTTP mode, the scheduler and
the outbox in one loop, a command's DM delivered at once, a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.adapters.slack.signing import SECRET, command_body, post

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check, timeout: float = 10.0) -> bool:
    """Poll in short steps (a real process runs on its own clock)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack()
    for uid, name in (("UALICE", "alice"), ("UBOB", "bob")):
        f.add_user(uid, name)
    yield f
    f.close()


def start(
    fake: FakeSlack, tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    full_env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "SLACK_HOST": "127.0.0.1",
        "SLACK_PORT": str(port),
        "RAPPORT_DATA_DIR": str(tmp_path / "data"),
        "RAPPORT_TICK_SECONDS": "3600",  # so only the kick after a command can deliver
        **(env or {}),
    }
    full_env.pop("SLACK_APP_TOKEN", None)
    full_env.pop("DISCORD_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/slack/events"

    def up() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return proc.poll() is not None

    assert wait_until(up, 20), "rapport did not start listening"
    assert proc.poll() is None, proc.communicate()
    return proc, url


@pytest.mark.parametrize("command", [["slack"], ["run"]])
def test_rapport_serves_slack_and_delivers_dms_at_once(fake, tmp_path, command):
    proc, url = start(fake, tmp_path, *command)
    try:
        body = command_body(
            "/intro",
            '<@UBOB|bob> "someone on the data team at Acme" I\'d love to learn how they hire',
            user="UALICE",
            team=TEAM,
            response_url=fake.response_url("cli1"),
            trigger_id="trig-cli",
        )
        answer = post(url, body)
        assert answer.status == 200
        assert wait_until(lambda: fake.responses("cli1"))
        # The DM to bob goes out right after the command, not at the next 30 s tick.
        assert wait_until(lambda: fake.posts_to("DUBOB"), timeout=5)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err


def test_rapport_slack_explains_a_missing_token(tmp_path, monkeypatch, capsys):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--data-dir", str(tmp_path), "slack"]) == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err


def test_http_mode_needs_the_signing_secret(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    assert main(["--data-dir", str(tmp_path), "slack"]) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err
