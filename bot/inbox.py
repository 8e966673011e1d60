"""The durable inbox: every input is recorded in the store before it is acknowledged.

An adapter records a command or a button press (``record``) and only then tells the
platform "got it"; the process that recorded it holds it (a lease) while it runs the
core and answers, then marks it ``done``. If that process dies in between, any process
over the same store takes the input over once the lease has run out (``claim_stale``,
a compare-and-set on the state and the lease, like the outbox's claims) and answers it.
Running an input twice is safe: the core remembers each request id's answer (the
``requests`` table) and gives it again instead of acting again.

Answering twice must show once: the adapters answer in place (Slack replaces the
command's "one moment…" message through its ``response_url``; Discord edits the
interaction's original response), and an answer that must go by DM instead goes
through the outbox keyed by the entry (``answer_by_dm``), so a second try queues
nothing new. An entry taken over carries ``attempts > 0`` so it can be told apart.

Neutral: an entry is a platform's payload (JSON) plus where and until when an answer
can be given; adapters decide what the payload means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot import metrics
from bot.clock import iso, parse_iso
from bot.io import Community, DirectMessage
from bot.messages import Message
from bot.outbox import enqueue_delivery
from store import Conflict, Store, StoreUnavailable
from store.base import StoreError

INBOX = "inbox"
LEASE = timedelta(seconds=30)
KEEP_DONE = timedelta(days=1)
OPEN = ("claimed",)  # recorded, held by a worker, not answered yet


@dataclass(frozen=True)
class Entry:
    id: str
    key: str
    community: Community
    kind: str
    payload: dict[str, Any]
    received: datetime
    reply_until: datetime | None
    attempts: int = 0

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Entry:
        until = doc.get("reply_until")
        return cls(
            id=doc["id"],
            key=doc["key"],
            community=Community.from_key(doc["community"]),
            kind=doc["kind"],
            payload=doc["payload"],
            received=parse_iso(doc["received"]),
            reply_until=parse_iso(until) if until else None,
            attempts=int(doc.get("attempts", 0)),
        )

    def can_reply(self, now: datetime) -> bool:
        """Whether the platform's reply channel for this input is still open."""
        return self.reply_until is not None and now < self.reply_until


def record(
    store: Store,
    community: Community,
    kind: str,
    key: str,
    payload: dict[str, Any],
    *,
    now: datetime,
    worker: str,
    reply_until: datetime | None = None,
    lease: timedelta = LEASE,
) -> Entry | None:
    """Durably record an input, held by ``worker``; None if ``key`` was recorded before
    (a platform's retry or a double click: it is answered once, by whoever has it)."""
    doc = new_doc(
        community, kind, key, payload, now=now, worker=worker, reply_until=reply_until, lease=lease
    )
    try:
        with metrics.store_timer("inbox_record"):
            return Entry.from_doc(store.insert(INBOX, doc))
    except Conflict:
        return None


def new_doc(
    community: Community,
    kind: str,
    key: str,
    payload: dict[str, Any],
    *,
    now: datetime,
    worker: str,
    reply_until: datetime | None = None,
    lease: timedelta = LEASE,
) -> dict[str, Any]:
    """The inbox record of a new input (for ``record`` and ``record_many``)."""
    return {
        "key": f"{community.key}|{key}",
        "community": community.key,
        "platform": community.platform,
        "kind": kind,
        "payload": payload,
        "received": iso(now),
        "reply_until": iso(reply_until) if reply_until else None,
        "state": "claimed",
        "worker": worker,
        "lease_until": iso(now + lease),
        "attempts": 0,
    }


def record_many(store: Store, docs: list[dict[str, Any]]) -> list[Entry | StoreError | None]:
    """Record several inputs (``new_doc``) in one atomic group: one journal write and one
    fsync for all (group commit), so inputs arriving together are acknowledged together.

    Per input: its ``Entry``, None if it was recorded before, or the ``StoreError`` that
    refused it alone (a value the store can't hold). If the group itself can't be kept
    (disk full, database down) the error is raised and none of them is recorded."""
    out: list[Entry | StoreError | None] = []
    with metrics.store_timer("inbox_record"), store.atomic():
        for doc in docs:
            try:
                out.append(Entry.from_doc(store.insert(INBOX, doc)))
            except Conflict:
                out.append(None)
            except StoreUnavailable:
                raise
            except StoreError as exc:  # refused before anything of it was written
                out.append(exc)
    return out


def claim_stale(
    store: Store,
    platform: str,
    *,
    now: datetime,
    worker: str,
    limit: int = 100,
    lease: timedelta = LEASE,
) -> list[Entry]:
    """Take over inputs of ``platform`` whose worker's lease ran out, oldest first.

    Each is a compare-and-set on (state, worker, lease), so two processes never take
    the same entry. A process never takes its own entries: it is alive (it is asking)
    and still answering them, however long that takes."""
    taken = []
    with metrics.store_timer("inbox_claim"):
        open_ = store.find(INBOX, {"platform": platform, "state": list(OPEN)}, order_by="received")
        for doc in open_:
            if len(taken) >= limit:
                break
            if doc.get("lease_until", "") > iso(now) or doc.get("worker") == worker:
                continue
            new = store.update(
                INBOX,
                doc["id"],
                {
                    "worker": worker,
                    "lease_until": iso(now + lease),
                    "attempts": int(doc.get("attempts", 0)) + 1,
                },
                expect={
                    "state": doc["state"],
                    "worker": doc["worker"],
                    "lease_until": doc["lease_until"],
                },
            )
            if new is not None:
                taken.append(Entry.from_doc(new))
    return taken


def done(store: Store, entry_id: str, answer: str, *, now: datetime, worker: str) -> bool:
    """Record that the input was answered (``answer``: how, e.g. ``reply`` or ``dm``).
    False if another worker had taken it over meanwhile."""
    # Lazily durable: if a crash loses this mark, the input is run again and answered
    # from the stored replies (the window this leaves was there before, a few ms longer).
    with metrics.store_timer("inbox_done"), store.lazily():
        changed = store.update(
            INBOX,
            entry_id,
            {"state": "done", "answer": answer, "done_at": iso(now)},
            expect={"state": "claimed", "worker": worker},
        )
    return changed is not None


def drop(store: Store, entry_id: str, *, worker: str) -> bool:
    """Give up an input that was recorded but then refused (the user was told "busy")."""
    return (
        store.update(
            INBOX, entry_id, {"state": "refused"}, expect={"state": "claimed", "worker": worker}
        )
        is not None
    )


def forget_done(store: Store, now: datetime, keep: timedelta = KEEP_DONE) -> int:
    """Delete entries answered or refused more than ``keep`` ago (housekeeping)."""
    return store.prune(
        INBOX, field="received", before=iso(now - keep), where={"state": ["done", "refused"]}
    )


def answer_by_dm(
    store: Store,
    entry: Entry,
    user: str,
    messages: list[Message],
    *,
    now: datetime,
) -> None:
    """Answer an input by DM, through the outbox, where no reply can go (its reply
    window has passed, or it came from somewhere without one). Keyed by the entry, so
    answering the same input again after a crash queues nothing new; in order."""
    with store.atomic():
        for i, message in enumerate(messages):
            enqueue_delivery(
                store,
                entry.community,
                DirectMessage(user, message),
                due=now - timedelta(microseconds=len(messages) - i),
                key=f"answer:{entry.id}:{i}",
            )
