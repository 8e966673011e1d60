"""Wire the bot once, at the edge: store, clock, directory, core (with the families'
policies), and — for the platforms — the outbox worker, the scheduler, health and metrics
and each configured adapter. ``bot/cli.py`` only parses arguments and calls these."""

from __future__ import annotations

import gc
import os
import sys

from bot.clock import Clock, SystemClock
from bot.config import Config, ConfigError, check_listen, listen_problem
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


# Each platform's entry points: ``settings(**options)`` reads and checks every setting
# (one-line errors) before anything is opened; ``build(core, config, settings=…)`` returns
# a service with ``platform``, ``deliverer``, ``async start(kick)`` and ``async stop()``.
PLATFORM_SETTINGS = {
    "slack": "bot.adapters.slack.main:slack_settings",
    "discord": "bot.adapters.discord.main:discord_settings",
}
PLATFORM_BUILDERS = {
    "slack": "bot.adapters.slack.main:build_slack",
    "discord": "bot.adapters.discord.main:build_discord",
}
METRICS_PORT_SETTING = "RAPPORT_METRICS_PORT (or --metrics-port)"
OPS_HOST = "0.0.0.0"


def _entry(spec: str):  # type: ignore[no-untyped-def]
    import importlib

    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func)


def check_platforms(
    names: list[str], options: dict, ops_port: int | None = None
) -> dict[str, object]:
    """Every platform's settings, read and checked, and the metrics port free: before
    the store is opened, so a setting mistake changes no file and no table. Raises
    ``ConfigError`` (one line, naming the platform)."""
    settings: dict[str, object] = {}
    for name in names:
        try:
            settings[name] = _entry(PLATFORM_SETTINGS[name])(**options.get(name, {}))
        except Exception as exc:  # a platform's own ConfigError, or its library missing
            raise ConfigError(f"could not start {name}: {exc}") from exc
        port = getattr(settings[name], "port", None)
        if ops_port and port == ops_port and not getattr(settings[name], "socket_mode", True):
            raise ConfigError(
                f"RAPPORT_METRICS_PORT and the {name} port are both {ops_port}: {name}'s HTTP "
                "mode serves /healthz, /readyz and /metrics on its own port; unset "
                "RAPPORT_METRICS_PORT (--metrics-port) or give it another port"
            )
    if ops_port:
        check_listen(OPS_HOST, ops_port, port_setting=METRICS_PORT_SETTING)
    return settings


def serve(
    config: Config, names: list[str], options: dict | None = None, ops_port: int | None = None
) -> int:
    """Run platforms in one process: one store, one scheduler, one outbox worker."""
    import asyncio

    return asyncio.run(_serve(config, names, options or {}, ops_port))


async def _serve(config: Config, names: list[str], options: dict, ops_port: int | None) -> int:
    import asyncio
    import signal

    from bot.outbox import OutboxWorker
    from bot.scheduler import start_scheduler

    try:
        settings = check_platforms(names, options, ops_port)
    except ConfigError as exc:
        print(f"rapport: {exc}", file=sys.stderr)
        return 2
    core = bootstrap(config)  # only now: a setting mistake above changed nothing
    settle_memory()
    services = []
    try:
        for name in names:
            try:
                services.append(
                    _entry(PLATFORM_BUILDERS[name])(core, config, settings=settings[name])
                )
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
                    try:
                        await ops.serve(OPS_HOST, ops_port)
                    except OSError as e:  # taken since check_platforms looked
                        raise ConfigError(
                            listen_problem(e, OPS_HOST, ops_port, port_setting=METRICS_PORT_SETTING)
                        ) from e
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
