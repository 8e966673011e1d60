"""The ``rapport`` command: the console, the platforms, and store maintenance."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from bot.config import Config, ConfigError
from store import StoreError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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


def _log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a log level; use one of {', '.join(LOG_LEVELS)}"
        )
    return level


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port; use a number from 1 to 65535")
    return int(text)


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
        choices=("text", "json"),
        default=os.environ.get("RAPPORT_LOG_FORMAT", "text"),
        help="text (default) or json: one JSON object per line (RAPPORT_LOG_FORMAT)",
    )
    parser.add_argument(
        "--metrics-port",
        type=_port,
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
        "--members", type=int, default=0, help="add this many members beyond the five"
    )
    console.add_argument(
        "--start",
        type=_iso_moment,
        help="start the clock at this ISO time (for repeatable scripts)",
    )
    console.add_argument(
        "--tz", help="the members' profile time zone (default: none, use the community default)"
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
    if command == "console" or (command == "run" and not platforms_configured()):
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
        return serve(config, ["slack"], {"slack": slack_options}, ops_port)
    if command == "discord":
        return serve(config, ["discord"], None, ops_port)
    if command == "run":
        return serve(config, platforms_configured(), None, ops_port)
    parser.error(f"unknown command {command}")
    return 2


# Each platform's entry point: ``build(core, config, **options)`` returns a service with
# ``platform``, ``deliverer``, ``async start(kick)`` and ``async stop()``.
PLATFORM_BUILDERS = {
    "slack": "bot.adapters.slack.main:build_slack",
    "discord": "bot.adapters.discord.main:build_discord",
}


def serve(
    config: Config, names: list[str], options: dict | None = None, ops_port: int | None = None
) -> int:
    """Run platforms in one process: one store, one scheduler, one outbox worker."""
    import asyncio

    return asyncio.run(_serve(config, names, options or {}, ops_port))


async def _serve(config: Config, names: list[str], options: dict, ops_port: int | None) -> int:
    import asyncio
    import importlib
    import signal

    from bot.bootstrap import bootstrap
    from bot.outbox import OutboxWorker
    from bot.scheduler import start_scheduler

    core = bootstrap(config)
    services = []
    try:
        for name in names:
            module, _, func = PLATFORM_BUILDERS[name].partition(":")
            try:
                build = getattr(importlib.import_module(module), func)
                services.append(build(core, config, **options.get(name, {})))
            except Exception as exc:
                print(f"rapport: could not start {name}: {exc}", file=sys.stderr)
                return 2
        worker = OutboxWorker(core, {s.platform: s.deliverer for s in services})
        scheduler = start_scheduler(worker, seconds=config.tick_seconds)
        delivering = asyncio.create_task(worker.run(config.tick_seconds), name="outbox")
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        # -- serve: health, readiness and metrics (bot/ops.py) --
        from bot.ops import Ops

        ops = Ops(core.store, core.clock, lambda: scheduler.running, services)
        for service in services:
            if getattr(service, "serves_http", False):
                service.routes = ops.add_routes  # beside Slack's /slack/events
        # -- end serve --
        started = []
        try:
            try:
                if ops_port:
                    await ops.serve("0.0.0.0", ops_port)
                for service in services:
                    await service.start(_kicker(loop, worker))
                    started.append(service)
            except Exception as exc:  # an address in use, a token refused: one line
                print(f"rapport: could not start: {exc}", file=sys.stderr)
                return 2
            await stop.wait()
        finally:
            worker.stop()
            await delivering
            for service in reversed(started):
                await service.stop()
            await ops.stop()
            scheduler.shutdown(wait=False)
        return 0
    finally:
        core.store.close()


def _kicker(loop, worker):  # type: ignore[no-untyped-def]
    """A thread-safe "deliver now" for the adapters: after a command queued messages,
    wake the outbox worker at once (it delivers continuously; see ``OutboxWorker.run``)."""

    def kick() -> None:
        loop.call_soon_threadsafe(worker.wake)

    return kick


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
