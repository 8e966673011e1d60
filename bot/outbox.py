"""The outbox: everything the bot sends is first a stored item, then delivered.

An item is either a delivery (a DM, group conversation or channel post, fully
rendered in neutral form) or an event (``Later``: "run intro.remind for intro 42"),
whose handler decides at that moment what, if anything, to say. Items are claimed
atomically, marked ``sending`` (durably) just before the adapter is called, and then
``sent``, retried with backoff, or ``failed`` for good. An item left ``sending`` by a
crash is offered again with ``maybe_sent`` so the adapter can check before resending.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.clock import iso, parse_iso
from bot.io import Community, Delivery, Later, delivery_from_data, delivery_to_data, recipients
from store import Conflict, Store
from store.base import OUTBOX, new_id

if TYPE_CHECKING:
    from bot.core import Rapport

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=2)


# -- what adapters return ----------------------------------------------------


@dataclass(frozen=True)
class Sent:
    ref: str | None = None


@dataclass(frozen=True)
class Retry:
    """A transient failure (rate limit, timeout, 5xx); ``after`` in seconds if the platform said."""

    reason: str
    after: float | None = None


@dataclass(frozen=True)
class Failed:
    """A permanent failure that retrying cannot help.

    Reasons the core words for people: ``dms_closed``, ``user_gone``, ``channel_gone``.
    """

    reason: str


DeliveryResult = Sent | Retry | Failed


@dataclass(frozen=True)
class Parcel:
    """What an adapter is asked to deliver."""

    id: str
    key: str
    community: Community
    output: Delivery
    attempt: int
    maybe_sent: bool = False


class Deliverer(Protocol):
    async def deliver(self, parcel: Parcel) -> DeliveryResult: ...


# -- enqueueing (inside the caller's atomic block) ----------------------------


def enqueue_delivery(
    store: Store,
    community: Community,
    out: Delivery,
    *,
    due: datetime,
    key: str | None = None,
    origin: str | None = None,
    nudge: bool = False,
    about: tuple[str, ...] = (),
    released: str | None = None,
    on_failed: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Store a delivery; with a ``key`` already used, nothing is added (returns None).

    ``released`` marks a nudge's message already counted by the nudge policy (the
    event that produced it was), so it isn't counted twice but still keeps quiet hours.
    """
    users = recipients(out)
    doc = {
        "key": f"{community.key}|{key or new_id(10)}",
        "community": community.key,
        "kind": "deliver",
        "out": delivery_to_data(out),
        "user": users[0] if len(users) == 1 else None,
        "about": sorted(set(users) | set(about) | ({origin} if origin else set())),
        "origin": origin,
        "nudge": nudge,
        **({"released": released} if released else {}),
        **({"on_failed": on_failed} if on_failed else {}),  # see ``Rapport.after_failed``
        "due": iso(due),
        "created": iso(due),
        "state": "pending",
        "attempts": 0,
    }
    try:
        return store.insert(OUTBOX, doc)
    except Conflict:
        return None


def enqueue_event(
    store: Store, community: Community, later: Later, *, origin: str | None = None
) -> dict[str, Any] | None:
    """Store a scheduled event; scheduling the same ``key`` twice keeps the first."""
    doc = {
        "key": f"{community.key}|{later.key}",
        "community": community.key,
        "kind": "event",
        "event": later.event,
        "data": later.data,
        "user": later.user,
        "about": sorted(set(later.about) | ({later.user} if later.user else set())),
        "origin": origin,
        "nudge": later.nudge,
        "due": iso(later.at),
        "state": "pending",
        "attempts": 0,
    }
    try:
        return store.insert(OUTBOX, doc)
    except Conflict:
        return None


def cancel(store: Store, community: Community, key: str) -> bool:
    """Cancel a pending item by the key it was scheduled with."""
    item = store.find_one(OUTBOX, {"key": f"{community.key}|{key}"})
    if item is None:
        return False
    return (
        store.update(OUTBOX, item["id"], {"state": "cancelled"}, expect={"state": "pending"})
        is not None
    )


