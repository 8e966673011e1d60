"""Ack first, work after: a bounded queue and a few threads that do the work.

A Bolt listener only puts a job here and acknowledges, so a slow store or a slow
Web API never delays the answer Slack needs within 3 seconds. The queue is
bounded: when it is full the listener says "busy, try again" instead of letting
memory grow without end — never silently.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

Job = Callable[[], None]


class Jobs:
    def __init__(self, workers: int = 4, limit: int = 10_000, name: str = "slack-work") -> None:
        self._queue: queue.Queue[Job | None] = queue.Queue(maxsize=limit)
        self._idle = threading.Condition()
        self._pending = 0
        self.done = 0
        self.refused = 0
        self._threads = [
            threading.Thread(target=self._run, name=f"{name}-{i}", daemon=True)
            for i in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, job: Job) -> bool:
        """Queue a job; False (and nothing queued) when the queue is full."""
        with self._idle:
            self._pending += 1
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            with self._idle:
                self._pending -= 1
                self.refused += 1
                self._idle.notify_all()
            return False
        return True

    @property
    def backlog(self) -> int:
        return self._queue.qsize()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued job has finished (tests, shutdown)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Finish what is queued, then stop the threads."""
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                job()
            except Exception:
                log.exception("a Slack job failed")
            finally:
                with self._idle:
                    self._pending -= 1
                    self.done += 1
                    self._idle.notify_all()
