"""The store interface: what the core needs from persistence, and nothing more.

Records are JSON-able dicts in named tables, each with a string ``id``. A record's
``key`` field, when set, is unique in its table (idempotency). Every backend passes
the same contract suite (``tests/store/store_contract.py``), so they behave alike.
"""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

Doc = dict[str, Any]
Where = Mapping[str, Any]

SCHEMA_VERSION = 1
OUTBOX = "outbox"
# Outbox states a worker may take an item from (see ``Store.claim_due``).
CLAIMABLE_AFTER_LEASE = ("claimed", "sending")

_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


_ID_LIMIT = 256 - 256 % len(_ID_ALPHABET)  # bytes below this map evenly onto the alphabet


def new_id(length: int = 6) -> str:
    """Short ids people can type (``/intro cancel k3f9qz``); no 0/o, 1/l/i.

    As random as ``secrets.choice`` per character (uniform, from the OS's CSPRNG), but
    one ``urandom`` call for the whole id instead of one per character."""
    out: list[str] = []
    while len(out) < length:
        for byte in secrets.token_bytes(length + 4):
            if byte < _ID_LIMIT:
                out.append(_ID_ALPHABET[byte % len(_ID_ALPHABET)])
                if len(out) == length:
                    break
    return "".join(out)


class StoreError(Exception):
    """The store cannot do what was asked (closed, corrupt beyond repair, …)."""


class StoreConfigError(StoreError):
    """The store is named wrongly: a bad database URL, a data directory that is a file,
    read-only or cannot be created. The message is one line: what is wrong, how to fix it."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or written just now: the disk is full or failing
    (ENOSPC, EIO), or the database is down. Nothing of the failed call was kept (an
    atomic block is rolled back, in memory too); the store recovers by itself, so the
    next call works once space or the database is back."""


class StoreLocked(StoreError):
    """Another process (or another store object) has this TinyDB data directory open."""

    def __init__(self, directory: str, pid: int | None) -> None:
        who = f"PID {pid}" if pid else "a process whose PID is unknown"
        super().__init__(
            f"the data directory {directory} is in use by another rapport process ({who}); "
            "stop it first, or give this one another data directory"
        )
        self.directory = directory
        self.pid = pid


class StoreCorrupt(StoreError):
    """The files of a TinyDB store do not verify; nothing was changed. The message is
    one line saying what is wrong and which command to run."""

    def __init__(self, directory: str, problem: str) -> None:
        super().__init__(
            f"the store in {directory} cannot be opened safely: {problem}. Nothing was changed. "
            f"Run `rapport store check {directory}` to see what is wrong, then "
            f"`rapport store repair {directory}` to keep every record that verifies"
        )
        self.directory = directory
        self.problem = problem


class Conflict(StoreError):
    """A record with this id or unique ``key`` already exists."""

    def __init__(self, table: str, existing: Doc) -> None:
        super().__init__(f"{table}: {existing.get('key') or existing.get('id')} exists")
        self.table = table
        self.existing = existing


