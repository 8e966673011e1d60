"""The outbox: once-only delivery, retries with backoff, permanent failures told to the
sender, items due while the bot was down sent once on return, and crashed sends re-offered
with ``maybe_sent``."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.adapters.console.community import COMMUNITY
from bot.clock import iso
from bot.io import DirectMessage, Later
from bot.markup import fmt
from bot.messages import Message
from bot.outbox import (
    MAX_ATTEMPTS,
    OutboxWorker,
    Parcel,
    Retry,
    Sent,
    backoff,
    cancel,
    enqueue_delivery,
    enqueue_event,
)
from store.base import OUTBOX
from tests.harness import START, CrashInSend, Harness, Recorder


def dm(user: str, text: str) -> DirectMessage:
    return DirectMessage(user, Message(fmt("{t}", t=text)))


def queue(h: Harness, user: str, text: str, *, after: timedelta = timedelta(), **kw) -> dict:
    with h.store.atomic():
        item = enqueue_delivery(h.store, COMMUNITY, dm(user, text), due=h.clock.now() + after, **kw)
    assert item is not None
    return item


def test_due_items_are_sent_once(h: Harness) -> None:
    queue(h, "alice", "one")
    queue(h, "bob", "later", after=timedelta(hours=1))
    assert h.tick().sent == 1
    assert h.tick().sent == 0
    h.clock.advance(timedelta(hours=1))
    assert h.tick().sent == 1
    assert [p.output.user for p in h.recorder.sent] == ["alice", "bob"]


def test_same_key_is_queued_once(h: Harness) -> None:
    queue(h, "alice", "one", key="k")
    with h.store.atomic():
        assert enqueue_delivery(h.store, COMMUNITY, dm("alice", "two"), due=START, key="k") is None
    assert h.tick().sent == 1


def test_transient_failures_back_off_then_succeed(h: Harness) -> None:
    h.recorder.transient = 2
    item = queue(h, "alice", "hi")
    report = h.tick()
    assert report.retried == 1 and report.sent == 0
    stored = h.store.get(OUTBOX, item["id"])
    assert stored["state"] == "pending" and stored["due"] == iso(START + timedelta(seconds=5))
    h.advance(timedelta(minutes=1))
    assert h.store.get(OUTBOX, item["id"])["state"] == "sent"
    assert len(h.recorder.sent) == 1


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(20) == timedelta(hours=1)


def test_gives_up_after_max_attempts(h: Harness) -> None:
    h.recorder.transient = 100
    item = queue(h, "alice", "hi")
    h.advance(timedelta(days=1))
    stored = h.store.get(OUTBOX, item["id"])
    assert stored["state"] == "failed" and stored["attempts"] == MAX_ATTEMPTS
    assert stored["last_error"].startswith("gave up")


def test_permanent_failure_is_not_retried_and_the_sender_is_told(h: Harness) -> None:
    h.recorder.closed.add("carol")
    item = queue(h, "carol", "hello", origin="you")
    report = h.tick()
    assert report.failed == 1 and report.failures == {"dms_closed": 1}
    assert h.store.get(OUTBOX, item["id"])["state"] == "failed"
    h.advance(timedelta(days=1))
    assert h.recorder.to("carol") == []
    note = h.last_to("you").plain()
    assert "couldn't send @carol a direct message" in note


def test_items_due_while_down_are_sent_once_after_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    h = Harness(data)
    for i in range(5):
        queue(h, "alice", f"n{i}", after=timedelta(minutes=10 * i))
    h.tick()
    assert len(h.recorder.sent) == 1
    h.close()  # the bot goes down; an hour passes

    h2 = Harness(data, start=START + timedelta(hours=1))
    h2.tick()
    h2.tick()
    texts = [p.output.message.plain() for p in h2.recorder.sent]
    assert texts == ["n1", "n2", "n3", "n4"]
    h2.close()


def test_an_item_left_sending_by_a_crash_is_offered_again_as_maybe_sent(tmp_path: Path) -> None:
    data = tmp_path / "data"
    h = Harness(data)
    item = queue(h, "alice", "hello")

    h.worker.deliverers["console"] = CrashInSend()
    try:
        h.tick()
    except SystemExit:
        pass
    assert h.store.get(OUTBOX, item["id"])["state"] == "sending"
    h.close()

    h2 = Harness(data, start=START + timedelta(minutes=5))  # past the lease
    h2.tick()
    (parcel,) = h2.recorder.sent
    assert parcel.maybe_sent and parcel.attempt == 2
    assert h2.store.get(OUTBOX, item["id"])["state"] == "sent"
    h2.close()


def test_two_workers_never_deliver_one_item_twice(h: Harness) -> None:
    for i in range(50):
        queue(h, "alice", f"n{i}")
    other = Recorder()
    second = OutboxWorker(h.core, {"console": other}, worker_id="second", batch=7)
    h.worker.batch = 5

    async def both() -> None:
        await asyncio.gather(h.worker.tick(), second.tick())

    h.loop.run_until_complete(both())
    keys = [p.key for p in h.recorder.sent + other.sent]
    assert len(keys) == 50 and len(set(keys)) == 50


def test_events_run_at_their_time_and_can_be_cancelled(h: Harness) -> None:
    seen: list[dict] = []
    h.core.events["test.ping"] = lambda ctx, data: seen.append(data) or [dm(data["to"], "ping")]
    with h.store.atomic():
        enqueue_event(
            h.store, COMMUNITY, Later(START + timedelta(hours=1), "test.ping", {"to": "bob"}, "p1")
        )
        enqueue_event(
            h.store, COMMUNITY, Later(START + timedelta(hours=2), "test.ping", {"to": "dan"}, "p2")
        )
        # Scheduling the same key again keeps the first.
        assert (
            enqueue_event(h.store, COMMUNITY, Later(START, "test.ping", {"to": "x"}, "p1")) is None
        )
    assert cancel(h.store, COMMUNITY, "p2")
    h.advance(timedelta(hours=3))
    assert seen == [{"to": "bob"}]
    assert [m.plain() for m in h.recorder.to("bob")] == ["ping"]
    assert h.recorder.to("dan") == []


def test_a_failing_event_is_recorded_not_fatal(h: Harness) -> None:
    def broken(ctx, data):
        raise ValueError("bad data")

    h.core.events["test.broken"] = broken
    with h.store.atomic():
        item = enqueue_event(h.store, COMMUNITY, Later(START, "test.broken", {}, "b1"))
    queue(h, "alice", "still delivered")
    h.tick()
    stored = h.store.get(OUTBOX, item["id"])
    assert stored["state"] == "failed" and "bad data" in stored["last_error"]
    assert len(h.recorder.sent) == 1


def test_adapter_exception_is_a_retry(h: Harness) -> None:
    class Flaky(Recorder):
        calls = 0

        async def deliver(self, parcel: Parcel):
            Flaky.calls += 1
            if Flaky.calls == 1:
                raise ConnectionError("reset by peer")
            return Sent("ok")

    h.worker.deliverers["console"] = Flaky()
    item = queue(h, "alice", "hi")
    assert h.tick().retried == 1
    assert "ConnectionError" in h.store.get(OUTBOX, item["id"])["last_error"]
    h.advance(timedelta(minutes=1))
    assert h.store.get(OUTBOX, item["id"])["state"] == "sent"


def test_platform_without_adapter_waits(h: Harness) -> None:
    from bot.io import Community

    with h.store.atomic():
        enqueue_delivery(h.store, Community("slack", "T1"), dm("U1", "hi"), due=START)
    report = h.tick()
    assert report.retried == 1
    assert isinstance(Retry("x"), Retry)
