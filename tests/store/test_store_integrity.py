"""A journal that never guesses: what does not verify is refused, byte for byte untouched.

A torn last line (a write cut short by a crash, never acknowledged) is dropped; any
other damage — a bad record in the middle, a whole last record that fails its
checksum, a snapshot missing/empty/``{}``/unparseable/failing its checksum, a snapshot
older than the journal, a gap in the sequence — makes the store refuse to open with
one line naming ``rapport store check`` and ``repair``, and changes no file.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import main
from store.base import StoreCorrupt
from store.tinydb_files import JOURNAL, SNAPSHOT, scan
from store.tinydb_store import TinyDBStore
from tests.store.helpers import files_of
from tests.store.store_contract import dump

Model = dict[str, dict[str, Any]]


def build(directory: Path) -> Model:
    """A store with records in its snapshot and in its journal; what it acknowledged."""
    s = TinyDBStore(directory)
    for n in range(6):
        s.insert("people", {"id": f"p{n}", "name": f"Person {n}", "tags": ["a", n]})
    s.update("people", "p1", {"name": "Zoë"})
    s.delete("people", "p2")
    s.compact()  # these are in the snapshot now
    with s.atomic():
        s.insert("outbox", {"id": "o1", "state": "pending", "due": "2026-12-01T09:00"})
        s.update("people", "p3", {"name": "Ada"})
    s.insert("people", {"id": "p9", "key": "k9"})
    s.delete("people", "p4")
    s.insert("people", {"id": "late", "text": "the last acknowledged write"})
    model = dump(s)
    s.close()
    assert (directory / JOURNAL).read_bytes().count(b"\n") == 5  # header + 4 groups
    return model


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Model]:
    directory = tmp_path_factory.mktemp("pristine") / "data"
    return directory, build(directory)


def copy_of(pristine: tuple[Path, Model], to: Path) -> Path:
    shutil.copytree(pristine[0], to)
    return to


def refused(directory: Path, match: str) -> str:
    before = files_of(directory)
    with pytest.raises(StoreCorrupt) as e:
        TinyDBStore(directory)
    message = str(e.value)
    assert "\n" not in message
    assert "rapport store check" in message and "rapport store repair" in message
    assert match in message, message
    assert files_of(directory) == before, "a refused open changed a file"
    return message


def lines(directory: Path) -> list[bytes]:
    return (directory / JOURNAL).read_bytes().splitlines(keepends=True)


def set_lines(directory: Path, new: list[bytes]) -> None:
    (directory / JOURNAL).write_bytes(b"".join(new))


# -- damage that is refused ----------------------------------------------------------


def test_an_undamaged_store_opens_with_every_write(pristine, tmp_path: Path) -> None:
    with TinyDBStore(copy_of(pristine, tmp_path / "d")) as s:
        assert dump(s) == pristine[1]


def test_a_bad_record_in_the_middle_is_refused(pristine, tmp_path: Path) -> None:
    d = copy_of(pristine, tmp_path / "d")
    ls = lines(d)
    ls[1] = ls[1].replace(b'"Ada"', b'"Eve"')
    set_lines(d, ls)
    refused(d, "fails verification")


def test_a_missing_middle_record_is_a_sequence_gap(pristine, tmp_path: Path) -> None:
    d = copy_of(pristine, tmp_path / "d")
    ls = lines(d)
    set_lines(d, [*ls[:2], *ls[3:]])
    refused(d, "sequence gap")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (None, "rapport.json is missing"),
        (b"", "rapport.json is empty"),
        (b"{}", "rapport.json is empty ({}) but rapport.journal follows it"),
        (b'{"people": {"p0": {', "not valid JSON"),
    ],
    ids=["missing", "empty", "braces", "unparseable"],
)
def test_a_lost_snapshot_with_a_journal_is_refused(
    pristine, tmp_path: Path, content: bytes | None, match: str
) -> None:
    d = copy_of(pristine, tmp_path / "d")
    if content is None:
        (d / SNAPSHOT).unlink()
    else:
        (d / SNAPSHOT).write_bytes(content)
    refused(d, match)


def test_a_snapshot_that_fails_its_checksum_is_refused(pristine, tmp_path: Path) -> None:
    d = copy_of(pristine, tmp_path / "d")
    data = (d / SNAPSHOT).read_bytes()
    (d / SNAPSHOT).write_bytes(data.replace(b"Person 5", b"Person 6"))  # still valid JSON
    refused(d, "fails its checksum")


def test_a_snapshot_older_than_the_journal_is_refused(tmp_path: Path) -> None:
    d = tmp_path / "d"
    s = TinyDBStore(d)
    s.insert("t", {"id": "a"})
    s.compact()
    old = (d / SNAPSHOT).read_bytes()
    s.insert("t", {"id": "b"})
    s.compact()
    s.insert("t", {"id": "c"})
    s.close()
    (d / SNAPSHOT).write_bytes(old)  # restored from an old backup, say
    refused(d, "older than rapport.journal expects")


def test_a_whole_last_record_whose_line_end_is_damaged_is_refused(pristine, tmp_path) -> None:
    d = copy_of(pristine, tmp_path / "d")
    data = (d / JOURNAL).read_bytes()
    (d / JOURNAL).write_bytes(data[:-1] + b"\x00")
    refused(d, "line end is damaged")


def test_a_journal_record_from_the_future_is_refused(pristine, tmp_path: Path) -> None:
    d = copy_of(pristine, tmp_path / "d")
    body = json.dumps({"g": 99, "s": 99, "o": [["del", "people", "p0"]]}).encode()
    set_lines(d, [*lines(d), b"%08x " % zlib.crc32(body) + body + b"\n"])
    refused(d, "older than rapport.journal expects")


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param(b"zeros", id="whole-records-zeroed"),
        pytest.param(b"\x00" * 40, id="nul-bytes"),
        pytest.param(b'0123abcd {"g":2,"s":6,"o":[["put","people","x",\x00\x00', id="nul-inside"),
        pytest.param(b"garbage that no write of ours could leave", id="other-bytes"),
    ],
)
def test_a_tail_no_crash_could_leave_is_refused(pristine, tmp_path: Path, tail: bytes) -> None:
    """A crash cuts the last write short, leaving the start of one of our lines. Zeros
    over acknowledged records (a disk's damage, not a crash) must not be dropped as a
    torn line: that would lose them silently, and rewrite the evidence."""
    d = copy_of(pristine, tmp_path / "d")
    ls = lines(d)
    if tail == b"zeros":  # the last three whole records zeroed, the file the same length
        zeroed = b"".join(ls[-3:])
        set_lines(d, [*ls[:-3], b"\x00" * len(zeroed)])
    else:
        set_lines(d, [*ls, tail])
    refused(d, "not a record cut short by a crash")


# -- what is not damage --------------------------------------------------------------


def test_a_torn_last_line_is_dropped(pristine, tmp_path: Path) -> None:
    d = copy_of(pristine, tmp_path / "d")
    with open(d / JOURNAL, "ab") as f:
        f.write(b'0123abcd {"g":2,"s":6,"o":[["put","people","x",{"id":')  # cut short
    with TinyDBStore(d) as s:
        assert dump(s) == pristine[1]
        s.insert("people", {"id": "after"})
    with TinyDBStore(d) as s:
        assert s.get("people", "after") == {"id": "after"}


def test_a_compaction_cut_short_before_the_new_journal_loses_nothing(tmp_path: Path) -> None:
    d = tmp_path / "d"
    s = TinyDBStore(d)
    s.insert("t", {"id": "a"})
    s.insert("t", {"id": "b"})
    journal = (d / JOURNAL).read_bytes()
    s.compact()
    s.close()
    (d / JOURNAL).write_bytes(journal)  # the old journal: all of it is in the snapshot
    with TinyDBStore(d) as s:
        assert sorted(dump(s)["t"]) == ["a", "b"]
        s.insert("t", {"id": "c"})
    with TinyDBStore(d) as s:
        assert sorted(dump(s)["t"]) == ["a", "b", "c"]


def _old_line(ops: list[Any]) -> bytes:
    body = json.dumps(ops, separators=(",", ":")).encode()
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def test_a_store_of_the_first_format_opens_and_is_upgraded(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    old = {"_meta": {"schema": {"id": "schema", "version": 1}}, "t": {"a": {"id": "a", "n": 1}}}
    (d / SNAPSHOT).write_text(json.dumps(old))
    (d / JOURNAL).write_bytes(
        _old_line([["put", "t", "b", {"id": "b"}]])
        + _old_line([["del", "t", "a"], ["put", "t", "c", {"id": "c"}]])
        + b'12345678 [["put"'  # torn
    )
    with TinyDBStore(d) as s:
        assert dump(s) == {"t": {"b": {"id": "b"}, "c": {"id": "c"}}}
        assert s.schema_version() == 1
    assert (d / SNAPSHOT).read_bytes().startswith(b'{"_snapshot":{"meta":{"generation":1,')
    assert scan(d).healthy
    with TinyDBStore(d) as s:
        assert sorted(dump(s)["t"]) == ["b", "c"]


def test_a_first_format_store_with_a_bad_middle_line_is_refused(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / SNAPSHOT).write_text(json.dumps({"t": {"a": {"id": "a"}}}))
    good = _old_line([["put", "t", "b", {"id": "b"}]])
    (d / JOURNAL).write_bytes(good.replace(b'"b"}', b'"B"}') + good)
    refused(d, "fails verification")


# -- random damage: every acknowledged write, or a refusal that changed nothing -------


@settings(
    max_examples=250,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    which=st.sampled_from([SNAPSHOT, JOURNAL]),
    where=st.floats(min_value=0, max_value=1, exclude_max=True),
    xor=st.integers(min_value=1, max_value=255),
)
def test_a_flipped_byte_anywhere_loses_nothing_silently(
    pristine: tuple[Path, Model], which: str, where: float, xor: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = copy_of(pristine, Path(tmp) / "d")
        data = bytearray((d / which).read_bytes())
        at = int(where * len(data))
        data[at] ^= xor
        (d / which).write_bytes(bytes(data))
        before = files_of(d)
        try:
            s = TinyDBStore(d)
        except StoreCorrupt as e:
            assert "\n" not in str(e)
            assert files_of(d) == before, f"{which}[{at}] ^= {xor}: a refusal changed files"
            return
        try:
            assert dump(s) == pristine[1], f"{which}[{at}] ^= {xor}: opened with other data"
        finally:
            s.close()


# -- rapport store check | repair ------------------------------------------------------


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(argv))
    return code, out.getvalue()


def test_check_says_healthy_and_exits_0(pristine, tmp_path: Path) -> None:
    d = copy_of(pristine, tmp_path / "d")
    before = files_of(d)
    code, out = run("store", "check", str(d))
    assert code == 0, out
    assert "healthy" in out
    assert files_of(d) == before


def test_the_data_dir_option_names_the_store_to_check(pristine, tmp_path: Path) -> None:
    d = copy_of(pristine, tmp_path / "d")
    code, out = run("--data-dir", str(d), "store", "check")
    assert code == 0 and str(d) in out


Damage = Callable[[Path], None]


def _bad_middle(d: Path) -> None:
    ls = lines(d)
    ls[1] = ls[1].replace(b'"Ada"', b'"Eve"')
    set_lines(d, ls)


def _bad_snapshot(d: Path) -> None:
    data = (d / SNAPSHOT).read_bytes()
    (d / SNAPSHOT).write_bytes(data.replace(b"Person 5", b"Person 6"))


def test_check_finds_damage_and_repair_keeps_every_record_that_verifies(
    pristine, tmp_path: Path
) -> None:
    d = copy_of(pristine, tmp_path / "d")
    _bad_middle(d)
    originals = files_of(d)
    code, out = run("store", "check", str(d))
    assert code == 1 and "PROBLEM" in out and "fail" in out, out
    assert files_of(d) == originals
    code, out = run("store", "repair", str(d))
    assert code == 0, out
    assert "Kept 7 records" in out and "lost 1 journal write group" in out, out
    aside = next(d.glob("broken-*"))
    assert {p.name: p.read_bytes() for p in aside.iterdir()} == originals  # never deleted
    want = json.loads(json.dumps(pristine[1]))
    del want["outbox"]  # the damaged group: the outbox item and Ada
    want["people"]["p3"]["name"] = "Person 3"
    with TinyDBStore(d) as s:
        assert dump(s) == want
    code, out = run("store", "check", str(d))
    assert code == 0, out


def test_repair_of_a_snapshot_that_fails_its_checksum(pristine, tmp_path: Path) -> None:
    d = copy_of(pristine, tmp_path / "d")
    _bad_snapshot(d)
    code, out = run("store", "repair", str(d))
    assert code == 0, out
    assert "6 records of a snapshot that failed its checksum" in out, out
    with TinyDBStore(d) as s:  # only what the journal's writes hold
        assert sorted(dump(s)["people"]) == ["late", "p3", "p9"]
    d2 = copy_of(pristine, tmp_path / "d2")
    _bad_snapshot(d2)
    code, out = run("store", "repair", "--keep-unverified", str(d2))
    assert code == 0, out
    with TinyDBStore(d2) as s:
        got = dump(s)
    assert got["people"]["p5"]["name"] == "Person 6"  # kept as it reads
    assert set(got["people"]) == set(pristine[1]["people"])


def test_repair_of_a_healthy_store_changes_nothing(pristine, tmp_path: Path) -> None:
    d = copy_of(pristine, tmp_path / "d")
    before = files_of(d)
    code, out = run("store", "repair", str(d))
    assert code == 0 and "nothing to repair" in out
    assert files_of(d) == before