def backoff(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at an hour."""
    return timedelta(seconds=min(30 * 2 ** (attempt - 1), 3600))


FINISHED = ("sent", "done", "failed", "cancelled")
KEEP_FINISHED = timedelta(days=30)


def forget_finished(store: Store, now: datetime, keep: timedelta = KEEP_FINISHED) -> int:
    """Delete items finished, and due, more than ``keep`` ago (housekeeping).

    Without this the outbox keeps every message ever sent, whole, and grows without
    bound (the soak: 60% of all records after two months). Pending and in-flight items
    are never touched, and a month is far past any retry, lease or repeated request an
    old item's key could still guard against.
    """
    cutoff = iso(now - keep)
    old = [
        item["id"]
        for item in store.find(OUTBOX, {"state": list(FINISHED)})
        if max(str(item.get(field) or "") for field in ("due", "sent_at", "done_at", "failed_at"))
        < cutoff
    ]
    with store.atomic():
        for id in old:
            store.delete(OUTBOX, id)
    return len(old)


# -- the worker ---------------------------------------------------------------


@dataclass
class TickReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    events: int = 0
    failures: dict[str, int] = field(default_factory=dict)

    def add(self, other: TickReport) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.deferred += other.deferred
        self.events += other.events
        for k, v in other.failures.items():
            self.failures[k] = self.failures.get(k, 0) + v


class OutboxWorker:
    """Claims due items and hands them to the adapter that owns their platform."""

    def __init__(
        self,
        core: Rapport,
        deliverers: dict[str, Deliverer],
        *,
        worker_id: str | None = None,
        batch: int = 100,
        max_per_tick: int = 10_000,
    ) -> None:
        self.core = core
        self.store = core.store
        self.clock = core.clock
        self.deliverers = deliverers
        self.worker_id = worker_id or new_id(8)
        self.batch = batch
        self.max_per_tick = max_per_tick
        self._running = asyncio.Lock()
        # Set when a platform says "slow down" (``Retry`` with ``after``): until then no
        # tick hands anything over, so a burst never turns a rate limit into hundreds
        # of refused sends and used-up attempts. The scheduler may wake up at this time.
        self.resume_at: datetime | None = None
        self.backlog = False  # the last tick stopped at max_per_tick with more due

    def next_wake(self) -> datetime | None:
        """When the scheduler should tick again sooner than its interval, if at all."""
        if self._paused():
            return self.resume_at
        return self.clock.now() if self.backlog else None

    async def tick(self) -> TickReport:
        """Deliver everything due now; one tick at a time per worker."""
        async with self._running:
            report = TickReport()
            handled = 0
            while handled < self.max_per_tick and not self._paused():
                now = self.clock.now()
                items = self.store.claim_due(iso(now), self.batch, self.worker_id, iso(now + LEASE))
                if not items:
                    break
                for i, item in enumerate(items):
                    handled += 1
                    await self._one(item, now, report)
                    if self._paused():
                        self._put_back(items[i + 1 :])
                        break
            self.backlog = handled >= self.max_per_tick
            return report

    def _paused(self) -> bool:
        return self.resume_at is not None and self.clock.now() < self.resume_at

    def _put_back(self, items: list[dict[str, Any]]) -> None:
        """Return claimed items untouched, in one write: same due, same place in line.

        One taken back from a crashed send stays ``sending`` (claimable when its lease
        ends), so it is still offered as ``maybe_sent``.
        """
        with self.store.atomic():
            for item in items:
                back = "sending" if item.get("was") == "sending" else "pending"
                self.store.update(
                    OUTBOX,
                    item["id"],
                    {"state": back},
                    expect={"state": "claimed", "worker": self.worker_id},
                )

    async def _one(self, item: dict[str, Any], now: datetime, report: TickReport) -> None:
        if item.get("was") == "claimed":
            item["was"] = "pending"  # claimed but never handed over: safe to treat as new
        hold = self.core.hold_until(item, now)
        if hold is not None:
            self.store.update(
                OUTBOX,
                item["id"],
                {"state": "pending", "due": iso(hold)},
                expect={"state": "claimed"},
            )
            report.deferred += 1
            return
        if item["kind"] == "event":
            self.core.run_event(item)
            report.events += 1
            return
        await self._deliver(item, now, report)

    async def _deliver(self, item: dict[str, Any], now: datetime, report: TickReport) -> None:
        community = Community.from_key(item["community"])
        deliverer = self.deliverers.get(community.platform)
        attempt = int(item.get("attempts", 0)) + 1
        # Once offered as maybe sent, an item stays so until it is sent: a retry after a
        # failed check must not forget the platform may already have it.
        maybe_sent = item.get("was") == "sending" or bool(item.get("maybe_sent"))
        marked = self.store.update(
            OUTBOX,
            item["id"],
            {"state": "sending", "attempts": attempt},
            expect={"state": "claimed", "worker": self.worker_id},
        )
        if marked is None:
            return  # someone else took it after our lease ran out
        parcel = Parcel(
            id=item["id"],
            key=item["key"],
            community=community,
            output=delivery_from_data(item["out"]),
            attempt=attempt,
            maybe_sent=maybe_sent,
        )
        if deliverer is None:
            result: DeliveryResult = Retry(f"no {community.platform} adapter is running")
        else:
            try:
                result = await deliverer.deliver(parcel)
            except Exception as exc:  # an adapter bug must not stop the outbox
                log.exception("delivery of %s raised", item["id"])
                result = Retry(f"{type(exc).__name__}: {exc}")
        done = self.clock.now()
        if isinstance(result, Sent):
            self.store.update(
                OUTBOX, item["id"], {"state": "sent", "sent_at": iso(done), "ref": result.ref}
            )
            report.sent += 1
            self.core.after_sent(item)
        elif isinstance(result, Retry) and attempt < MAX_ATTEMPTS:
            wait = timedelta(seconds=result.after) if result.after else backoff(attempt)
            if result.after:
                self.resume_at = done + wait
            changes: dict[str, Any] = {
                "state": "pending",
                "due": iso(done + wait),
                "last_error": result.reason,
            }
            if maybe_sent:
                changes["maybe_sent"] = True
            self.store.update(OUTBOX, item["id"], changes)
            report.retried += 1
        else:
            reason = result.reason if isinstance(result, Failed) else f"gave up: {result.reason}"
            with self.store.atomic():
                self.store.update(
                    OUTBOX,
                    item["id"],
                    {"state": "failed", "last_error": reason, "failed_at": iso(done)},
                )
                self.core.after_failed(item, reason)
            report.failed += 1
            key = reason.split(":")[0]
            report.failures[key] = report.failures.get(key, 0) + 1


def due_items(store: Store, community: Community) -> list[dict[str, Any]]:
    """Pending items of a community, soonest first (for lists and tests)."""
    return store.find(OUTBOX, {"community": community.key, "state": "pending"}, order_by="due")


def parse_due(item: dict[str, Any]) -> datetime:
    return parse_iso(item["due"])
