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

    sub.add_parser("discord", help="run on Discord only (needs DISCORD_TOKEN)")

    slack = sub.add_parser("slack", help="run on Slack only (Socket Mode or HTTP mode)")
    slack.add_argument("--port", type=int, help="HTTP mode port (default 3000, or SLACK_PORT)")
    slack.add_argument("--host", help="HTTP mode address (default 0.0.0.0, or SLACK_HOST)")

    from bot import dbcli

    dbcli.add_parser(sub)

    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    config = Config.from_env(data_dir=args.data_dir)
    command = args.command or "run"
    if command in ("db", "store"):
        return dbcli.run(args, config)
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
    if command == "slack":
        return serve(config, ["slack"], {"slack": {"port": args.port, "host": args.host}})
    if command == "discord":
        return serve(config, ["discord"])
    if command == "run":
        return serve(config, platforms_configured())
    parser.error(f"unknown command {command}")
    return 2


# Each platform's entry point: ``build(core, config, **options)`` returns a service with
# ``platform``, ``deliverer``, ``async start(kick)`` and ``async stop()``.
PLATFORM_BUILDERS = {
    "slack": "bot.adapters.slack.main:build_slack",
    "discord": "bot.adapters.discord.main:build_discord",
}


def serve(config: Config, names: list[str], options: dict | None = None) -> int:
    """Run platforms in one process: one store, one scheduler, one outbox worker."""
    import asyncio

    return asyncio.run(_serve(config, names, options or {}))


async def _serve(config: Config, names: list[str], options: dict) -> int:
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
        started = []
        try:
            for service in services:
                await service.start(_kicker(loop, worker))
                started.append(service)
            await stop.wait()
        finally:
            worker.stop()
            await delivering
            for service in reversed(started):
                await service.stop()
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
