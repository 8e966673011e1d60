"""A burst of nudges against a rate-limited platform: when the platform says "retry after",
the outbox stops handing messages over until then, so the rest of the burst keeps its
place and its attempts instead of being refused one by one (and given up on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.adapters.console.community import COMMUNITY
from bot.clock import iso
from bot.io import DirectMessage
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import MAX_ATTEMPTS, DeliveryResult, Parcel, Retry, Sent, enqueue_delivery
from store.base import OUTBOX
from tests.harness import START, Harness


@dataclass
class Limited:
    """Takes ``allow`` messages, then answers Retry-After until ``allow`` is raised."""

    allow: int
    sent: list[str] = field(default_factory=list)
    calls: int = 0

    async def deliver(self, parcel: Parcel) -> DeliveryResult:
        self.calls += 1
        if len(self.sent) >= self.allow:
            return Retry("rate limited", after=2)
        self.sent.append(parcel.output.message.plain())
        return Sent(parcel.id)


def burst(h: Harness, n: int) -> list[dict]:
    items = []
    with h.store.atomic():
        for i in range(n):
            items.append(
                enqueue_delivery(
                    h.store,
                    COMMUNITY,
                    DirectMessage(f"user{i}", Message(fmt("n{i}", i=str(i)))),
                    due=START - timedelta(seconds=1) + timedelta(microseconds=i),
                    nudge=True,
                )
            )
    return items


def test_a_rate_limit_pauses_the_platform_and_the_rest_keeps_its_place(h: Harness) -> None:
    platform = Limited(allow=3)
    h.worker.deliverers["console"] = platform
    items = burst(h, 10)
    report = h.tick()
    assert (report.sent, report.retried) == (3, 1) and platform.calls == 4
    assert h.worker.waiting == {"console": START + timedelta(seconds=2)}
    untouched = [h.store.get(OUTBOX, i["id"]) for i in items[4:]]
    assert all(d["state"] == "pending" and d["attempts"] == 0 for d in untouched)
    assert [d["due"] for d in untouched] == [i["due"] for i in items[4:]]

    assert h.tick().sent == 0 and platform.calls == 4  # still paused: nothing offered
    platform.allow = 100
    h.clock.advance(timedelta(seconds=2))
    h.tick()
    assert platform.sent == [f"n{i}" for i in (0, 1, 2, 4, 5, 6, 7, 8, 9, 3)]
    assert all(h.store.get(OUTBOX, i["id"])["state"] == "sent" for i in items)


def test_a_long_burst_is_never_given_up_on(h: Harness) -> None:
    platform = Limited(allow=5)
    h.worker.deliverers["console"] = platform
    items = burst(h, 60)
    for _ in range(12):  # five a tick, every two seconds: no attempt is wasted
        h.tick()
        platform.allow += 5
        h.clock.advance(timedelta(seconds=2))
    h.tick()
    states = [h.store.get(OUTBOX, i["id"]) for i in items]
    assert all(d["state"] == "sent" for d in states)
    # Only the one message the platform refused each time is tried again (it then waits
    # behind those already due), so attempts stay far from the limit.
    assert max(d["attempts"] for d in states) <= 3 < MAX_ATTEMPTS


def test_an_item_put_back_after_a_crash_is_still_offered_as_maybe_sent(h: Harness) -> None:
    platform = Limited(allow=0)
    h.worker.deliverers["console"] = platform
    first, second = burst(h, 2)
    # ``second`` was being sent when a previous process died: its lease has run out.
    h.store.update(
        OUTBOX,
        second["id"],
        {"state": "sending", "lease_until": iso(START), "attempts": 1},
    )
    h.tick()  # ``first`` is refused (rate limit), ``second`` goes back untouched
    assert h.store.get(OUTBOX, second["id"])["state"] == "sending"
    platform.allow = 10
    h.clock.advance(timedelta(minutes=5))
    seen: list[Parcel] = []
    original = platform.deliver

    async def spy(parcel: Parcel) -> DeliveryResult:
        seen.append(parcel)
        return await original(parcel)

    platform.deliver = spy  # type: ignore[method-assign]
    h.tick()
    maybe = {p.id: p.maybe_sent for p in seen}
    assert maybe == {first["id"]: False, second["id"]: True}
