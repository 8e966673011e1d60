"""Record, acknowledge, work: the path of every Slack input after Bolt.

``take`` runs on the event loop inside a Bolt listener. A command or button press is
recorded in the durable inbox (``bot.inbox``, on a small executor of its own, so the
ack never waits behind the work) and then scheduled on the bounded ``Pool``, which runs
the synchronous core. When the pool is full, or the store can't record the input
within ``RECORD_BUDGET``, the listener acks with "busy, try again" at once instead of
letting anything queue without bound. A sweep takes over inputs whose process died
before answering them (see ``bot.inbox``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from bot import inbox, metrics
from bot.adapters.slack import text as t
from bot.adapters.slack import translate
from bot.adapters.slack.handlers import SlackHandlers
from bot.adapters.slack.render import action_name
from bot.core import Rapport
from bot.inbox import Entry
from store.base import StoreError

log = logging.getLogger(__name__)

RECORD_BUDGET = 2.0  # seconds; Slack waits 3 for the ack
SUBMIT_BUDGET = 2.5  # seconds for the core to judge a submitted form before its ack
RESPONSE_URL_LIFE = timedelta(minutes=30)
RECORDERS = 2  # batches of inputs being recorded at once (each one atomic group)
MAX_BATCH = 200


class Pool:
    """``workers`` threads and room for ``limit`` more inputs waiting; no more."""

    def __init__(self, workers: int, limit: int, name: str = "slack-work") -> None:
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix=name)
        self.capacity = workers + limit
        self._inflight = 0
        self._idle = threading.Condition()

    def reserve(self) -> bool:
        """Take a place for one input; False when there is none."""
        with self._idle:
            if self._inflight >= self.capacity:
                return False
            self._inflight += 1
            return True

    def add(self) -> None:
        """Take a place whatever the room (an input already held, taken over)."""
        with self._idle:
            self._inflight += 1

    def free(self) -> int:
        with self._idle:
            return self.capacity - self._inflight

    def release(self) -> None:
        with self._idle:
            self._inflight -= 1
            self._idle.notify_all()

    def run(self, job: Callable[..., None], *args: Any) -> Future[None]:
        """Run ``job`` on a place taken with ``reserve``; the place is freed after."""
        future = self.executor.submit(job, *args)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: Future[None]) -> None:
        self.release()
        exc = future.exception()
        if exc is not None:
            log.error("a Slack job failed", exc_info=exc)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is running or waiting (tests, shutdown)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._inflight == 0, timeout)

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=False)


class Intake:
    def __init__(
        self,
        core: Rapport,
        handlers: SlackHandlers,
        *,
        workers: int,
        queue_limit: int,
        lease: timedelta = inbox.LEASE,
    ) -> None:
        self.core = core
        self.handlers = handlers
        self.worker = handlers.worker
        self.lease = lease
        self.pool = Pool(workers, queue_limit)
        self.records = ThreadPoolExecutor(RECORDERS, thread_name_prefix="slack-inbox")
        self._sweeper: asyncio.Task[None] | None = None
        # Inputs waiting to be recorded, and how many batches are being recorded now.
        self._waiting: list[tuple[str, dict[str, Any], asyncio.Future[Entry | None]]] = []
        self._batches = 0

    # -- on the event loop ---------------------------------------------------------

    async def take(self, kind: str, body: dict[str, Any]) -> str | None:
        """Record and schedule one input; None to ack plainly, else the text to ack with."""
        family = _family(kind, body)
        if not self.pool.reserve():
            metrics.input_done(translate.PLATFORM, kind, family, "busy")
            log.warning("busy: a Slack %s was turned away", kind)
            return t.BUSY
        if kind == "home":
            self.pool.run(self.handlers.home_opened, body)
            return None
        recording = self._enqueue_record(kind, body)
        try:
            entry = await asyncio.wait_for(asyncio.shield(recording), RECORD_BUDGET)
        except (TimeoutError, StoreError) as exc:
            self.pool.release()
            if isinstance(exc, TimeoutError):  # if it is recorded after all, take it back
                recording.add_done_callback(self._drop_late)
            log.warning("could not record a Slack %s: %r", kind, exc)
            metrics.input_done(translate.PLATFORM, kind, family, "busy")
            return t.STORE_TROUBLE
        if entry is None:  # a retry or a double click of something already taken
            self.pool.release()
            metrics.input_done(translate.PLATFORM, kind, family, "repeat")
            return None
        self.pool.run(self.handlers.process, entry)
        return None

    async def submit(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """Judge a submitted form before acking it; what to ack with (None: close it).

        Slack takes field errors only in the ack, so the core runs first, on the bounded
        pool, within ``SUBMIT_BUDGET``. Nothing goes through the inbox: until the ack the
        open modal holds the input, and whatever goes wrong (busy, slow, a crash) leaves
        it open to send again — a second send of the same view is recognised by its
        request id and acts once. The answer (by DM) is sent after the ack."""
        if not self.pool.reserve():
            metrics.input_done(translate.PLATFORM, "form", "form", "busy")
            return _busy(body)
        judged = asyncio.wrap_future(self.pool.run(self.handlers.submitted, body))
        try:
            ack, outputs = await asyncio.wait_for(asyncio.shield(judged), SUBMIT_BUDGET)
        except TimeoutError:
            log.warning("a Slack form submission took too long; asked to send it again")
            return _busy(body)
        except Exception:
            log.exception("a Slack form submission failed")
            return _busy(body)
        if outputs:  # already done: its answer is sent whatever the room
            self.pool.add()
            self.pool.run(self.handlers.answer_submission, body, outputs)
        return ack

    def _enqueue_record(self, kind: str, body: dict[str, Any]) -> asyncio.Future[Entry | None]:
        """Record an input together with every other arriving meanwhile (group commit).

        While ``RECORDERS`` batches are being written, new inputs wait here and go in
        the next batch: one atomic group, one journal write and one fsync for them all,
        each acknowledged once its batch is durable. Under light load a batch is one
        input and nothing waits."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Entry | None] = loop.create_future()
        self._waiting.append((kind, body, future))
        if self._batches < RECORDERS:
            self._flush(loop)
        return future

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
        if not batch:
            return
        self._batches += 1
        work = loop.run_in_executor(self.records, self._record_batch, [(k, b) for k, b, _ in batch])

        def finished(done: asyncio.Future[list[Any]]) -> None:
            self._batches -= 1
            exc = None if done.cancelled() else done.exception()
            results: list[Any] = (
                [exc or asyncio.CancelledError()] * len(batch)
                if exc or done.cancelled()
                else done.result()
            )
            for (_, _, future), result in zip(batch, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)
            if self._waiting and self._batches < RECORDERS:
                self._flush(loop)

        work.add_done_callback(finished)

    def start(self, sweep_every: float) -> None:
        self._sweeper = asyncio.create_task(self._sweep(sweep_every), name="slack-inbox-sweep")

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            try:
                await self._sweeper
            except asyncio.CancelledError:
                pass
        await asyncio.to_thread(self.pool.shutdown)
        self.records.shutdown(wait=True)

    async def _sweep(self, every: float) -> None:
        """Take over inputs left unanswered by a process that stopped."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                taken = await loop.run_in_executor(self.records, self._claim_stale)
                for entry in taken:
                    metrics.INBOX_RECOVERED.labels(translate.PLATFORM).inc()
                    log.info("answering input %s left by a stopped process", entry.id)
                    self.pool.run(self.handlers.process, entry)
            except Exception as exc:  # the store is down: try again at the next sweep
                log.warning("inbox sweep failed: %r", exc)
            await asyncio.sleep(every)

    # -- on the inbox executor -----------------------------------------------------

    def _record_batch(self, batch: list[tuple[str, dict[str, Any]]]) -> list[Any]:
        """Record a batch of inputs in one atomic group; per input its ``Entry``, None
        (a repeat, or nothing to do), or the exception that refused it alone."""
        now = self.core.clock.now()
        results: list[Any] = [None] * len(batch)
        docs, where = [], []
        for i, (kind, body) in enumerate(batch):
            try:
                doc = self._doc(kind, body, now)
            except Exception as exc:  # an input we can't make sense of: it alone fails
                results[i] = exc
                continue
            if doc is not None:
                docs.append(doc)
                where.append(i)
        if docs:
            for i, result in zip(where, inbox.record_many(self.core.store, docs), strict=True):
                results[i] = result
        return results

    def _doc(self, kind: str, body: dict[str, Any], now: Any) -> dict[str, Any] | None:
        if kind == "command":
            key = translate.command_request_id(body)
        else:
            actions = [a for a in body.get("actions") or () if isinstance(a, dict)]
            if not actions:
                return None
            key = translate.action_request_id(body, actions[0])
        return inbox.new_doc(
            translate.community_of(body),
            kind,
            key,
            body,
            now=now,
            worker=self.worker,
            reply_until=now + RESPONSE_URL_LIFE if body.get("response_url") else None,
            lease=self.lease,
        )

    def _claim_stale(self) -> list[Entry]:
        room = self.pool.free()
        taken = inbox.claim_stale(
            self.core.store,
            translate.PLATFORM,
            now=self.core.clock.now(),
            worker=self.worker,
            limit=max(0, room),
            lease=self.lease,
        )
        for _ in taken:
            self.pool.add()
        return taken

    def _drop_late(self, recording: asyncio.Future[Entry | None]) -> None:
        if recording.cancelled() or recording.exception() is not None:
            return
        entry = recording.result()
        if entry is not None:
            self.records.submit(inbox.drop, self.core.store, entry.id, worker=self.worker)


def _busy(body: dict[str, Any]) -> dict[str, Any]:
    """Field errors on the form's first input: the only way to keep a modal open and say
    why (Slack shows its own "trouble connecting" for anything else)."""
    blocks = (body.get("view") or {}).get("blocks") or []
    first = next((b.get("block_id") for b in blocks if b.get("type") == "input"), None)
    return {"response_action": "errors", "errors": {first: t.FORM_BUSY}} if first else {}


def _family(kind: str, body: dict[str, Any]) -> str:
    if kind == "command":
        return str(body.get("command", "")).lstrip("/").lower() or "unknown"
    if kind == "press":
        actions = body.get("actions") or [{}]
        name = action_name(str(actions[0].get("action_id", ""))) if actions else ""
        return name.split(".", 1)[0] or "unknown"
    return "home"
