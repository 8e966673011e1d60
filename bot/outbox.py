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
import contextlib
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from bot import metrics
from bot.clock import iso, parse_iso
from bot.io import Community, Delivery, Later, delivery_from_data, delivery_to_data, recipients
from bot.ratelimit import Limit, RateLimiter, Use
from store import Conflict, Store
from store.base import OUTBOX, new_id

log = logging.getLogger(__name__)


class Dispatcher(Protocol):
    """What the outbox asks of whoever owns the items (the core): the narrow protocol the
    outbox owns, so the outbox never imports the core."""

    store: Store
    clock: Any  # bot.clock.Clock

    def hold_until(self, item: dict[str, Any], now: datetime) -> datetime | None: ...

    def run_event(self, item: dict[str, Any]) -> None: ...

    def after_sent(self, item: dict[str, Any]) -> None: ...

    def after_failed(self, item: dict[str, Any], reason: str) -> None: ...

    def housekeep(self) -> int: ...


MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=2)


# -- what adapters return ----------------------------------------------------


@dataclass(frozen=True)
class Sent:
    ref: str | None = None


@dataclass(frozen=True)
class Retry:
    """A transient failure (rate limit, timeout, 5xx); ``after`` in seconds if the platform said.

    ``method``: the platform method the ``after`` is for (Slack limits each method on its
    own); None pauses the whole platform.
    """

    reason: str
    after: float | None = None
    method: str | None = None


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


@runtime_checkable
class Paced(Protocol):
    """A deliverer that states its platform's limits, so the outbox never outruns them.

    ``limits`` are the platform's facts; ``cost`` names the calls one parcel will make
    (method and what it is counted for), checked against them before it is handed over.
    A deliverer without them (the console, test fakes) is called as fast as items fall due.
    """

    limits: Sequence[Limit]

    def cost(self, parcel: Parcel) -> list[Use]: ...


# -- enqueueing (inside the caller's atomic block) ----------------------------


def enqueue_delivery(
    store: Store, community: Community, out: Delivery, *, due: datetime, **fields: Any
) -> dict[str, Any] | None:
    """Store a delivery (``fields`` as for ``delivery_doc``); with a ``key`` already used,
    nothing is added (returns None)."""
    try:
        return store.insert(OUTBOX, delivery_doc(community, out, due=due, **fields))
    except Conflict:
        return None


def delivery_doc(
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
) -> dict[str, Any]:
    """The outbox record of a delivery (``enqueue_delivery``; many at once: ``insert_new``).

    ``released`` marks a nudge's message already counted by the nudge policy (the
    event that produced it was), so it isn't counted twice but still keeps quiet hours.
    """
    users = recipients(out)
    return {
        "key": f"{community.key}|{key or new_id(10)}",
        "community": community.key,
        "kind": "deliver",
        "out": delivery_to_data(out),
        "user": users[0] if len(users) == 1 else None,
        "about": sorted(set(users) | set(about) | ({origin} if origin else set())),
        "origin": origin,
        "nudge": nudge,
        **({"released": released} if released else {}),
        **({"on_failed": on_failed} if on_failed else {}),  # see ``Dispatcher.after_failed``
        "due": iso(due),
        "created": iso(due),
        "state": "pending",
        "attempts": 0,
    }


def enqueue_event(
    store: Store, community: Community, later: Later, *, origin: str | None = None
) -> dict[str, Any] | None:
    """Store a scheduled event; scheduling the same ``key`` twice keeps the first."""
    try:
        return store.insert(OUTBOX, event_doc(community, later, origin=origin))
    except Conflict:
        return None


