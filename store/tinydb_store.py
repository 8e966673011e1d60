"""The default store: TinyDB tables in memory, a write-ahead journal on disk.

Stock TinyDB rewrites its whole JSON file on every write (about 360 ms per insert
at 100,000 records) and can leave a torn file after a crash. Here TinyDB holds the
tables in memory and answers queries; every committed group of writes is appended
to a journal as one checksummed, numbered line and fsynced before the call returns.
When the journal grows past the snapshot's size, a new snapshot in TinyDB's own JSON
format (plus a header: its generation, last sequence number and checksum) is written
to a temp file, fsynced and moved into place; then the journal is replaced by a new
one that starts with a header naming that snapshot. Opening verifies everything
(``store.tinydb_files``): a torn last line is dropped, and anything else that does
not verify makes the store refuse to open (``StoreCorrupt``) without changing a byte.
So every write that returned survives a kill at any instant, and nothing is guessed.

One process at a time: the data directory is locked (``flock``) while a store has it
open; a second opener gets ``StoreLocked`` naming the PID that holds it. A full or
failing disk makes a write raise ``StoreUnavailable``, with nothing of it kept (not in
memory either); the next write works once there is space again.

Equality lookups use hash indexes built on first use and kept up to date, so the
cost of a command does not grow with the number of records.
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import heapq
import itertools
import json
import logging
import os
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage, Storage
from tinydb.table import Document, Table

from store import tinydb_files as files
from store.base import (
    CLAIMABLE_AFTER_LEASE,
    OUTBOX,
    Conflict,
    Doc,
    Store,
    StoreConfigError,
    StoreCorrupt,
    StoreError,
    StoreUnavailable,
    Where,
    copy_json,
    matcher,
    matches,
    migrate,
    new_id,
)
from store.tinydb_files import JOURNAL, JOURNAL_TMP, SNAPSHOT, fsync_dir

__all__ = ["JOURNAL", "SNAPSHOT", "AtomicJSONStorage", "TinyDBStore", "fsync_dir"]

META = "_meta"
# A data directory that can't be written (not a disk problem that may pass).
_NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)

log = logging.getLogger(__name__)


class AtomicJSONStorage(Storage):
    """The snapshot: TinyDB's JSON file format with our header, written crash-safely
    (temp, fsync, replace, fsync dir). ``stamp`` is the (generation, seq) it records."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.stamp = (1, 0)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return files.parse_snapshot(data).tables or None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        generation, seq = self.stamp
        body = files.snapshot_bytes(data, generation, seq)
        files.replace_file(self.path, body, self.path.with_suffix(".tmp"))


class _Journal:
    """The journal, appended to with ``os.write`` (so a test can fill the disk)."""

    def __init__(self, path: Path) -> None:
        self.fd: int | None = os.open(path, os.O_WRONLY | os.O_APPEND)

    @property
    def closed(self) -> bool:
        return self.fd is None

    def _fd(self) -> int:
        if self.fd is None:
            raise ValueError("I/O operation on closed journal")
        return self.fd

    def write(self, data: bytes) -> int:
        files.write_fully(self._fd(), data)
        return len(data)

    def flush(self) -> None:
        self._fd()

    def fileno(self) -> int:
        return self._fd()

    def tell(self) -> int:
        return os.lseek(self._fd(), 0, os.SEEK_END)

    def close(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)

    def __del__(self) -> None:
        try:  # at interpreter shutdown module globals may already be gone: no contextlib
            self.close()
        except Exception:
            pass


class _Holder:
    """This process's hold on a data directory: the flocked fd, and the store using it."""

    def __init__(self, fd: int, store: TinyDBStore) -> None:
        self.fd = fd
        self.store = weakref.ref(store)


# Data directories this process holds. flock conflicts between two opens in one process
# too, but a store object can be abandoned without close() (a crash simulated in a test,
# a bug): a new store on the same directory in the same process then takes the lock
# over and fences the old object (closed: any further use raises StoreError), so there
# is never more than one writer, and never a lock held by an object nobody can reach.
_HELD: dict[str, _Holder] = {}
_HELD_LOCK = threading.Lock()


