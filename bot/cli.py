"""The ``rapport`` command: the console, the platforms, and store maintenance."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import datetime

from bot.config import Config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rapport", description=__doc__)
    parser.add_argument(
        "--data-dir", help="where the TinyDB store lives (default ./data, or RAPPORT_DATA_DIR)"
    )
    parser.add_argument("--log-level", default=os.environ.get("RAPPORT_LOG_LEVEL", "WARNING"))
    sub = parser.add_subparsers(dest="command")

    sub.add_parser("run", help="start every configured platform, or the console when none is")

    console = sub.add_parser("console", help="a local community in your terminal")
    console.add_argument(
        "--script", help="run the lines of FILE (- for stdin) and print the transcript"
    )
    console.add_argument(
        "--members", type=int, default=0, help="add this many members beyond the five"
    )
    console.add_argument(
        "--start", help="start the clock at this ISO time (for repeatable scripts)"
    )
    console.add_argument(
        "--tz", help="the members' profile time zone (default: none, use the community default)"
    )

    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    config = Config.from_env(data_dir=args.data_dir)
    command = args.command or "run"
    if command == "console" or (command == "run" and not platforms_configured()):
        from bot.adapters.console.main import run_console

        start = datetime.fromisoformat(args.start) if getattr(args, "start", None) else None
        return run_console(
            config,
            script=getattr(args, "script", None),
            members=getattr(args, "members", 0),
            start=start,
            tz=getattr(args, "tz", None),
        )
    parser.error(f"unknown command {command}")
    return 2


def platforms_configured(env: dict[str, str] | None = None) -> list[str]:
    env = dict(os.environ if env is None else env)
    found = []
    if env.get("SLACK_BOT_TOKEN"):
        found.append("slack")
    if env.get("DISCORD_TOKEN"):
        found.append("discord")
    return found


if __name__ == "__main__":
    sys.exit(main())
