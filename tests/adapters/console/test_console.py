"""The console adapter: scripted sessions covering help and settings, the meta
commands, and state that persists in the data directory between runs."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.console.session import parse_duration
from bot.errors import UserError
from tests.harness import console


def test_scripted_help_and_settings(tmp_path: Path) -> None:
    out = console(
        [
            "/rapport help",
            "/rapport settings",
            "/rapport settings tz Europe/Berln",
            "/rapport settings tz Europe/Berlin",
            "/rapport settings quiet 22:00-07:30",
            "/rapport settings quiet 7pm to 9",
            "/rapport settings weekends off",
            "/rapport settings",
        ],
        tmp_path / "data",
    )
    assert "you> /rapport help" in out
    assert (
        "/rapport settings [tz <zone> | quiet <start-end>|off | weekends quiet|normal "
        "| dates dmy|mdy]" in out
    )
    assert "Did you mean Europe/Berlin" in out
    assert "your time zone is now Europe/Berlin. It's 10:00 on Tuesday there" in out
    assert "I'll keep quiet from 22:00 to 07:30 your time, and weekends." in out
    assert "only one side says am or pm" in out
    assert out.rstrip().endswith(
        "Quiet hours: 22:00-07:30\n    Dates like 12/10: I ask when one could mean two days\n"
        "    Nudges: on\n"
        "    Change them with /rapport settings tz <zone>, /rapport settings quiet 21:00-08:00 "
        "(or off) or /rapport settings weekends quiet|normal."
    )


def test_settings_are_per_user(tmp_path: Path) -> None:
    out = console(
        ["/rapport settings tz Asia/Tokyo", ":as bob", "/rapport settings"], tmp_path / "d"
    )
    assert "bob> /rapport settings" in out
    assert "Time zone: UTC (the community default" in out.split("bob> /rapport settings")[1]


def test_meta_commands(tmp_path: Path) -> None:
    out = console(
        [
            ":who",
            ":as zed",
            ":as bob",
            ":advance soon",
            ":advance 1d2h",
            ":press 9",
            ":nope",
            "hello",
        ],
        tmp_path / "d",
    )
    assert "Members: you, alice, bob, carol, dan." in out
    assert "There's no member called zed here." in out
    assert "You are now @bob." in out
    assert "Say how far to move the clock" in out
    assert "It is now Wed 2026-12-02 11:00 UTC." in out
    assert "There's no button “9”." in out
    assert "I don't know :nope" in out
    assert "Commands start with /" in out


def test_state_and_clock_persist_between_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    console(["/rapport settings tz America/New_York"], data)
    out = console(["/rapport settings"], data)
    assert "Time zone: America/New_York" in out


def test_duration_parsing() -> None:
    assert parse_duration("3d").days == 3
    assert parse_duration("1w 2h").total_seconds() == 7 * 86400 + 7200
    for bad in ("soon", "0d", "99999999999w", "1000000000 days"):
        with pytest.raises(UserError):
            parse_duration(bad)


def test_script_from_stdin_through_the_real_command(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("rapport")
    result = subprocess.run(
        [
            str(exe),
            "--data-dir",
            str(tmp_path / "d"),
            "console",
            "--script",
            "-",
            "--start",
            "2026-12-01T09:00:00+00:00",
        ],
        input="/rapport settings tz Europe/Paris\n:quit\n/rapport help\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "your time zone is now Europe/Paris" in result.stdout
    assert "/rapport help" not in result.stdout  # :quit stopped the script


def test_members_are_recognised_however_they_are_typed(tmp_path: Path) -> None:
    out = console(
        [
            "/intro @Carol Bob would love to hear about your team",
            "/coffee BOB tomorrow 3pm",
            "/followup bob in 2 weeks",
        ],
        tmp_path / "data",
    )
    assert "couldn't find a member" not in out
    assert out.count("@bob") >= 3 and "@carol" in out


NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_a_full_disk_never_ends_the_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.adapters.console.community import build_directory
    from bot.adapters.console.session import ConsoleClock, ConsoleSession
    from bot.bootstrap import bootstrap
    from bot.config import Config
    from tests.store.helpers import Disk

    data = tmp_path / "data"
    written: list[str] = []
    directory = build_directory(0)
    core = bootstrap(Config(data_dir=str(data)), directory=directory)
    session = ConsoleSession(core, directory, ConsoleClock(lambda: NOW), written.append)
    disk = Disk(data, monkeypatch)
    disk.full = True
    assert session.run_line("/followup @bob in 2 weeks") is True
    assert session.run_line(":advance 1d") is True
    assert "nothing changed" in "".join(written)
    disk.full = False
    written.clear()
    assert session.run_line("/followup @bob in 2 weeks") is True
    assert "I'll remind you" in "".join(written)
    session.close()
    core.store.close()
