"""The files of a TinyDB store: their format, the lock, and how they are verified.

``DIR/rapport.json`` — the snapshot, in TinyDB's JSON format (``{table: {id: doc}}``)
    whose first key is a header::

        {"_snapshot":{"meta":{"generation":G,"seq":S,"crc":"xxxxxxxx"}},"t":{…},…}

    ``G`` counts the snapshots written, ``S`` is the sequence number of the last journal
    record folded into it, and ``crc`` is the CRC-32 of ``b"G:S:"`` followed by every
    byte after the header. A snapshot without the header is of the first format
    (generation 0): it is read as before, and replaced by the next snapshot.
``DIR/rapport.journal`` — one line per committed group of writes, appended and fsynced
    before the write returns: ``"%08x %s\\n" % (crc32(body), body)``. The first line is
    the header ``{"g":G,"s":S}`` (the snapshot it follows); then ``{"g":G,"s":n,"o":ops}``
    with ``n = S+1, S+2, …`` and ``ops`` a list of ``["put", table, id, doc]`` and
    ``["del", table, id]``. (First-format lines are a bare ops list.)
``DIR/rapport.lock`` — the PID of the process that has the store open. The lock itself
    is ``flock`` on the directory (see ``lock_directory``).

Opening never guesses: a torn last line (cut short by a crash: no line end, and the
start of one of our lines — never zeros or other bytes) is dropped, because its write
never returned; anything else that does not verify — a damaged tail, a record that
fails its checksum (in the middle, or a whole last line), a snapshot that is missing,
empty, ``{}``, unparseable or fails its checksum while a journal needs it, a snapshot
older than the journal, a gap in the sequence — is reported by ``scan`` and the store
refuses to open without changing a byte (``rapport store check`` / ``repair``).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from store.base import Doc, StoreConfigError, StoreError, StoreLocked, StoreUnavailable

SNAPSHOT = "rapport.json"
JOURNAL = "rapport.journal"
LOCK = "rapport.lock"
SNAPSHOT_TMP = "rapport.tmp"  # Path(SNAPSHOT).with_suffix(".tmp"), as it always was
JOURNAL_TMP = "rapport.journal.tmp"
REPAIRED = ".repaired"  # suffix of the files ``repair`` writes before moving them in
TEMP_FILES = (SNAPSHOT_TMP, JOURNAL_TMP)
HEADER_KEY = "_snapshot"

_HEADER = re.compile(
    rb'\{"_snapshot":\{"meta":\{"generation":(\d{1,18}),"seq":(\d{1,18}),'
    rb'"crc":"([0-9a-f]{8})"\}\}(,?)'
)
_HEADER_WORDS = (b'"generation":', b'"seq":', b'"crc":')
_CRC = re.compile(rb"[0-9a-f]{8}")

Tables = dict[str, dict[str, Doc]]


class Bad(Exception):
    """A file does not verify; the message says how, in a few words."""


# -- writing -----------------------------------------------------------------------


def dumps(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped, it round-trips
        return json.dumps(data, separators=(",", ":")).encode("ascii")


def snapshot_bytes(tables: Tables, generation: int, seq: int) -> bytes:
    body = dumps(tables)  # b"{…}" or b"{}"
    rest = body[1:]
    crc = zlib.crc32(b"%d:%d:" % (generation, seq) + rest)
    head = b'{"_snapshot":{"meta":{"generation":%d,"seq":%d,"crc":"%08x"}}' % (
        generation,
        seq,
        crc,
    )
    return head + (b"," if tables else b"") + rest


def encode_record(generation: int, seq: int, ops: list[list[Any]] | None) -> bytes:
    """A journal line: the header (``ops`` None) or a committed group of writes."""
    record: dict[str, Any] = {"g": generation, "s": seq}
    if ops is not None:
        record["o"] = ops
    body = dumps(record)
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def write_fully(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:  # pragma: no cover - a regular file never does this
            raise OSError(errno.EIO, "short write")
        view = view[n:]


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_file(path: Path, data: bytes, tmp: Path) -> None:
    """Write ``data`` to ``tmp``, fsync, move it over ``path``, fsync the directory.

    On failure (a full disk) ``tmp`` is removed and ``path`` is as it was, unless the
    move itself happened and only the directory's fsync failed.
    """
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            write_fully(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


# -- reading -----------------------------------------------------------------------


@dataclass
class Snapshot:
    tables: Tables
    generation: int  # 0: first format (no header)
    seq: int


def parse_snapshot(data: bytes) -> Snapshot:
    """The snapshot's tables, generation and sequence number, or ``Bad``."""
    if not data.strip():
        raise Bad(f"{SNAPSHOT} is empty")
    m = _HEADER.match(data)
    if m:
        generation, seq = int(m.group(1)), int(m.group(2))
        rest = data[m.end() :]
        if zlib.crc32(b"%d:%d:" % (generation, seq) + rest) != int(m.group(3), 16):
            raise Bad(f"{SNAPSHOT} fails its checksum (damaged)")
    try:
        obj = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise Bad(f"{SNAPSHOT} is not valid JSON (damaged)")
    if not isinstance(obj, dict) or not all(
        isinstance(docs, dict) and all(isinstance(d, dict) for d in docs.values())
        for docs in obj.values()
    ):
        raise Bad(f"{SNAPSHOT} is not a rapport snapshot")
    meta = obj.pop(HEADER_KEY, None)
    if m is None:
        if meta is not None or sum(w in data[:120] for w in _HEADER_WORDS) >= 2:
            raise Bad(f"the header of {SNAPSHOT} is damaged")
        return Snapshot(obj, 0, 0)
    return Snapshot(obj, generation, seq)