class Store(ABC):
    """Tables of JSON documents with atomic groups of writes."""

    @abstractmethod
    def atomic(self) -> AbstractContextManager[None]:
        """Group writes: all of them are kept, or (on an exception) none. Nestable."""

    def lazily(self) -> AbstractContextManager[None]:
        """An atomic group that may return before it is durable: a crash right after can
        lose it (whole, never in part), while every later durable write keeps it. For
        bookkeeping whose loss is harmless, such as marking an input answered (it would
        be answered again, from the stored replies). By default simply ``atomic()``."""
        return self.atomic()

    @abstractmethod
    def insert(self, table: str, doc: Doc) -> Doc:
        """Store a new record, giving it an ``id`` if it has none. Raises ``Conflict``."""

    def insert_new(self, table: str, docs: Sequence[Doc]) -> list[Doc | None]:
        """Insert several new records, skipping each whose ``key`` (or given id) is taken:
        per record the stored one, or None when skipped. A store may do it in fewer round
        trips than one ``insert`` each (a fan-out of thousands)."""
        out: list[Doc | None] = []
        with self.atomic():
            for doc in docs:
                try:
                    out.append(self.insert(table, doc))
                except Conflict:
                    out.append(None)
        return out

    def upsert(
        self, table: str, key: str, changes: Mapping[str, Any], new: Mapping[str, Any]
    ) -> Doc:
        """The record with ``key`` updated with ``changes``, or created from ``new`` and
        ``changes`` when there is none: one step (SQL stores: one statement)."""
        with self.atomic():
            doc = self.find_one(table, {"key": key})
            if doc is not None:
                updated = self.update(table, doc["id"], changes)
                if updated is not None:
                    return updated
            return self.insert(table, {**new, **changes, "key": key})

    @abstractmethod
    def get(self, table: str, id: str) -> Doc | None: ...

    @abstractmethod
    def update(
        self, table: str, id: str, changes: Mapping[str, Any], *, expect: Where | None = None
    ) -> Doc | None:
        """Apply ``changes`` if the record exists and matches ``expect``; return it, else None.

        ``expect`` is a compare-and-set guard: a state transition names the state it
        leaves, so two presses of one button act once.
        """

    @abstractmethod
    def delete(self, table: str, id: str) -> bool: ...

    @abstractmethod
    def find(
        self,
        table: str,
        where: Where | None = None,
        *,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[Doc]:
        """Records matching every field of ``where`` (see ``matches``)."""

    @abstractmethod
    def count(self, table: str, where: Where | None = None) -> int: ...

    @abstractmethod
    def tables(self) -> list[str]:
        """Every table that holds at least one record."""

    @abstractmethod
    def claim_due(
        self, now: str, limit: int, worker: str, lease_until: str, *, skip: tuple[str, ...] = ()
    ) -> list[Doc]:
        """Atomically take up to ``limit`` outbox items for ``worker``, oldest due first.

        Items whose key starts with one of ``skip`` are left alone (the outbox passes the
        platforms that must wait, so their backlog does not hide the others' items).

        Claimable: ``state == "pending" and due <= now``, or ``state`` in
        ``claimed``/``sending`` with ``lease_until <= now`` (the worker holding it
        died). Each taken item gets ``state="claimed"``, ``worker``, ``lease_until``
        and ``was`` (the state it was taken from). Two workers never get one item.
        """

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def set_schema_version(self, version: int) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    def prefetch(self, wanted: Iterable[tuple[str, str]]) -> None:  # noqa: B027 - a hook
        """Read these records (each by table and key) in one go, ahead of an atomic
        block's look-ups of them by key. Backends that answer look-ups from memory have
        nothing to do; outside an atomic block it does nothing either."""

    def compact(self) -> None:  # noqa: B027 - a hook: nothing to do by default
        """Make deletions final on disk, now: no byte of a deleted record may remain in
        the store's files afterwards (call it after a confirmed erasure). Backends that
        delete in place (SQL) have nothing to do. Raises ``StoreUnavailable`` when it
        cannot be done just now (disk full); the data is then unchanged."""

    def prune(self, table: str, *, field: str, before: str, where: Where | None = None) -> int:
        """Delete the records of ``table`` that match ``where`` and whose ``field`` (an
        ISO time, compared as text) is set and earlier than ``before``; how many.

        Housekeeping for tables that only grow (``nudge_msgs``: answered nudges over a
        few months old). One atomic group: all of them, or none.
        """
        old = [
            d["id"]
            for d in self.find(table, where)
            if isinstance(d.get(field), str) and d[field] < before
        ]
        with self.atomic():
            for id in old:
                self.delete(table, id)
        return len(old)

    # -- helpers shared by every backend -------------------------------------

    def find_one(self, table: str, where: Where) -> Doc | None:
        found = self.find(table, where, limit=1)
        return found[0] if found else None

    def iter_all(self, table: str) -> Iterator[Doc]:
        yield from self.find(table)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_CONTAINERS = (dict, list)


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON value (dicts, lists and immutable scalars), several times
    faster than ``copy.deepcopy``: no memo, since JSON has no shared parts or cycles."""
    kind = type(value)
    if kind is dict:  # scalars are kept as they are, without a call each
        return {k: copy_json(v) if type(v) in _CONTAINERS else v for k, v in value.items()}
    if kind is list:
        return [copy_json(v) if type(v) in _CONTAINERS else v for v in value]
    return value


def matches(doc: Mapping[str, Any], where: Where | None) -> bool:
    """The meaning of ``where`` for every backend.

    A scalar matches an equal field, or a list field that contains it; a list of
    wanted values matches when any of them would.
    """
    if not where:
        return True
    for field, wanted in where.items():
        value = doc.get(field)
        options = wanted if isinstance(wanted, (list, tuple, set, frozenset)) else (wanted,)
        if not any(_match_one(value, w) for w in options):
            return False
    return True


def matcher(where: Where | None) -> Callable[[Mapping[str, Any]], bool]:
    """``matches`` for one ``where``, prepared once for the many records a find checks:
    wanted texts are looked up in a set instead of compared one by one (a look-up of
    470 members' records checked each record against all 470). Same meaning: a text
    only ever equals a text."""
    if not where:
        return lambda doc: True
    tests = []
    for field, wanted in where.items():
        options = tuple(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else (wanted,)
        texts = frozenset(o for o in options if isinstance(o, str))
        others = tuple(o for o in options if not isinstance(o, str))
        tests.append((field, texts, others))

    def one(value: Any, texts: frozenset[str], others: tuple[Any, ...]) -> bool:
        if isinstance(value, str):
            return value in texts
        return any(_same(value, w) for w in others)

    def test(doc: Mapping[str, Any]) -> bool:
        for field, texts, others in tests:
            value = doc.get(field)
            if isinstance(value, list):
                if not any(one(item, texts, others) for item in value):
                    return False
            elif not one(value, texts, others):
                return False
        return True

    return test


def _match_one(value: Any, wanted: Any) -> bool:
    if isinstance(value, list):
        # Not ``wanted in value``: that finds True in [1] and 0 in [False].
        return any(_same(item, wanted) for item in value)
    return _same(value, wanted)


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(value, bool) != isinstance(wanted, bool):
        return False  # True is not 1 here, as in JSON
    return bool(value == wanted)


def _initial(store: Store) -> None:
    """Version 0 -> 1: a new, empty store. Later versions add a function here."""


# Migrations: version N -> N+1, run by ``migrate`` when a store is opened.
MIGRATIONS: dict[int, Callable[[Store], None]] = {0: _initial}


def migrate(store: Store) -> None:
    """Bring a store up to ``SCHEMA_VERSION`` by running each migration in order."""
    version = store.schema_version()
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"this data was written by a newer rapport (schema {version}); upgrade rapport"
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS[version]
        with store.atomic():
            step(store)
            store.set_schema_version(version + 1)
        version += 1