def _unavailable(what: str, directory: Path, e: BaseException) -> StoreError:
    detail = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
    if isinstance(e, OSError) and e.errno in _NOT_WRITABLE:
        return StoreConfigError(
            f"cannot {what} in {directory}: {detail}; make the data directory writable "
            "(or set RAPPORT_DATA_DIR / --data-dir to one that is)"
        )
    return StoreUnavailable(f"cannot {what} in {directory}: {detail}; nothing was kept, try again")


class _Table(Table):
    """A TinyDB table keyed by our string ids, updated in place.

    Stock ``Table._update_table`` copies the whole table twice per write to
    convert ids; with string ids that conversion is the identity, so we skip it.
    """

    document_id_class = str  # type: ignore[assignment]

    def _update_table(self, updater: Any) -> None:
        tables = self._storage.read()
        raw = tables.setdefault(self.name, {})
        updater(raw)
        self.clear_cache()


class _DB(TinyDB):
    table_class = _Table
    default_storage_class = MemoryStorage


class TinyDBStore(Store):
    """One process, one lock around every access (TinyDB is not thread-safe)."""

    def __init__(self, directory: str | Path, *, min_compact_bytes: int = 4 << 20) -> None:
        self.directory = Path(directory)
        self._snapshot = AtomicJSONStorage(self.directory / SNAPSHOT)
        self._journal_path = self.directory / JOURNAL
        self._min_compact = min_compact_bytes
        self._lock = threading.RLock()
        self._depth = 0
        self._undo: list[tuple[str, str, Doc | None]] = []
        self._redo: list[list[Any]] = []
        self._indexes: dict[tuple[str, str], dict[Any, set[str]]] = {}
        self._keys: dict[str, dict[str, str]] = {}
        # Claimable outbox items: sorted (due, id) of pending ones and sorted
        # (lease_until, id) of claimed/sending ones (claimable once the lease ends).
        self._pending: list[tuple[str, str]] = []
        self._leased: list[tuple[str, str]] = []
        self._closed = True
        self._journal: Any = None
        # The journal's size up to its last whole record, when a failed write left it
        # longer (it is cut back before the next write); None when it is as it should be.
        self._journal_good: int | None = None
        self._gen = 0  # the snapshot's generation
        self._snapshot_size: int | None = None  # bytes, once looked up
        self._seq = 0  # the last journal record's sequence number
        # Group commit: a group's line is written to the journal under the lock, and
        # made durable after the lock is let go, by one fsync shared with every group
        # written meanwhile (see ``_durable``). Each commit gets a ticket; ``_unsynced``
        # keeps, per ticket not yet fsynced, where its line starts and how to undo it.
        self._sync = threading.Condition(threading.Lock())
        self._ticket = 0  # the last ticket handed out
        self._synced = 0  # every ticket up to this one is durable
        self._syncing = False  # a thread is fsyncing for everyone
        self._unsynced: list[tuple[int, int, int, list[tuple[str, str, Doc | None]]]] = []
        self._failed: list[tuple[int, int, StoreError]] = []  # ticket ranges lost, and why
        self._db = _DB(storage=MemoryStorage)
        self._mem: dict[str, dict[str, Doc]] = self._db.storage.read() or {}
        if not self._mem:
            self._db.storage.write({})
            self._mem = self._db.storage.read()
        _prepare_directory(self.directory)
        self._dir_lock: int | None = self._take_lock()
        try:
            self._load()
            self._closed = False
            files.write_pid(self.directory)
            migrate(self)
        except BaseException:
            self._release()
            raise

    # -- loading and compaction ----------------------------------------------

    def _load(self) -> None:
        found = files.scan(self.directory)
        if not found.healthy:
            problem = found.problems[0]
            if len(found.problems) > 1:
                problem += f" (and {len(found.problems) - 1} more problems)"
            raise StoreCorrupt(str(self.directory), problem)
        snap = found.snapshot
        if snap is not None:
            for table, docs in snap.tables.items():
                self._mem[table] = docs
        for record in found.replay:
            for op in record.ops or []:
                self._apply(op)
        self._gen, self._seq = found.generation, found.seq
        for table, docs in self._mem.items():
            for id, doc in docs.items():
                self._track(table, id, None, doc)
        tidy = (
            found.journal_exists
            and found.torn_at is None
            and not found.replay
            and not found.stale
            and self._gen >= 1
            and len(found.records) == 1
            and found.records[0].header
        )
        try:
            for name in found.temp_files:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.directory / name)
            if tidy:
                self._journal = _Journal(self._journal_path)
            else:
                # Replayed records, a torn tail, the first format, a store being created:
                # fold it all into a new snapshot and start a new journal.
                self._compact_now()
        except OSError as e:
            raise _unavailable("open the store", self.directory, e) from e
        if self._journal is None:
            raise StoreUnavailable(f"cannot open {self._journal_path}; try again")

    def _apply(self, op: list[Any]) -> None:
        kind, table, id = op[0], op[1], op[2]
        docs = self._mem.setdefault(table, {})
        if kind == "put":
            docs[id] = op[3]
        else:
            docs.pop(id, None)
            if not docs:
                del self._mem[table]

    def _compact_now(self) -> None:
        """Write a new snapshot from memory, then a new journal that follows it.

        Raises ``OSError`` if either can't be written. If the snapshot is written but
        the new journal is not, the old journal stays, its records all folded into the
        snapshot, and the next records (of the new generation) go after them: a valid
        state, so writes go on. The journal is open afterwards whenever it can be.
        """
        if self._journal_good is not None:
            self._repair_journal()  # never fold while a failed write's bytes remain
        generation = self._gen + 1
        self._snapshot.stamp = (generation, self._seq)
        self._snapshot_size = None
        self._snapshot.write({t: d for t, d in self._mem.items() if d})
        self._gen = generation
        self._all_durable()
        if self._journal is not None:
            with contextlib.suppress(OSError):
                self._journal.close()
            self._journal = None
        try:
            files.replace_file(
                self._journal_path,
                files.encode_record(generation, self._seq, None),
                self.directory / JOURNAL_TMP,
            )
        finally:
            try:
                self._journal = _Journal(self._journal_path)
            except OSError as e:
                log.error("cannot reopen the journal %s: %s", self._journal_path, e)

    def _maybe_compact(self) -> None:
        try:
            size = self._journal.tell()
            if self._snapshot_size is None:  # known until the next snapshot is written
                self._snapshot_size = (self.directory / SNAPSHOT).stat().st_size
            snap = self._snapshot_size
        except (OSError, ValueError, AttributeError):
            return
        if size > max(self._min_compact, snap):
            try:
                self._compact_now()
            except OSError as e:
                # The write that got us here is in the fsynced journal, so it stands:
                # the caller must not be told it failed. Compaction is tried again later.
                log.warning("compaction of %s failed (will retry): %s", self.directory, e)

    def compact(self) -> None:
        """Fold the journal into a fresh snapshot now (also done automatically).

        Afterwards no byte of a deleted record remains in the data directory's store
        files: the old snapshot and journal are replaced, temp files removed. (Folders
        ``broken-*`` left by ``rapport store repair`` are never touched.) Raises
        ``StoreUnavailable`` if it can't be done (disk full); nothing is lost then.
        """
        with self._lock:
            self._check_open()
            try:
                self._compact_now()
            except OSError as e:
                raise _unavailable("compact the store", self.directory, e) from e

    # -- atomic groups -------------------------------------------------------

    def atomic(self) -> contextlib.AbstractContextManager[None]:
        return self._atomic(wait=True)

    def lazily(self) -> contextlib.AbstractContextManager[None]:
        return self._atomic(wait=False)

    @contextlib.contextmanager
    def _atomic(self, *, wait: bool) -> Iterator[None]:
        ticket = 0
        with self._lock:
            self._check_open()
            mark = len(self._undo)  # a nested block that fails undoes only its own writes
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                self._rollback(mark)
                raise
            self._depth -= 1
            if self._depth == 0:
                ticket = self._commit()
        if ticket and wait:
            self._durable(ticket)  # the lock is free meanwhile: others go on

    def _commit(self) -> int:
        """Write the group's line to the journal; its ticket (0: nothing to write).

        The line is not fsynced here: ``atomic`` waits for that after letting the lock
        go, so one fsync serves every group written meanwhile (group commit)."""
        if not self._redo:
            self._undo = []
            return 0
        try:
            line = files.encode_record(self._gen, self._seq + 1, self._redo)
        except (TypeError, ValueError) as e:
            self._rollback(0)
            raise StoreError(f"cannot store this: {e}") from e
        start: int | None = None
        try:
            if self._journal_good is not None or self._journal is None:
                self._repair_journal()
            start = self._journal.tell()
            self._journal.write(line)
            self._journal.flush()
        except (OSError, ValueError) as e:
            # Not acknowledged, so it must not stay: not in memory, and not as a
            # partial line in the journal that later lines would be appended after.
            self._rollback(0)
            if start is not None:
                self._reset_journal(start)
            raise _unavailable("write the journal", self.directory, e) from e
        self._seq += 1
        with self._sync:
            self._ticket += 1
            ticket = self._ticket
            self._unsynced.append((ticket, self._seq, start, self._undo))
        self._undo, self._redo = [], []
        self._maybe_compact()
        return ticket

    def _durable(self, ticket: int) -> None:
        """Return once the group with ``ticket`` is fsynced; ``StoreUnavailable`` if it
        could not be (then it is undone, with every group written after it).

        One thread at a time fsyncs the journal for all groups written so far; the
        others wait for it and are done too if their line was in. Until then a group's
        writes are visible to other threads but not yet acknowledged to its caller,
        as with any group commit: a caller is told "done" only once its writes, and
        every write it could have read, are on disk (the journal is in order)."""
        with self._sync:
            while True:
                self._raise_if_lost(ticket)
                if self._synced >= ticket:
                    return
                if not self._syncing:
                    break
                self._sync.wait()
            self._syncing = True
            target = self._ticket  # every line up to this one is written already
        error: OSError | None = None
        try:
            fd = os.open(self._journal_path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            error = e
        if error is not None:
            self._lose_unsynced(error)
        with self._sync:
            self._syncing = False
            if error is None and target > self._synced:
                self._synced = target
                self._unsynced = [u for u in self._unsynced if u[0] > target]
            self._sync.notify_all()
            self._raise_if_lost(ticket)

    def _raise_if_lost(self, ticket: int) -> None:
        for low, high, why in self._failed:
            if low <= ticket <= high:
                raise type(why)(str(why))

    def _lose_unsynced(self, error: OSError) -> None:
        """An fsync failed: undo every group not known durable, newest first, and cut
        the journal back to before the first of them."""
        with self._lock, self._sync:
            lost = [u for u in self._unsynced if u[0] > self._synced]
            if not lost:
                return
            for _, _, _, undo in reversed(lost):
                for table, id, before in reversed(undo):
                    self._write(table, id, before, log=False)
            self._seq = lost[0][1] - 1
            self._unsynced = []
            why = _unavailable("write the journal", self.directory, error)
            self._failed.append((lost[0][0], lost[-1][0], why))
            del self._failed[:-100]
            self._reset_journal(lost[0][2])

    def _all_durable(self) -> None:
        """Everything written so far is durable (a snapshot was fsynced): under the lock."""
        with self._sync:
            self._synced = max(self._synced, self._ticket)
            self._unsynced = []
            self._sync.notify_all()

    def _reset_journal(self, size: int) -> None:
        """Cut the journal back to ``size`` (its last whole record), now or before the
        next write."""
        self._journal_good = size
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self._journal.close()  # type: ignore[union-attr]
        self._journal = None
        try:
            self._repair_journal()
        except OSError as e:
            log.error("journal %s: cannot cut back a failed write yet: %s", self._journal_path, e)

    def _repair_journal(self) -> None:
        """Make the journal whole and open again after a failed write (or raise OSError)."""
        if self._journal_good is not None:
            os.truncate(self._journal_path, self._journal_good)
            self._journal_good = None
        if self._journal is None:
            self._journal = _Journal(self._journal_path)

    def _rollback(self, mark: int) -> None:
        undo = self._undo[mark:]
        del self._undo[mark:]
        del self._redo[mark:]
        for table, id, before in reversed(undo):
            self._write(table, id, before, log=False)

    def _write(self, table: str, id: str, doc: Doc | None, *, log: bool = True) -> None:
        """Put or delete one record in memory, keeping indexes; log it for commit."""
        docs = self._mem.get(table, {})
        before = docs.get(id)
        t = self._db.table(table)
        if doc is None:
            if before is not None:
                t.remove(doc_ids=[id])
                if not self._mem.get(table):
                    self._mem.pop(table, None)
        elif before is None:
            t.insert(Document(doc, doc_id=id))
        else:
            self._mem[table][id] = doc
            t.clear_cache()
        self._track(table, id, before, doc)
        if log:
            self._undo.append((table, id, before))
            self._redo.append(["put", table, id, doc] if doc is not None else ["del", table, id])

    def _track(self, table: str, id: str, before: Doc | None, after: Doc | None) -> None:
        for (t, field), index in self._indexes.items():
            if t != table:
                continue
            if before is not None:
                _unindex(index, before.get(field), id)
            if after is not None:
                _index(index, after.get(field), id)
        keys = self._keys.setdefault(table, {})
        if before is not None and before.get("key") is not None:
            keys.pop(str(before["key"]), None)
        if after is not None and after.get("key") is not None:
            keys[str(after["key"])] = id
        if table == OUTBOX:
            if before is not None and (queued := self._queue_entry(before, id)):
                queue, entry = queued
                i = bisect.bisect_left(queue, entry)
                if i < len(queue) and queue[i] == entry:
                    del queue[i]
            if after is not None and (queued := self._queue_entry(after, id)):
                queue, entry = queued
                bisect.insort(queue, entry)

    def _queue_entry(
        self, doc: Doc, id: str
    ) -> tuple[list[tuple[str, str]], tuple[str, str]] | None:
        state = doc.get("state")
        if state == "pending":
            return self._pending, (str(doc.get("due", "")), id)
        if state in CLAIMABLE_AFTER_LEASE:
            return self._leased, (str(doc.get("lease_until", "")), id)
        return None

    # -- the interface -------------------------------------------------------

    def insert(self, table: str, doc: Doc) -> Doc:
        with self._atomic(wait=True):
            doc = _jsonable(table, doc)
            docs = self._mem.get(table, {})
            if doc.get("id") is None:
                doc["id"] = new_id()
                while doc["id"] in docs:
                    doc["id"] = new_id()
            elif doc["id"] in docs:
                raise Conflict(table, _copy(docs[doc["id"]]))
            key = doc.get("key")
            if key is not None and str(key) in self._keys.get(table, {}):
                raise Conflict(table, _copy(docs[self._keys[table][str(key)]]))
            self._write(table, doc["id"], doc)
            return _copy(doc)

    def get(self, table: str, id: str) -> Doc | None:
        with self._lock:
            doc = self._mem.get(table, {}).get(id)
            return _copy(doc) if doc is not None else None

    def update(
        self, table: str, id: str, changes: Mapping[str, Any], *, expect: Where | None = None
    ) -> Doc | None:
        with self._atomic(wait=True):
            current = self._mem.get(table, {}).get(id)
            if current is None or not matches(current, expect):
                return None
            new = {**current, **_jsonable(table, dict(changes)), "id": id}
            key = new.get("key")
            if key is not None and key != current.get("key"):
                holder = self._keys.get(table, {}).get(str(key))
                if holder is not None and holder != id:
                    raise Conflict(table, _copy(self._mem[table][holder]))
            self._write(table, id, new)
            return _copy(new)

    def delete(self, table: str, id: str) -> bool:
        with self._atomic(wait=True):
            if id not in self._mem.get(table, {}):
                return False
            self._write(table, id, None)
            return True

    def find(
        self,
        table: str,
        where: Where | None = None,
        *,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[Doc]:
        if limit is not None and limit < 0:  # all but the last few: rare, done plainly
            return self.find(table, where, order_by=order_by)[:limit]
        with self._lock:
            if order_by is None:
                chosen: Iterable[Doc] = self._select(table, where)
                if limit is not None:
                    chosen = itertools.islice(chosen, limit)
            elif (
                table == OUTBOX
                and order_by == "due"
                and limit is not None
                and where == {"state": "pending"}
            ):
                # The outbox's next due item: the sorted queue already holds them in order.
                outbox = self._mem.get(OUTBOX, {})
                chosen = [outbox[id] for _, id in itertools.islice(self._pending, limit)]
            else:
                chosen = sorted(
                    self._select(table, where), key=lambda d: _sort_key(d.get(order_by))
                )
                if limit is not None:
                    chosen = chosen[:limit]
            # Only what is returned is copied (not every match of a sorted, limited find).
            return [_copy(d) for d in chosen]

    def count(self, table: str, where: Where | None = None) -> int:
        with self._lock:
            return sum(1 for _ in self._select(table, where))

    def _select(self, table: str, where: Where | None) -> Iterator[Doc]:
        docs = self._mem.get(table, {})
        if not where:
            yield from docs.values()
            return
        if "id" in where and not isinstance(where["id"], (list, tuple, set, frozenset)):
            doc = docs.get(where["id"])
            if doc is not None and matches(doc, where):
                yield doc
            return
        if "key" in where and isinstance(where["key"], str):
            id = self._keys.get(table, {}).get(where["key"])
            doc = docs.get(id) if id else None
            if doc is not None and matches(doc, where):
                yield doc
            return
        best: set[str] | None = None
        by = ""
        for field, wanted in where.items():
            values = wanted if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
            if not all(_hashable(v) for v in values):
                continue
            index = self._index_for(table, field)
            ids: set[str] = set()
            for v in values:
                ids |= index.get(_norm(v), set())
            if best is None or len(ids) < len(best):
                best, by = ids, field
        if best is None:
            # Nothing indexable: a scan, with the one meaning of ``where``.
            test = matcher(where)
            yield from (d for d in docs.values() if test(d))
            return
        # The index found them by ``by`` (with the meaning of ``matches``): only the other
        # fields are left to check — not each of a thousand wanted keys per record again.
        rest = matcher({f: w for f, w in where.items() if f != by})
        for id in best:
            doc = docs.get(id)
            if doc is not None and rest(doc):
                yield doc

    def _index_for(self, table: str, field: str) -> dict[Any, set[str]]:
        index = self._indexes.get((table, field))
        if index is None:
            index = {}
            for id, doc in self._mem.get(table, {}).items():
                _index(index, doc.get(field), id)
            self._indexes[(table, field)] = index
        return index

    def tables(self) -> list[str]:
        with self._lock:
            return sorted(t for t, d in self._mem.items() if d and t != META)

    def claim_due(
        self, now: str, limit: int, worker: str, lease_until: str, *, skip: tuple[str, ...] = ()
    ) -> list[Doc]:
        self._check_open()
        if limit <= 0 or not self._maybe_due(now):
            return []  # nothing due: no need to wait for the lock (callers poll often)
        with self._atomic(wait=True):
            # Oldest due first, whether an item is pending or its lease ran out.
            outbox = self._mem.get(OUTBOX, {})
            pending: Iterable[tuple[str, str]] = itertools.takewhile(
                lambda e: e[0] <= now, self._pending
            )
            if skip:
                pending = (
                    e for e in pending if not str(outbox[e[1]].get("key", "")).startswith(skip)
                )
            expired = sorted(
                (str(outbox[id].get("due", "")), id)
                for _, id in itertools.takewhile(lambda e: e[0] <= now, self._leased)
                if not (skip and str(outbox[id].get("key", "")).startswith(skip))
            )
            chosen = list(itertools.islice(heapq.merge(pending, expired), limit))
            taken: list[Doc] = []
            for _, id in chosen:
                doc = outbox[id]
                new = {**doc, "state": "claimed", "worker": worker, "lease_until": lease_until}
                new["was"] = doc["state"]
                self._write(OUTBOX, id, new)
                taken.append(_copy(new))
            return taken

    def _maybe_due(self, now: str) -> bool:
        """A look without the lock: False only if no item is due by ``now``.

        The two queues are sorted lists replaced or changed in place under the lock;
        reading their first entry is safe without it. It may see an item of a group
        not committed yet (then the claim takes the lock and decides properly), and it
        never misses a committed item: one committed after this look is the same as
        one committed just after the claim."""
        for queue in (self._pending, self._leased):
            try:
                if queue[0][0] <= now:
                    return True
            except IndexError:  # empty (or emptied meanwhile)
                pass
        return False

    def schema_version(self) -> int:
        with self._lock:
            meta = self._mem.get(META, {}).get("schema")
            return int(meta["version"]) if meta else 0

    def set_schema_version(self, version: int) -> None:
        with self._atomic(wait=True):
            self._write(META, "schema", {"id": "schema", "version": version})

    def close(self) -> None:
        if not self._closed and self._ticket > self._synced:  # written ``lazily``: keep them
            try:
                self._durable(self._ticket)
            except StoreError as e:
                log.error("closing %s: the last writes were not kept: %s", self.directory, e)
        with self._lock:
            if not self._closed:
                self._closed = True
                self._release()

    def _take_lock(self) -> int:
        key = str(self.directory.resolve())
        with _HELD_LOCK:
            holder = _HELD.get(key)
            if holder is not None:
                old = holder.store()
                if old is not None:
                    old._fence()
                log.warning("%s was open in this process already: taken over", self.directory)
                holder.store = weakref.ref(self)
                return holder.fd
            fd = files.lock_directory(self.directory)
            _HELD[key] = _Holder(fd, self)
            return fd

    def _fence(self) -> None:
        """Another store in this process took this directory over: stop using it."""
        with self._lock:
            self._closed = True
            self._dir_lock = None
            if self._journal is not None:
                with contextlib.suppress(OSError):
                    self._journal.close()

    def _release(self) -> None:
        """Close the journal and let go of the directory's lock."""
        if self._journal is not None:
            with contextlib.suppress(OSError):
                self._journal.close()
        with _HELD_LOCK:
            if self._dir_lock is None:
                return
            fd, self._dir_lock = self._dir_lock, None
            key = str(self.directory.resolve())
            holder = _HELD.get(key)
            if holder is not None and holder.fd == fd:
                del _HELD[key]
            files.unlock_directory(self.directory, fd, forget_pid=True)

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the store is closed")


# -- helpers -----------------------------------------------------------------


def _hashable(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _norm(v: Any) -> Any:
    return ("b", v) if isinstance(v, bool) else v


def _index(index: dict[Any, set[str]], value: Any, id: str) -> None:
    if _hashable(value):
        index.setdefault(_norm(value), set()).add(id)
    elif isinstance(value, list):  # a list field is findable by any of its items
        for v in value:
            if _hashable(v):
                index.setdefault(_norm(v), set()).add(id)


def _unindex(index: dict[Any, set[str]], value: Any, id: str) -> None:
    values = [value] if _hashable(value) else value if isinstance(value, list) else []
    for v in values:
        if _hashable(v):
            ids = index.get(_norm(v))
            if ids is not None:
                ids.discard(id)
                if not ids:
                    del index[_norm(v)]


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, value)


def _copy(doc: Any) -> Any:
    return copy_json(doc)  # what is stored is JSON already (``_jsonable``)


def _jsonable(table: str, doc: Mapping[str, Any]) -> Doc:
    """A private copy of ``doc`` as it will read back from disk (tuples become lists…).

    A value JSON cannot hold is refused here, before anything changes, rather
    than when the group commits (or worse, only lost at the next restart).
    """
    try:
        return json.loads(json.dumps(doc, separators=(",", ":")))
    except (TypeError, ValueError) as e:
        raise StoreError(f"{table}: cannot store {e}") from e


def _prepare_directory(directory: Path) -> None:
    """Create the data directory if need be (its parent must exist); a one-line
    ``StoreConfigError`` if it is a file or can't be created."""
    fix = "set RAPPORT_DATA_DIR (or --data-dir) to a folder rapport may write"
    if directory.exists() and not directory.is_dir():
        raise StoreConfigError(f"the data directory {directory} is a file, not a folder; {fix}")
    parent = directory.absolute().parent
    if not directory.exists() and not parent.exists():
        # Only the last folder is created: a typo in the path must not start an empty
        # community in a new tree of folders.
        raise StoreConfigError(
            f"the folder {parent}, where the data directory {directory.name} would be created, "
            f"does not exist: create it first, or {fix}"
        )
    try:
        directory.mkdir(exist_ok=True)
    except OSError as e:
        raise StoreConfigError(
            f"cannot create the data directory {directory}: {e.strerror or e}; {fix}"
        ) from e
    if not os.access(directory, os.W_OK | os.X_OK):
        raise StoreConfigError(f"the data directory {directory} is read-only; {fix}")
