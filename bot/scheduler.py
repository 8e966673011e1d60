"""One APScheduler 3 ``AsyncIOScheduler`` per process: the outbox's safety net and housekeeping.

The outbox worker delivers continuously on its own (``OutboxWorker.run``: woken by new
work, sleeping until the next token or due item). The interval tick is only the net
under it: it catches what no wake announced (a crashed worker's lease running out) and
bounds how long anything can wait if the worker's own reckoning were wrong.
Scheduled state lives in rapport's own tables (the outbox), never in an APScheduler
job store, so several processes can each run their own scheduler over one database
and a restart loses nothing: the first tick after start sends whatever fell due.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot import inbox
from bot.outbox import OutboxWorker, forget_finished, log_report

log = logging.getLogger(__name__)

TICK_JOB = "outbox-tick"
HOUSEKEEPING_JOB = "housekeeping"


def start_scheduler(worker: OutboxWorker, *, seconds: float) -> AsyncIOScheduler:
    """Start ticking inside the running event loop (APScheduler requires one).

    - ``max_instances=1``: a slow tick is never overlapped by the next one;
    - ``coalesce=True``: ticks missed while the loop was busy collapse into one;
    - ``misfire_grace_time`` = one interval: a late tick still runs rather than
      being skipped (the outbox would deliver its items on the next one anyway).
    """
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        _tick,
        IntervalTrigger(seconds=seconds),
        args=[worker],
        id=TICK_JOB,
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=max(1, int(seconds)),
        replace_existing=True,
    )
    scheduler.add_job(
        _housekeeping,
        IntervalTrigger(hours=6),
        args=[worker],
        id=HOUSEKEEPING_JOB,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=3600,
        replace_existing=True,
    )
    scheduler.start()
    return scheduler


def _housekeeping(worker: OutboxWorker) -> None:
    """Every six hours: the core's and the families' clean-up, finished outbox items over
    a month old and inbox entries answered over a day ago."""
    worker.core.housekeep()
    forget_finished(worker.store, worker.clock.now())
    inbox.forget_done(worker.store, worker.clock.now())


async def _tick(worker: OutboxWorker) -> None:
    """One tick, then let the worker recompute when it should next look."""
    try:
        log_report(await worker.tick())
        worker.wake()
    except Exception:
        log.exception("outbox tick failed; the next tick will try again")
