"""Every start-up mistake is one line on stderr, saying what is wrong and how to fix it,
and exit status 2 — never a traceback (unless --log-level DEBUG asks for one)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def rapport(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {
        k: v for k, v in os.environ.items() if not k.startswith(("RAPPORT_", "SLACK_", "DISCORD_"))
    }
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=tmp_path,
        env={**full, "PYTHONPATH": str(ROOT)},
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )


def one_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize(
    ("url", "word"),
    [
        ("postgresql+psycopg2://x/y", "psycopg2"),
        ("mysql://x/y", "mysql"),
        ("not a url", "not a URL"),
        ("postgresql://", "names no database"),
        ("sqlite:///nowhere/at/all/rapport.db", "does not exist"),
        ("postgresql://postgres@127.0.0.1:1/test", "unavailable"),
    ],
)
def test_a_bad_database_url_is_one_line_and_no_folder_appears(
    tmp_path: Path, url: str, word: str
) -> None:
    before = set(tmp_path.iterdir())
    one_line(rapport(tmp_path, "console", "--script", "-", env={"RAPPORT_DATABASE_URL": url}), word)
    assert set(tmp_path.iterdir()) == before  # no TinyDB folder named after the URL


@pytest.mark.parametrize(
    ("args", "env", "word"),
    [
        (("console", "--start", "yesterday"), {}, "not an ISO time"),
        (("--log-level", "verbose", "console"), {}, "not a log level"),
        (("console", "--script", "/nonexistent"), {}, "no such file"),
        (("console", "--script", "-"), {"RAPPORT_TICK_SECONDS": "abc"}, "RAPPORT_TICK_SECONDS"),
        (("console", "--script", "-"), {"RAPPORT_TZ": "Mars/Olympus"}, "RAPPORT_TZ"),
        (("slack", "--port", "http"), {}, "not a port"),
    ],
)
def test_configuration_mistakes_are_one_line(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], word: str
) -> None:
    one_line(rapport(tmp_path, *args, env=env), word)


def test_a_data_dir_that_is_a_file_or_locked(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    one_line(rapport(tmp_path, "--data-dir", "file", "console", "--script", "-"), "is a file")
    # --data-dir after the subcommand works too.
    one_line(rapport(tmp_path, "console", "--data-dir", "file", "--script", "-"), "is a file")


def test_the_slack_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        env = {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_API_URL": "http://127.0.0.1:9/api/",
        }
        result = rapport(tmp_path, "slack", "--host", "127.0.0.1", "--port", port, env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = rapport(
        tmp_path,
        "--log-level",
        "DEBUG",
        "console",
        "--script",
        "-",
        env={"RAPPORT_TZ": "Mars/Olympus"},
    )
    assert result.returncode != 0 and "Traceback" in result.stderr
