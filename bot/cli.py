"""The ``rapport`` command: the console, the platforms, and store maintenance."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from bot import bootstrap
from bot.config import Config, ConfigError
from store import StoreError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
MAX_MEMBERS = 100_000  # console --members: more is a typo, not a community to simulate


class OneLineParser(argparse.ArgumentParser):
    """Argument mistakes in one line (what is wrong, where to look), exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _iso_moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO time; use one like 2026-12-01T09:00:00+00:00"
        ) from None


def _one_of(
    what: str, setting: str, choices: tuple[str, ...], case: Callable[[str], str]
) -> Callable[[str], str]:
    """An argparse type accepting only ``choices`` (compared after ``case``)."""

    def read(text: str) -> str:
        value = case(text.strip())
        if value not in choices:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not {what} ({setting}); use one of {', '.join(choices)}"
            )
        return value

    return read


_log_level = _one_of("a log level", "--log-level or RAPPORT_LOG_LEVEL", LOG_LEVELS, str.upper)
_log_format = _one_of("a log format", "--log-format or RAPPORT_LOG_FORMAT", LOG_FORMATS, str.lower)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port; use a number from 1 to 65535")
    return int(text)


def _metrics_port(text: str) -> int:
    try:
        return _port(text)
    except argparse.ArgumentTypeError as e:
        raise argparse.ArgumentTypeError(f"{e} (--metrics-port or RAPPORT_METRICS_PORT)") from None


def _members(text: str) -> int:
    if not text.strip().isdigit() or int(text) > MAX_MEMBERS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of members; use a whole number from 0 to {MAX_MEMBERS:,}"
        )
    return int(text)


def _zone(text: str) -> str:
    from bot.when import read_zone  # the one zone reader (EST → America/New_York …)

    try:
        return read_zone(text).name
    except Exception:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time zone I know; use a name like Europe/Berlin or America/New_York"
        ) from None


def main(argv: list[str] | None = None) -> int:
    """Run ``rapport``; a start-up mistake is one line on stderr and exit status 2."""
    debug = _debugging(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except (ConfigError, StoreError) as err:
        if debug:
            raise
        print(f"rapport: {err}", file=sys.stderr)
        return 2


def _debugging(argv: list[str]) -> bool:
    """Whether ``--log-level DEBUG`` (or RAPPORT_LOG_LEVEL=DEBUG) asks for tracebacks."""
    level = os.environ.get("RAPPORT_LOG_LEVEL", "")
    for i, arg in enumerate(argv):
        if arg == "--log-level" and i + 1 < len(argv):
            level = argv[i + 1]
        elif arg.startswith("--log-level="):
            level = arg.partition("=")[2]
    return level.strip().upper() == "DEBUG"


def _main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="rapport", description=__doc__)
    data_dir_help = "where the TinyDB store lives (default ./data, or RAPPORT_DATA_DIR)"
    parser.add_argument("--data-dir", help=data_dir_help)
    parser.add_argument(
        "--log-level",
        type=_log_level,
        default=os.environ.get("RAPPORT_LOG_LEVEL", "WARNING"),
        help=f"one of {', '.join(LOG_LEVELS)} (RAPPORT_LOG_LEVEL); DEBUG shows tracebacks",
    )
    parser.add_argument(
        "--log-format",
        type=_log_format,
        default=os.environ.get("RAPPORT_LOG_FORMAT", "text"),
        help="text (default) or json: one JSON object per line (RAPPORT_LOG_FORMAT)",
    )
    parser.add_argument(
        "--metrics-port",
        type=_metrics_port,
        default=os.environ.get("RAPPORT_METRICS_PORT") or None,
        help="serve /healthz, /readyz and /metrics on this port (RAPPORT_METRICS_PORT)",
    )
    sub = parser.add_subparsers(dest="command")
    # --data-dir works after the subcommand too (``rapport console --data-dir d``).
    common = OneLineParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help=data_dir_help)

    sub.add_parser(
        "run",
        parents=[common],
        help="start every configured platform, or the console when none is",
    )

    console = sub.add_parser("console", parents=[common], help="a local community in your terminal")
    console.add_argument(
        "--script", help="run the lines of FILE (- for stdin) and print the transcript"
    )
    console.add_argument(
        "--members", type=_members, default=0, help="add this many members beyond the five"
    )
    console.add_argument(
        "--start",
        type=_iso_moment,
        help="start the clock at this ISO time (for repeatable scripts)",
    )
    console.add_argument(
        "--tz",
        type=_zone,
        help="the members' profile time zone (default: none, use the community default)",
    )

    sub.add_parser("discord", parents=[common], help="run on Discord only (needs DISCORD_TOKEN)")

    slack = sub.add_parser(
        "slack", parents=[common], help="run on Slack only (Socket Mode or HTTP mode)"
    )
    slack.add_argument("--port", type=_port, help="HTTP mode port (default 3000, or SLACK_PORT)")
    slack.add_argument("--host", help="HTTP mode address (default 0.0.0.0, or SLACK_HOST)")

    from bot import dbcli

    dbcli.add_parser(sub)

    args = parser.parse_args(argv)
    script = getattr(args, "script", None)
    if script not in (None, "-") and not Path(script).is_file():
        parser.error(f"--script {script}: no such file")
    from bot import logs

    logs.setup(args.log_level, args.log_format)
    config = Config.from_env(data_dir=args.data_dir)
    command = args.command or "run"
    if command in ("db", "store"):
        return dbcli.run(args, config)
    if command == "console" or (command == "run" and not bootstrap.platforms_configured()):
        from bot.adapters.console.main import run_console

        return run_console(
            config,
            script=script,
            members=getattr(args, "members", 0),
            start=getattr(args, "start", None),
            tz=getattr(args, "tz", None),
        )
    ops_port = args.metrics_port
    if command == "slack":
        slack_options = {"port": args.port, "host": args.host}
        return bootstrap.serve(config, ["slack"], {"slack": slack_options}, ops_port)
    if command == "discord":
        return bootstrap.serve(config, ["discord"], None, ops_port)
    if command == "run":
        return bootstrap.serve(config, bootstrap.platforms_configured(), None, ops_port)
    parser.error(f"unknown command {command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
