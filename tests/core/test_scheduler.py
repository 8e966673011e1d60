"""The APScheduler wiring: one tick job with explicit options, delivering due items."""

from __future__ import annotations

import asyncio

from bot.adapters.console.community import COMMUNITY
from bot.io import DirectMessage
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import enqueue_delivery
from bot.scheduler import HOUSEKEEPING_JOB, TICK_JOB, kick, start_scheduler
from tests.harness import Harness


def test_tick_job_options_and_delivery(h: Harness) -> None:
    with h.store.atomic():
        enqueue_delivery(
            h.store, COMMUNITY, DirectMessage("alice", Message(fmt("hi"))), due=h.clock.now()
        )

    async def run() -> None:
        scheduler = start_scheduler(h.worker, seconds=3600)
        try:
            job = scheduler.get_job(TICK_JOB)
            assert job.max_instances == 1 and job.coalesce is True
            assert job.misfire_grace_time == 3600
            assert scheduler.get_job(HOUSEKEEPING_JOB) is not None
            for _ in range(200):  # the first tick runs at start
                if h.recorder.sent:
                    break
                await asyncio.sleep(0.01)
            assert len(h.recorder.sent) == 1
            with h.store.atomic():
                enqueue_delivery(
                    h.store, COMMUNITY, DirectMessage("bob", Message(fmt("yo"))), due=h.clock.now()
                )
            kick(scheduler)  # without the kick the next tick would be an hour away
            for _ in range(200):
                if len(h.recorder.sent) == 2:
                    break
                await asyncio.sleep(0.01)
            assert len(h.recorder.sent) == 2
        finally:
            scheduler.shutdown(wait=False)

    h.loop.run_until_complete(run())


def test_a_rate_limited_worker_wakes_the_scheduler_early(h: Harness) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.outbox import Retry

    class Limited:
        async def deliver(self, parcel):  # the platform says: try again in 2 s
            return Retry("rate_limited", after=2)

    h.worker.deliverers["console"] = Limited()
    h.clock.set(datetime.now(UTC))  # the scheduler runs on real time, as in production
    with h.store.atomic():
        enqueue_delivery(
            h.store, COMMUNITY, DirectMessage("alice", Message(fmt("hi"))), due=h.clock.now()
        )

    async def run() -> None:
        scheduler = start_scheduler(h.worker, seconds=3600)
        try:
            for _ in range(200):
                if h.worker.resume_at is not None:
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)
            job = scheduler.get_job(TICK_JOB)
            # The next tick is due when the platform allows, not an hour later.
            assert job.next_run_time < datetime.now(UTC) + timedelta(minutes=1)
        finally:
            scheduler.shutdown(wait=False)

    h.loop.run_until_complete(run())
