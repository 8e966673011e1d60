"""One APScheduler 3 ``AsyncIOScheduler`` per process: it only runs the outbox tick.

Scheduled state lives in rapport's own tables (the outbox), never in an APScheduler
job store, so several processes can each run their own scheduler over one database
and a restart loses nothing: the first tick after start sends whatever fell due.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.outbox import OutboxWorker, forget_finished

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
        args=[worker, scheduler],
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
    """Every six hours: forget old request ids, and finished outbox items over a month old."""
    worker.core.forget_old_requests()
    forget_finished(worker.store, worker.clock.now())


def kick(scheduler: AsyncIOScheduler) -> None:
    """Run the tick now (after a command queued messages), not in up to 30 s."""
    job = scheduler.get_job(TICK_JOB)
    if job is not None:
        job.modify(next_run_time=datetime.now(UTC))


async def _tick(worker: OutboxWorker, scheduler: AsyncIOScheduler | None = None) -> None:
    """One tick; with a backlog or a platform's "retry after", the next comes sooner."""
    try:
        report = await worker.tick()
        wake = worker.next_wake()
        job = scheduler.get_job(TICK_JOB) if scheduler is not None else None
        if (
            wake is not None
            and job is not None
            and (job.next_run_time is None or wake < job.next_run_time)
        ):
            job.modify(next_run_time=wake)
        if report.sent or report.failed or report.retried:
            log.info(
                "outbox: %d sent, %d retried, %d failed, %d held",
                report.sent,
                report.retried,
                report.failed,
                report.deferred,
            )
    except Exception:
        log.exception("outbox tick failed; the next tick will try again")