def event_doc(community: Community, later: Later, *, origin: str | None = None) -> dict[str, Any]:
    """The outbox record of a scheduled event (``enqueue_event``)."""
    return {
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
    """Claims due items and hands them to the adapter that owns their platform, at its pace.

    Before a delivery is handed over, the platform's ``RateLimiter`` must have a token
    for every call it will make; an item that would have to wait is put back untouched
    (same due, same place in line) and its platform is left out of further claims until
    its first token returns, so one platform's backlog never holds up another's items.
    ``run`` keeps doing this for as long as the process lives, sleeping until the next
    token, the next item due, or ``wake`` (new work).
    """

    def __init__(
        self,
        core: Dispatcher,
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
        self._wake = asyncio.Event()
        self._stopping = False
        self._limiters: dict[str, RateLimiter] = {}
        # Platforms with an item waiting for a token (or a Retry-After), and when the
        # first may go: until then they are skipped when claiming.
        self.waiting: dict[str, datetime] = {}
        self.backlog = False  # the last tick stopped at max_per_tick with more due

    def limiter(self, platform: str) -> RateLimiter:
        """The platform's limiter, fed by its deliverer's declared limits."""
        limiter = self._limiters.get(platform)
        if limiter is None:
            deliverer = self.deliverers.get(platform)
            limits = deliverer.limits if isinstance(deliverer, Paced) else ()
            limiter = self._limiters[platform] = RateLimiter(
                limits, lambda: self.clock.now().timestamp()
            )
        return limiter

    def wake(self) -> None:
        """New work was queued: look now (call on the event loop's thread)."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the delivery in hand, put the rest back, and let ``run`` return: a
        cancelled send would be left ``sending`` and offered again as maybe sent."""
        self._stopping = True
        self._wake.set()

    def next_wake(self) -> datetime | None:
        """When there may next be something to do: a waiting platform's first token, or
        the next item falling due (None: nothing until new work arrives)."""
        now = self.clock.now()
        if self.backlog:
            return now
        times = [t for t in self.waiting.values() if t > now]
        skip = tuple(f"{p}:" for p in self.waiting)
        nxt = self.store.find(OUTBOX, {"state": "pending"}, order_by="due", limit=1)
        if nxt and not str(nxt[0]["key"]).startswith(skip):
            times.append(parse_iso(nxt[0]["due"]))
        return min(times) if times else None

    async def run(self, idle: float) -> None:
        """Deliver until cancelled: drain what may go, then sleep until ``next_wake`` or
        ``wake``, at most ``idle`` seconds (leases of crashed workers end unannounced)."""
        while not self._stopping:
            self._wake.clear()
            try:
                report = await self.tick()
                log_report(report)
                wake = self.next_wake()
                delay = idle if wake is None else (wake - self.clock.now()).total_seconds()
            except Exception:
                log.exception("outbox pass failed; trying again shortly")
                delay = 1.0
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), min(delay, idle))

    async def tick(self) -> TickReport:
        """Deliver everything due that the platforms' limits allow now; one at a time."""
        async with self._running:
            report = TickReport()
            handled = 0
            while handled < self.max_per_tick and not self._stopping:
                now = self.clock.now()
                self.waiting = {p: t for p, t in self.waiting.items() if t > now}
                skip = tuple(f"{p}:" for p in self.waiting)
                with metrics.store_timer("outbox_claim"):
                    items = self.store.claim_due(
                        iso(now), self.batch, self.worker_id, iso(now + LEASE), skip=skip
                    )
                if not items:
                    break
                back = []
                for item in items:
                    if self._stopping or self._must_wait(item):
                        back.append(item)
                        continue
                    handled += 1
                    await self._one(item, self.clock.now(), report)
                if back:
                    self._put_back(back)
            self.backlog = handled >= self.max_per_tick
            return report

    def _must_wait(self, item: dict[str, Any]) -> bool:
        """Whether a delivery's platform has no token yet for a call it would make.

        An event waits while its platform does: what it says would otherwise queue up
        behind the wait and go out later than the moment its handler (and the nudge
        policy, which lets a released nudge's message straight through) judged it for.
        """
        community = Community.from_key(item["community"])
        if item["kind"] != "deliver":
            return community.platform in self.waiting
        limiter = self.limiter(community.platform)
        ready = limiter.ready_at(self._uses(self._parcel(item, community)))
        if ready <= limiter.now():
            return False
        # Rounded up to the clock's microsecond, so waking then finds the token back.
        at = datetime.fromtimestamp(math.ceil(ready * 1e6) / 1e6, UTC)
        self.waiting[community.platform] = min(self.waiting.get(community.platform, at), at)
        return True

    def _uses(self, parcel: Parcel) -> list[Use]:
        deliverer = self.deliverers.get(parcel.community.platform)
        return deliverer.cost(parcel) if isinstance(deliverer, Paced) else []

    def _parcel(self, item: dict[str, Any], community: Community) -> Parcel:
        # Once offered as maybe sent, an item stays so until it is sent: a retry after a
        # failed check must not forget the platform may already have it.
        return Parcel(
            id=item["id"],
            key=item["key"],
            community=community,
            output=delivery_from_data(item["out"]),
            attempt=int(item.get("attempts", 0)) + 1,
            maybe_sent=item.get("was") == "sending" or bool(item.get("maybe_sent")),
        )

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
        await self._deliver(item, report)

    async def _deliver(self, item: dict[str, Any], report: TickReport) -> None:
        community = Community.from_key(item["community"])
        deliverer = self.deliverers.get(community.platform)
        parcel = self._parcel(item, community)
        marked = self.store.update(
            OUTBOX,
            item["id"],
            {"state": "sending", "attempts": parcel.attempt},
            expect={"state": "claimed", "worker": self.worker_id},
        )
        if marked is None:
            return  # someone else took it after our lease ran out
        if deliverer is None:
            result: DeliveryResult = Retry(f"no {community.platform} adapter is running")
        else:
            uses = self._uses(parcel)
            self.limiter(community.platform).take(uses)
            try:
                result = await deliverer.deliver(parcel)
            except Exception as exc:  # an adapter bug must not stop the outbox
                log.exception("delivery of %s raised", item["id"])
                result = Retry(f"{type(exc).__name__}: {exc}")
            if isinstance(result, Retry) and result.after:
                limited = [u for u in uses if u.method == result.method] or [Use(result.method)]
                self.limiter(community.platform).pause(
                    result.after, None if result.method is None else limited
                )
        done = self.clock.now()
        metrics.delivered(community.platform, result)  # serve: deliveries by result
        if isinstance(result, Sent):
            self.store.update(
                OUTBOX, item["id"], {"state": "sent", "sent_at": iso(done), "ref": result.ref}
            )
            report.sent += 1
            self.core.after_sent(item)
        elif isinstance(result, Retry) and parcel.attempt < MAX_ATTEMPTS:
            wait = timedelta(seconds=result.after) if result.after else backoff(parcel.attempt)
            changes: dict[str, Any] = {
                "state": "pending",
                "due": iso(done + wait),
                "last_error": result.reason,
            }
            if parcel.maybe_sent:
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


def log_report(report: TickReport) -> None:
    if report.sent or report.failed or report.retried:
        log.info(
            "outbox: %d sent, %d retried, %d failed, %d held",
            report.sent,
            report.retried,
            report.failed,
            report.deferred,
        )


def due_items(store: Store, community: Community) -> list[dict[str, Any]]:
    """Pending items of a community, soonest first (for lists and tests)."""
    return store.find(OUTBOX, {"community": community.key, "state": "pending"}, order_by="due")


def parse_due(item: dict[str, Any]) -> datetime:
    return parse_iso(item["due"])
