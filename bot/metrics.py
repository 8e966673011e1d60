"""Every metric rapport exports, in one place (Prometheus, via ``prometheus-client``).

Neutral: no platform imports. The places that know call these — the core (inputs and
store time), the outbox worker (deliveries), the adapters (acks, answers, 429s) — and
``bot/ops.py`` serves them on ``GET /metrics``. Each metric is described in the README.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.clock import iso, parse_iso

REGISTRY = CollectorRegistry()
CONTENT_TYPE = CONTENT_TYPE_LATEST

_FAST = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_SLOW = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0, 600.0, 1800.0)

INPUTS = Counter(
    "rapport_inputs",
    "Commands and button presses handled, by platform, kind (command/press), family and "
    "outcome (ok, refused: bad input, error: a bug, repeat: a retry answered from memory, "
    "busy: turned away at once)",
    ["platform", "kind", "family", "outcome"],
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    "rapport_ack_seconds",
    "Time from a platform's request to rapport's acknowledgement",
    ["platform"],
    buckets=_FAST,
    registry=REGISTRY,
)
ANSWER_SECONDS = Histogram(
    "rapport_answer_seconds",
    "Time from receiving an input to its final answer reaching the platform",
    ["platform"],
    buckets=_SLOW,
    registry=REGISTRY,
)
ROLE = Gauge(
    "rapport_role",
    "1 for the role this process has on a platform: holder (holds Discord's gateway for "
    "its shards) or standby (waits to take over); 0 for the other",
    ["platform", "role"],
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "rapport_deliveries",
    "Outbox deliveries by platform, result (sent, retry, failed) and reason",
    ["platform", "result", "reason"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "rapport_rate_limited",
    "HTTP 429 answers received from a platform",
    ["platform"],
    registry=REGISTRY,
)
STORE_SECONDS = Histogram(
    "rapport_store_seconds",
    "Store operation latency: an input's atomic block, an outbox claim, an inbox write",
    ["operation"],
    buckets=_FAST,
    registry=REGISTRY,
)
INBOX_RECOVERED = Counter(
    "rapport_inbox_recovered",
    "Inputs recorded by a process that stopped before answering, taken over and answered",
    ["platform"],
    registry=REGISTRY,
)


def input_done(platform: str, kind: str, family: str, outcome: str) -> None:
    INPUTS.labels(platform, kind, family, outcome).inc()


def delivered(platform: str, result: Any) -> None:
    """Count one outbox delivery result (``Sent``, ``Retry`` or ``Failed``)."""
    kind = type(result).__name__.lower()
    reason = str(getattr(result, "reason", "") or "").split(":")[0]
    DELIVERIES.labels(platform, kind, reason).inc()


@contextmanager
def store_timer(operation: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        STORE_SECONDS.labels(operation).observe(time.perf_counter() - started)


class OutboxCollector:
    """Backlog per platform, read from the store when scraped: items due and pending,
    and the age of the oldest of them."""

    def __init__(
        self, pending: Callable[[], list[dict[str, Any]]], clock: Callable[[], datetime]
    ) -> None:
        self.pending = pending
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        stamp = self.clock()
        now = iso(stamp)
        due: dict[str, int] = {}
        oldest: dict[str, str] = {}
        for item in self.pending():
            if str(item.get("due", "")) > now:
                continue
            platform = str(item.get("community", "")).split(":", 1)[0]
            due[platform] = due.get(platform, 0) + 1
            oldest[platform] = min(oldest.get(platform, item["due"]), item["due"])
        backlog = GaugeMetricFamily(
            "rapport_outbox_backlog", "Outbox items due and not yet delivered", labels=["platform"]
        )
        age = GaugeMetricFamily(
            "rapport_outbox_oldest_due_seconds",
            "How long the oldest due outbox item has waited",
            labels=["platform"],
        )
        for platform, n in sorted(due.items()):
            backlog.add_metric([platform], n)
            waited = stamp - parse_iso(oldest[platform])
            age.add_metric([platform], max(0.0, waited.total_seconds()))
        yield backlog
        yield age


_watched: list[OutboxCollector] = []


def watch_outbox(
    pending: Callable[[], list[dict[str, Any]]], clock: Callable[[], datetime]
) -> None:
    """Export the outbox backlog of this process's store (one store per process)."""
    for old in _watched:
        REGISTRY.unregister(old)
    _watched[:] = [OutboxCollector(pending, clock)]
    REGISTRY.register(_watched[0])


def render() -> bytes:
    return generate_latest(REGISTRY)


def set_role(platform: str, role: str, roles: tuple[str, ...] = ("holder", "standby")) -> None:
    """Say which role this process has on ``platform`` now."""
    for each in roles:
        ROLE.labels(platform, each).set(1 if each == role else 0)