@dataclass
class Record:
    """One journal line that verifies."""

    offset: int
    end: int
    generation: int  # 0: first format
    seq: int | None  # None: first format
    ops: list[list[Any]] | None  # None: the header

    @property
    def header(self) -> bool:
        return self.ops is None


def _ops(value: Any) -> list[list[Any]] | None:
    if not isinstance(value, list):
        return None
    for op in value:
        if not (isinstance(op, list) and len(op) >= 3):
            return None
        if not (isinstance(op[1], str) and isinstance(op[2], str)):
            return None
        put = op[0] == "put" and len(op) == 4 and isinstance(op[3], dict)
        if not (put or (op[0] == "del" and len(op) == 3)):
            return None
    return value


def decode_line(line: bytes, offset: int = 0) -> Record | None:
    """The record a whole journal line (ending in ``\\n``) holds, if it verifies."""
    if len(line) < 11 or not line.endswith(b"\n") or line[8:9] != b" ":
        return None
    crc, body = line[:8], line[9:-1]
    if not _CRC.fullmatch(crc) or int(crc, 16) != zlib.crc32(body):
        return None
    try:
        obj = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    end = offset + len(line)
    if isinstance(obj, list):
        ops = _ops(obj)
        return Record(offset, end, 0, None, ops) if ops else None
    if not isinstance(obj, dict):
        return None
    g, s = obj.get("g"), obj.get("s")
    if type(g) is not int or type(s) is not int or g < 1 or s < 0:
        return None
    if set(obj) == {"g", "s"}:
        return Record(offset, end, g, s, None)
    ops = _ops(obj.get("o"))
    if set(obj) == {"g", "s", "o"} and ops:
        return Record(offset, end, g, s, ops)
    return None


@dataclass
class Scan:
    """What the files of a store hold, and what is wrong with them (read only)."""

    directory: Path
    problems: list[str] = field(default_factory=list)
    snapshot: Snapshot | None = None  # None: missing, or does not verify
    snapshot_exists: bool = False
    snapshot_unverified: int | None = None  # records in a snapshot that fails its checksum
    journal_exists: bool = False
    journal_size: int = 0
    records: list[Record] = field(default_factory=list)  # every line that verifies
    bad: list[int] = field(default_factory=list)  # offsets of lines that do not
    torn_at: int | None = None  # where a torn last line starts
    replay: list[Record] = field(default_factory=list)  # records to apply on open
    stale: int = 0  # records already folded into the snapshot
    temp_files: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def generation(self) -> int:
        return self.snapshot.generation if self.snapshot else 0

    @property
    def seq(self) -> int:
        for r in reversed(self.replay):
            if r.seq is not None:
                return r.seq
        return self.snapshot.seq if self.snapshot else 0

    @property
    def fresh(self) -> bool:
        """No store here yet (or one that was being created when it was stopped)."""
        return not self.snapshot_exists and not self.journal_size


