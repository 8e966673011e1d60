"""Wire the bot once, at the edge: store, clock, core and its policies."""

from __future__ import annotations

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
    core = Rapport(store, clock or SystemClock(), config, directory)
    from bot.features.followup import nudges  # quiet hours, nudges off, daily cap (issue #5)

    nudges.install(core)
    return core
