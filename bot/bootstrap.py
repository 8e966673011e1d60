"""Wire the bot once, at the edge: store, clock, directory, core (with the families'
policies), and — for the platforms — the outbox worker, the scheduler, health and metrics
and each configured adapter. ``bot/cli.py`` only parses arguments and calls these."""

from __future__ import annotations

import gc
import os
import sys

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.core import Rapport
from bot.directory import Directory
from store import Store, open_store


def bootstrap(
    config: Config,
    *,
    clock: Clock | None = None,
    directory: Directory | None = None,
    store: Store | None = None,
) -> Rapport:
    """Build the core from configuration; adapters are attached by their own entry points."""
    store = store or open_store(url=config.database_url, data_dir=config.data_dir)
    return Rapport(store, clock or SystemClock(), config, directory)


def settle_memory() -> None:
    """Keep what start-up loaded out of the garbage collector's scans.

    A TinyDB store holds every record in memory: hundreds of thousands of long-lived
    dicts that each full collection would walk again (pauses of tens of ms, the tail of
    a command's latency). ``gc.freeze`` moves everything alive now to a generation the
    collector skips; reference counting still frees a record once it is deleted."""
    gc.collect()
    gc.freeze()


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

    from bot.outbox import OutboxWorker
    from bot.scheduler import start_scheduler

    core = bootstrap(config)
    settle_memory()
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