def _read(path: Path) -> bytes | None:
    """The bytes of ``path``, None if there is no such file; a one-line ``StoreError``
    when it can't be read (a folder in its place, no permission, an I/O error)."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise _unreadable(path, e) from e


def _unreadable(path: Path, e: OSError) -> StoreError:
    keep = "set RAPPORT_DATA_DIR (or --data-dir) to another folder"
    if isinstance(e, IsADirectoryError):
        return StoreConfigError(
            f"{path} is a folder, where rapport keeps a store file: move it out of "
            f"{path.parent}, or {keep}; nothing was changed"
        )
    if isinstance(e, PermissionError):
        return StoreConfigError(
            f"cannot read {path}: {e.strerror}; let the user running rapport read and write "
            f"the files in {path.parent}, or {keep}; nothing was changed"
        )
    return StoreUnavailable(
        f"cannot read {path}: {e.strerror or e}; nothing was changed, try again"
    )


def _not_a_folder(path: Path) -> None:
    """Refuse a folder where a store file (or its temporary file) goes."""
    if path.is_dir():
        raise _unreadable(path, IsADirectoryError(errno.EISDIR, "Is a directory", str(path)))


def scan(directory: str | Path) -> Scan:
    """Read and verify the files of the store in ``directory``; change nothing."""
    d = Path(directory)
    out = Scan(d)
    for name in (SNAPSHOT, JOURNAL, *TEMP_FILES):
        _not_a_folder(d / name)
    out.temp_files = [n for n in TEMP_FILES if (d / n).exists()]
    if any((d / (n + REPAIRED)).exists() for n in (SNAPSHOT, JOURNAL)):
        out.problems.append("a repair was interrupted")
    snap_data = _read(d / SNAPSHOT)
    out.snapshot_exists = snap_data is not None
    if snap_data is not None:
        try:
            out.snapshot = parse_snapshot(snap_data)
        except Bad as e:
            out.problems.append(str(e))
            with contextlib.suppress(ValueError, UnicodeDecodeError, AttributeError, TypeError):
                loose = json.loads(snap_data)
                loose.pop(HEADER_KEY, None)
                out.snapshot_unverified = sum(len(t) for t in loose.values())
    journal = _read(d / JOURNAL)
    out.journal_exists = journal is not None
    journal = journal or b""
    out.journal_size = len(journal)
    _scan_journal(journal, out)
    if out.snapshot is not None or not out.snapshot_exists:
        _check_order(out)
    return out


# The start of a journal line as we write it: up to 8 hex digits of its checksum, a
# space, then JSON (an object, or a first-format list). No line of ours holds a NUL byte.
_TORN = re.compile(rb"\A(?:[0-9a-f]{0,8}|[0-9a-f]{8} (?:[{\[][^\x00\n]*)?)\Z")


def _scan_journal(data: bytes, out: Scan) -> None:
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        if nl == -1:
            line = data[pos:]
            if decode_line(line[:-1] + b"\n") is not None:
                out.problems.append(
                    f"the last record of {JOURNAL} is whole but its line end is damaged "
                    f"(byte {len(data) - 1})"
                )
            elif not _TORN.match(line):
                # A crash cuts our last write short: what is left is the start of one of
                # our lines. Anything else (zeros, other bytes) is damage, not a crash.
                out.problems.append(
                    f"the last {len(line)} bytes of {JOURNAL} (from byte {pos}) are not a "
                    "record cut short by a crash"
                )
                out.bad.append(pos)
                return
            out.torn_at = pos  # cut short by a crash: its write never returned
            return
        line = data[pos : nl + 1]
        record = decode_line(line, pos)
        if record is None:
            out.bad.append(pos)
        else:
            out.records.append(record)
        pos = nl + 1
    if out.bad:
        where = ", ".join(str(b) for b in out.bad[:3]) + (", …" if len(out.bad) > 3 else "")
        n = len(out.bad)
        out.problems.append(
            f"{n} record{'s' if n > 1 else ''} of {JOURNAL} fail{'' if n > 1 else 's'} "
            f"verification (at byte {where})"
        )


def _check_order(out: Scan) -> None:
    """Does every verified record follow the snapshot, in sequence, with nothing missing?"""
    snap = out.snapshot
    G = snap.generation if snap else 0
    S = snap.seq if snap else 0
    records = out.records
    if snap is None:
        if any(r.generation for r in records) or (out.journal_size and not records and out.bad):
            out.problems.append(f"{SNAPSHOT} is missing but {JOURNAL} needs it")
            return
    elif G == 0 and not snap.tables and out.journal_size:
        out.problems.append(f"{SNAPSHOT} is empty ({{}}) but {JOURNAL} follows it")
        return
    if G == 0:
        newer = next((r for r in records if r.generation), None)
        if newer is not None:
            out.problems.append(
                f"{SNAPSHOT} is older than {JOURNAL} expects (it has no generation; the "
                f"journal follows generation {newer.generation})"
            )
            return
        out.replay = list(records)
        return
    assert snap is not None
    if not out.journal_exists or not out.journal_size:
        if not (G == 1 and S == 0 and not snap.tables):  # else: creation cut short
            out.problems.append(f"{JOURNAL} is {'missing' if not out.journal_exists else 'empty'}")
        return
    first = records[0] if records else None
    if first is None or first.offset != 0 or not (first.header or first.generation == 0):
        out.problems.append(f"{JOURNAL} does not start with its header")
        return
    expect = S + 1
    current = False  # seen a record of the snapshot's own generation
    prev: int | None = None
    for r in records:
        at = f"{JOURNAL} byte {r.offset}"
        if r.generation > G:
            out.problems.append(
                f"{SNAPSHOT} is older than {JOURNAL} expects (generation {G}; the journal "
                f"follows generation {r.generation})"
            )
            return
        if r.generation < G:  # folded into the snapshot already (a compaction was cut short)
            if current or (r.generation == 0 and G != 1):
                out.problems.append(f"a record of an older generation follows newer ones ({at})")
                return
            if r.seq is not None:
                if r.seq > S:
                    out.problems.append(
                        f"{SNAPSHOT} (generation {G}, seq {S}) lacks record {r.seq} of "
                        f"generation {r.generation} ({at})"
                    )
                    return
                want = prev if r.header else (prev + 1 if prev is not None else None)
                if want is not None and r.seq != want:
                    out.problems.append(f"sequence gap: expected {want}, found {r.seq} ({at})")
                    return
                prev = r.seq
            out.stale += 1
            continue
        current = True
        if r.header:
            if r.seq != S:
                out.problems.append(
                    f"{JOURNAL} follows seq {r.seq} but {SNAPSHOT} ends at seq {S} ({at})"
                )
                return
            continue
        if r.seq != expect:
            out.problems.append(f"sequence gap: expected {expect}, found {r.seq} ({at})")
            return
        expect += 1
        out.replay.append(r)


def describe(s: Scan) -> list[str]:
    """What ``rapport store check`` prints."""
    lines = []
    snap = s.snapshot
    if snap is not None:
        n = sum(len(t) for t in snap.tables.values())
        fmt = f"generation {snap.generation}, seq {snap.seq}" if snap.generation else "first format"
        lines.append(f"{SNAPSHOT}: {n:,} records ({fmt}), checksum ok")
    elif s.snapshot_exists:
        lines.append(f"{SNAPSHOT}: does not verify")
    else:
        lines.append(f"{SNAPSHOT}: none")
    if s.journal_exists:
        writes = sum(1 for r in s.records if not r.header)
        lines.append(
            f"{JOURNAL}: {s.journal_size:,} bytes, {writes:,} write groups that verify"
            + (f" ({s.stale} already in the snapshot)" if s.stale else "")
            + (f", {len(s.bad)} that do not" if s.bad else "")
            + (", a torn last line (a write cut short by a crash; dropped)" if s.torn_at else "")
        )
    else:
        lines.append(f"{JOURNAL}: none")
    if s.temp_files:
        lines.append(f"left-over temp files (removed on open): {', '.join(s.temp_files)}")
    if s.problems:
        lines += [f"PROBLEM: {p}" for p in s.problems]
    else:
        lines.append("healthy")
    return lines


# -- the lock ------------------------------------------------------------------------


def lock_directory(directory: Path) -> int:
    """Take the store's lock: ``flock`` on the data directory itself, or ``StoreLocked``.

    Why ``fcntl.flock`` (not the ``filelock`` package, not a PID file alone): it is in
    the standard library, the kernel drops it when the process dies however it dies
    (a crash never leaves a stale lock), and it conflicts between two opens within one
    process too. Locking the directory rather than a lock file means an open that is
    refused (corrupt files, locked) creates or changes no file at all. Local disks only:
    flock is not reliable on NFS.
    """
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StoreLocked(str(directory), read_pid(directory))
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_pid(directory: Path) -> int | None:
    try:
        data = _read(directory / LOCK)
        return int(data) if data else None
    except (ValueError, StoreError):  # who holds the lock is only a hint
        return None


def write_pid(directory: Path) -> None:
    """Say who holds the lock (best effort: a full disk must not stop the store)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory / LOCK, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            write_fully(fd, b"%d\n" % os.getpid())
        finally:
            os.close(fd)


