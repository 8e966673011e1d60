"""The APScheduler safety net (one tick job with explicit options) and the continuous
worker it backs: woken by new work, and back at work when a Retry-After runs out."""

from __future__ import annotations

import asyncio

from bot.adapters.console.community import COMMUNITY
from bot.clock import SystemClock
from bot.io import DirectMessage
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import Retry, Sent, enqueue_delivery
from bot.scheduler import HOUSEKEEPING_JOB, TICK_JOB, start_scheduler
from tests.harness import Harness


def queue(h: Harness, user: str) -> None:
    with h.store.atomic():
        enqueue_delivery(
            h.store, COMMUNITY, DirectMessage(user, Message(fmt("hi"))), due=h.clock.now()
        )


async def until(check, seconds: float = 3.0) -> bool:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.01)):
        if check():
            return True
        await asyncio.sleep(0.01)
    return bool(check())


def test_tick_job_options_and_delivery(h: Harness) -> None:
    queue(h, "alice")

    async def run() -> None:
        scheduler = start_scheduler(h.worker, seconds=3600)
        try:
            job = scheduler.get_job(TICK_JOB)
            assert job.max_instances == 1 and job.coalesce is True
            assert job.misfire_grace_time == 3600
            assert scheduler.get_job(HOUSEKEEPING_JOB) is not None
            assert await until(lambda: len(h.recorder.sent) == 1)  # the first tick runs at start
        finally:
            scheduler.shutdown(wait=False)

    h.loop.run_until_complete(run())


def test_the_worker_delivers_new_work_as_soon_as_it_is_woken(h: Harness) -> None:
    async def run() -> None:
        worker = asyncio.create_task(h.worker.run(idle=3600))
        try:
            await asyncio.sleep(0.05)  # asleep, nothing to do for an hour
            queue(h, "alice")
            h.worker.wake()
            assert await until(lambda: len(h.recorder.sent) == 1, seconds=1)
            queue(h, "bob")
            h.worker.wake()
            assert await until(lambda: len(h.recorder.sent) == 2, seconds=1)
        finally:
            h.worker.stop()
            await worker

    h.loop.run_until_complete(run())


def test_the_worker_wakes_when_the_platform_allows_again(h: Harness) -> None:
    class LimitedOnce:
        calls = 0

        async def deliver(self, parcel):  # type: ignore[no-untyped-def]
            self.calls += 1
            return Retry("rate_limited", after=0.3) if self.calls == 1 else Sent("ok")

    platform = LimitedOnce()
    h.worker.deliverers["console"] = platform
    h.core.clock = h.worker.clock = SystemClock()  # real time, as in production
    queue(h, "alice")

    async def run() -> None:
        worker = asyncio.create_task(h.worker.run(idle=3600))
        try:
            # Without waking at the end of the Retry-After it would sleep an hour.
            assert await until(lambda: platform.calls == 2, seconds=2)
        finally:
            h.worker.stop()
            await worker

    h.loop.run_until_complete(run())
