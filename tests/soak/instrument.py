"""Marks on outbox deliveries saying which scheduled event made them (parent and child alike).

The nudge policy holds *events*; the DMs an event's handler returns are queued as plain
deliveries. To check each delivered nudge against its recipient's quiet hours and daily
cap, the soak notes on every delivery queued while an event runs: the event's key,
whether it was a nudge, and whom it was for (``soak_event``/``soak_nudge``/``soak_user``).
Extra fields on a stored record change nothing for the bot.
"""

from __future__ import annotations

from typing import Any

from bot.core import Rapport
from store.base import OUTBOX


def instrument(core: Rapport) -> None:
    """Wrap ``core.run_event`` and ``core.store.insert`` (on these instances only)."""
    running: list[dict[str, Any]] = []
    run_event = core.run_event
    insert = core.store.insert

    def watched_run_event(item: dict[str, Any]) -> None:
        running.append(item)
        try:
            run_event(item)
        finally:
            running.pop()

    def watched_insert(table: str, doc: dict[str, Any]) -> dict[str, Any]:
        if table == OUTBOX and running and doc.get("kind") == "deliver":
            event = running[-1]
            doc = {
                **doc,
                "soak_event": event["key"],
                "soak_nudge": bool(event.get("nudge")),
                "soak_user": event.get("user"),
            }
        return insert(table, doc)

    core.run_event = watched_run_event  # type: ignore[method-assign]
    core.store.insert = watched_insert  # type: ignore[method-assign]


def nudged_user(item: dict[str, Any] | None) -> str | None:
    """The person a delivered item was a nudge for, if it was one."""
    if item is None:
        return None
    if item.get("nudge") and item.get("user"):
        return str(item["user"])
    if item.get("soak_nudge") and item.get("soak_user"):
        return str(item["soak_user"])
    return None
