"""How fast a platform lets us call it: one limiter per platform, one bucket per method and key.

Platforms state their limits as "N calls per window" (Slack: ``conversations.open`` 50 a
minute per workspace, ``chat.postMessage`` one a second per channel; Discord: 50 requests a
second per bot). Each (method, key) gets a bucket of N tokens in which every spent token
comes back one window after it was spent. That is exactly the platforms' sliding window:
a bucket refilled smoothly at N per window would allow a burst of N and then more within
the same minute, which Slack answers with 429s. A ``Retry-After`` the platform sends
anyway overrides the buckets: nothing of that method (or of the whole platform) goes
before it runs out.

The limiter knows nothing of any platform; adapters declare ``Limit``s and, for each
delivery, the ``Use``s it will make. The clock is injected (seconds, any epoch) so tests
and the manual clock drive it exactly.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# The platform counts a call when it arrives, we when we send it: a little slack per
# window keeps network jitter from turning a full window into a 429.
MARGIN = 0.02
# Buckets idle for this many windows are dropped (one per channel would grow forever).
FORGET_AFTER = 4


@dataclass(frozen=True)
class Limit:
    """At most ``calls`` calls of ``method`` in any ``per`` seconds, for each key."""

    method: str
    calls: int
    per: float


@dataclass(frozen=True)
class Use:
    """One call a delivery will make: the method and what the limit is counted for
    (a workspace, a channel…)."""

    method: str
    key: str = ""


class _Bucket:
    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.spent: deque[float] = deque()  # when each token in use was spent, oldest first

    def ready_at(self, now: float) -> float:
        self._refill(now)
        if len(self.spent) < self.limit.calls:
            return now
        return self.spent[0] + self.limit.per + MARGIN

    def take(self, now: float) -> None:
        self._refill(now)
        self.spent.append(now)

    def idle(self, now: float) -> bool:
        return not self.spent or self.spent[-1] + FORGET_AFTER * self.limit.per < now

    def _refill(self, now: float) -> None:
        window = self.limit.per + MARGIN
        while self.spent and self.spent[0] + window <= now:
            self.spent.popleft()


class RateLimiter:
    """The limits of one platform, with the pauses it asked for."""

    def __init__(self, limits: Iterable[Limit], now: Callable[[], float]) -> None:
        self.limits = {limit.method: limit for limit in limits}
        self.now = now
        self._buckets: dict[Use, _Bucket] = {}
        self._paused: dict[Use, float] = {}  # a method (and key) the platform said to leave
        self._all_paused = 0.0  # the whole platform said to wait

    def ready_at(self, uses: Iterable[Use]) -> float:
        """The earliest time every one of ``uses`` may be made (``now`` if at once)."""
        now = self.now()
        ready = max(now, self._all_paused)
        for use in uses:
            ready = max(ready, self._paused.get(use, 0.0), self._paused.get(Use(use.method), 0.0))
            bucket = self._bucket(use)
            if bucket is not None:
                ready = max(ready, bucket.ready_at(now))
        return ready

    def take(self, uses: Iterable[Use]) -> None:
        """Spend a token of each of ``uses`` (the calls are being made now)."""
        now = self.now()
        for use in uses:
            bucket = self._bucket(use, create=True)
            if bucket is not None:
                bucket.take(now)
        if len(self._buckets) > 1000:
            self._forget(now)

    def pause(self, seconds: float, uses: Iterable[Use] | None = None) -> None:
        """The platform said ``Retry-After: seconds`` for ``uses``, or for everything (None)."""
        until = self.now() + seconds
        if uses is None:
            self._all_paused = max(self._all_paused, until)
            return
        for use in uses:
            self._paused[use] = max(self._paused.get(use, 0.0), until)

    def paused_until(self) -> float | None:
        """When a pause of the whole platform ends, if one is on."""
        return self._all_paused if self._all_paused > self.now() else None

    def _bucket(self, use: Use, *, create: bool = False) -> _Bucket | None:
        bucket = self._buckets.get(use)
        if bucket is None:
            limit = self.limits.get(use.method)
            if limit is None or not create:
                return None
            bucket = self._buckets[use] = _Bucket(limit)
        return bucket

    def _forget(self, now: float) -> None:
        for use in [u for u, b in self._buckets.items() if b.idle(now)]:
            del self._buckets[use]
        for use in [u for u, until in self._paused.items() if until < now]:
            del self._paused[use]
