"""The outbox at the platforms' pace: deliverers declare limits, the worker never
outruns them, and one platform's wait or Retry-After never holds up another's items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.io import Community, DirectMessage
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import DeliveryResult, Parcel, Retry, Sent, enqueue_delivery
from bot.ratelimit import Limit, Use
from store.base import OUTBOX
from tests.harness import START, Harness

SLOW = Community("slow", "W1")
FAST = Community("fast", "W2")


@dataclass
class Platform:
    """Allows ``calls`` deliveries per ``per`` seconds; can answer one 429 with Retry-After."""

    h: Harness
    calls: int
    per: float
    sent: list[tuple[str, float]] = field(default_factory=list)
    limit_next: float | None = None

    @property
    def limits(self) -> list[Limit]:
        return [Limit("send", self.calls, self.per)]

    def cost(self, parcel: Parcel) -> list[Use]:
        return [Use("send", parcel.community.workspace)]

    async def deliver(self, parcel: Parcel) -> DeliveryResult:
        if self.limit_next is not None:
            after, self.limit_next = self.limit_next, None
            return Retry("rate_limited", after=after, method="send")
        self.sent.append((parcel.output.user, (self.h.clock.now() - START).total_seconds()))
        return Sent(parcel.key)


def fill(h: Harness, community: Community, n: int) -> None:
    with h.store.atomic():
        for i in range(n):
            enqueue_delivery(
                h.store,
                community,
                DirectMessage(f"{community.platform}{i}", Message(fmt("hi"))),
                due=START - timedelta(seconds=1) + timedelta(microseconds=i),
            )


def run(h: Harness, seconds: float) -> None:
    """The continuous worker on the manual clock: tick, then jump to its next wake."""
    end = START + timedelta(seconds=seconds)
    while True:
        h.tick()
        wake = h.worker.next_wake()
        if wake is None or wake > end:
            break
        h.clock.set(max(wake, h.clock.now()))


def test_the_worker_bursts_then_follows_the_window_in_order(h: Harness) -> None:
    slow = Platform(h, calls=5, per=10)
    h.worker.deliverers["slow"] = slow
    fill(h, SLOW, 12)
    run(h, 60)
    assert [u for u, _ in slow.sent] == [f"slow{i}" for i in range(12)]
    times = [t for _, t in slow.sent]
    assert times[:5] == [0] * 5 and 10 <= times[5] < 10.1 and 20 <= times[10] < 20.2
    assert h.store.count(OUTBOX, {"state": "sent"}) == 12


def test_one_platform_waits_while_another_flows(h: Harness) -> None:
    slow = Platform(h, calls=2, per=60)
    fast = Platform(h, calls=100, per=1)
    h.worker.deliverers.update(slow=slow, fast=fast)
    fill(h, SLOW, 300)  # far more than one batch, all due before the fast ones
    fill(h, FAST, 50)
    h.tick()
    assert len(slow.sent) == 2 and len(fast.sent) == 50  # not hidden behind slow's backlog
    assert h.worker.waiting["slow"] > START + timedelta(seconds=59)
    waiting = h.store.find(OUTBOX, {"state": "pending"}, order_by="due")
    assert len(waiting) == 298 and all(d["attempts"] == 0 for d in waiting)  # untouched


def test_a_retry_after_pauses_only_its_platform(h: Harness) -> None:
    slow = Platform(h, calls=100, per=1, limit_next=5.0)
    fast = Platform(h, calls=100, per=1)
    h.worker.deliverers.update(slow=slow, fast=fast)
    fill(h, SLOW, 3)
    fill(h, FAST, 3)
    h.tick()
    assert len(slow.sent) == 0 and len(fast.sent) == 3
    assert h.worker.waiting == {"slow": START + timedelta(seconds=5)}
    fill(h, FAST, 1)
    h.tick()
    assert len(fast.sent) == 4 and len(slow.sent) == 0
    h.clock.advance(timedelta(seconds=5))
    h.tick()
    assert sorted(u for u, _ in slow.sent) == ["slow0", "slow1", "slow2"]
