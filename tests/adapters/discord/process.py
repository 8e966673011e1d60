"""``rapport discord`` as a real subprocess, pointed at the fake REST API and gateway."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.adapters.discord.fake_api import TOKEN, FakeDiscord

ROOT = Path(__file__).resolve().parents[3]
RAPPORT = Path(sys.executable).with_name("rapport")


class RapportProcess:
    """One ``rapport discord``; its output goes to ``log`` (read it when a test fails)."""

    def __init__(self, log: Path, fake: FakeDiscord, **env: str) -> None:
        self.log = log
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
        clean.pop("RAPPORT_DATABASE_URL", None)
        self.env = {
            **clean,
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_API_URL": fake.url,
            "RAPPORT_LOG_LEVEL": "INFO",
            **env,
        }
        with open(log, "w") as out:
            self.proc = subprocess.Popen(
                [str(RAPPORT), "discord"], cwd=ROOT, env=self.env, stdout=out, stderr=out
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no goodbye to the gateway, no unlock; the database sees the socket close."""
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> int:
        """SIGTERM and wait: rapport's clean shutdown; its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode

    def __enter__(self) -> RapportProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