def unlock_directory(directory: Path, fd: int, *, forget_pid: bool) -> None:
    if forget_pid:
        with contextlib.suppress(OSError):
            os.unlink(directory / LOCK)
    os.close(fd)


# -- repair --------------------------------------------------------------------------


@dataclass
class Repaired:
    kept: int  # records in the new store
    lost_writes: int  # journal lines that did not verify
    lost_records: int | None  # records of a snapshot that did not verify (None: unknown)
    aside: Path | None  # where the originals went
    healthy_before: bool


def apply(tables: Tables, ops: list[list[Any]]) -> None:
    for op in ops:
        kind, table, id = op[0], op[1], op[2]
        docs = tables.setdefault(table, {})
        if kind == "put":
            docs[id] = op[3]
        else:
            docs.pop(id, None)
            if not docs:
                del tables[table]


def repair(
    directory: Path, *, keep_unverified: bool = False, now: datetime | None = None
) -> Repaired:
    """Write a new store from every record that verifies; move the originals aside.

    The caller holds the directory's lock. Records of a snapshot that fails its checksum
    are lost, unless ``keep_unverified`` (then they are kept as they parse).
    """
    s = scan(directory)
    interrupted = [n for n in (SNAPSHOT, JOURNAL) if (directory / (n + REPAIRED)).exists()]
    if s.healthy:
        return Repaired(_count(s), 0, 0, None, True)
    if interrupted and not any((directory / n).exists() for n in (SNAPSHOT, JOURNAL)):
        # The originals were moved aside already: finish moving the new files in.
        for n in interrupted:
            os.replace(directory / (n + REPAIRED), directory / n)
        fsync_dir(directory)
        return repair(directory, keep_unverified=keep_unverified, now=now)
    tables: Tables = {}
    lost_records: int | None = 0
    G = S = 0
    if s.snapshot is not None:
        tables = s.snapshot.tables
        G, S = s.snapshot.generation, s.snapshot.seq
    elif s.snapshot_exists:
        lost_records = s.snapshot_unverified
        if keep_unverified and s.snapshot_unverified is not None:
            loose = json.loads((directory / SNAPSHOT).read_bytes())
            loose.pop(HEADER_KEY, None)
            tables = {t: d for t, d in loose.items() if isinstance(d, dict)}
            lost_records = 0
    for r in s.records:
        if r.header:
            continue
        if s.snapshot is not None and r.seq is not None and r.generation < G and r.seq <= S:
            continue  # already in the snapshot
        apply(tables, r.ops or [])
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = directory / f"broken-{stamp}"
    n = 1
    while aside.exists():
        n += 1
        aside = directory / f"broken-{stamp}-{n}"
    tables = {t: d for t, d in tables.items() if d}
    replace_file(
        directory / (SNAPSHOT + REPAIRED), snapshot_bytes(tables, 1, 0), directory / SNAPSHOT_TMP
    )
    replace_file(
        directory / (JOURNAL + REPAIRED), encode_record(1, 0, None), directory / JOURNAL_TMP
    )
    aside.mkdir()
    for name in (SNAPSHOT, JOURNAL, *TEMP_FILES):
        if (directory / name).exists():
            os.replace(directory / name, aside / name)
    fsync_dir(aside)
    fsync_dir(directory)
    for name in (SNAPSHOT, JOURNAL):
        os.replace(directory / (name + REPAIRED), directory / name)
    fsync_dir(directory)
    kept = sum(len(d) for d in tables.values())
    return Repaired(kept, len(s.bad), lost_records, aside, False)


def _count(s: Scan) -> int:
    tables: Tables = {t: dict(d) for t, d in (s.snapshot.tables if s.snapshot else {}).items()}
    for r in s.replay:
        apply(tables, r.ops or [])
    return sum(len(d) for d in tables.values())
