"""``rapport db``: bring a SQL database's tables up to date, and move a community
from one store to another (TinyDB to PostgreSQL, usually) with nothing lost.
``rapport store``: verify a store's files, and rescue what verifies.

    rapport db upgrade [--url URL]            (default: RAPPORT_DATABASE_URL)
    rapport db copy --from SOURCE --to TARGET (URLs, or a TinyDB data directory)
    rapport store check [DIR|URL]             (default: RAPPORT_DATABASE_URL or the data dir)
    rapport store repair [DIR] [--keep-unverified]

All print what they did. Exit status: 0 done (check: healthy), 1 refused, failed or
unhealthy, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.config import Config
from store import is_sql_url

if TYPE_CHECKING:
    from store import Store

PROGRESS_EVERY = 50_000  # records, per table


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``db upgrade``, ``db copy``, ``store check`` and ``store repair`` to ``rapport``."""
    add_store_parser(sub)
    db = sub.add_parser("db", help="database upkeep: upgrade the SQL schema, copy a store")
    commands = db.add_subparsers(dest="db_command", metavar="{upgrade,copy}")
    commands.required = True
    up = commands.add_parser("upgrade", help="apply the schema migrations to a SQL database")
    up.add_argument("--url", help="postgresql://… or sqlite:///… (default RAPPORT_DATABASE_URL)")
    copy = commands.add_parser(
        "copy",
        help="copy every record into an empty store (stop rapport first)",
        description="Copy every record of SOURCE into TARGET, which must be empty. "
        "Stop the rapport processes using SOURCE first, so nothing changes during the copy.",
    )
    copy.add_argument(
        "--from", dest="source", required=True, help="a database URL or a TinyDB data directory"
    )
    copy.add_argument(
        "--to", dest="target", required=True, help="a database URL or a TinyDB data directory"
    )


def run(
    args: argparse.Namespace,
    config: Config,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    if getattr(args, "command", None) == "store":
        return run_store(args, config, out=out, err=err)
    if args.db_command == "upgrade":
        return upgrade(args.url or config.database_url, out=out, err=err)
    return copy(args.source, args.target, out=out, err=err)


# -- upgrade ----------------------------------------------------------------------------


def upgrade(url: str | None, *, out: TextIO, err: TextIO) -> int:
    """Apply the Alembic migrations, then the data migrations, and say which ran."""
    import sqlalchemy as sa

    from store import StoreError
    from store import sql_store as sq

    if not url:
        print(
            "rapport db upgrade: which database? Pass --url postgresql://… "
            "or set RAPPORT_DATABASE_URL.",
            file=err,
        )
        return 2
    if not is_sql_url(url):
        print(
            f"rapport db upgrade: {url} is not a database URL. (A TinyDB data directory "
            "needs no upgrade: rapport brings it up to date when it opens it.)",
            file=err,
        )
        return 2
    shown = show(url)
    try:
        engine = sq.make_engine(url)
        try:
            before = sq.current_revision(engine)
        finally:
            engine.dispose()
        sq.upgrade(url)
        with sq.SQLStore(url, upgrade=False) as store:  # runs the data migrations
            version = store.schema_version()
    except (StoreError, sa.exc.SQLAlchemyError) as e:
        print(f"rapport db upgrade: could not upgrade {shown}: {one_line(e)}", file=err)
        return 1
    head = sq.head_revision()
    if before == head:
        print(f"{shown}: already at migration {head}; nothing to do.", file=out)
    else:
        print(
            f"{shown}: upgraded from {before or 'an empty database'} to migration {head}.", file=out
        )
        for rev in applied(before, head):
            print(f"  applied {rev}", file=out)
    print(f"Data version {version}.", file=out)
    return 0


def applied(before: str | None, head: str | None) -> list[str]:
    """The migrations between ``before`` and ``head``, oldest first, with their titles."""
    from alembic.script import ScriptDirectory

    from store.sql_store import MIGRATIONS_DIR

    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    found = list(scripts.iterate_revisions(head, before or "base"))
    return [f"{s.revision}: {(s.doc or '').strip().splitlines()[0]}" for s in reversed(found)]


# -- copy ------------------------------------------------------------------------------


def copy(source: str, target: str, *, out: TextIO, err: TextIO) -> int:
    """Copy every record of ``source`` into the empty ``target``; print counts per table."""
    import sqlalchemy as sa

    from store import StoreError, open_store
    from store.copy import copy_store

    for given in (source, target):
        if "://" in given and not is_sql_url(given):
            print(
                f"rapport db copy: {given} is not a URL rapport knows: use "
                "postgresql://…, sqlite:///… or a TinyDB data directory.",
                file=err,
            )
            return 2
    if same_place(source, target):
        print("rapport db copy: --from and --to are the same store.", file=err)
        return 2
    try:
        missing = why_not_a_source(source)
    except StoreError as e:
        missing = str(e)
    if missing:
        print(f"rapport db copy: {missing}", file=err)
        return 1
    src: Store | None = None
    dst: Store | None = None
    started = time.perf_counter()
    try:
        src = open_store(source)
        dst = open_store(target)
        held = {t: dst.count(t) for t in dst.tables()}
        if held:
            listed = ", ".join(f"{t} ({n:,})" for t, n in held.items())
            print(
                f"rapport db copy: {show(target)} already holds records: {listed}. "
                "Nothing was copied: db copy only fills an empty store. "
                "Point --to at a new database (or a new ?schema=).",
                file=err,
            )
            return 1

        def progress(table: str, n: int) -> None:
            if n % PROGRESS_EVERY == 0:
                print(f"  {table}: {n:,}…", file=err, flush=True)

        counts = copy_store(src, dst, progress=progress)
        wrong = {t: (n, dst.count(t)) for t, n in counts.items() if dst.count(t) != n}
        if wrong:
            print(f"rapport db copy: the counts differ after copying: {wrong}", file=err)
            return 1
        version = dst.schema_version()
    except (StoreError, sa.exc.SQLAlchemyError, OSError) as e:
        print(f"rapport db copy: {one_line(e)}", file=err)
        return 1
    finally:
        for store in (src, dst):
            if store is not None:
                store.close()
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    print(f"Copied {total:,} records from {show(source)} to {show(target)}:", file=out)
    width = max([len(t) for t in counts] + [5])
    for table, n in counts.items():
        print(f"  {table:<{width}}  {n:>10,}", file=out)
    print(f"  {'total':<{width}}  {total:>10,}", file=out)
    print(f"Done in {seconds:.1f} s; data version {version}.", file=out)
    return 0


def why_not_a_source(source: str) -> str | None:
    """Why ``source`` holds no rapport data to copy (None when it may)."""
    if not is_sql_url(source):
        from store.tinydb_store import JOURNAL, SNAPSHOT

        path = Path(source.removeprefix("tinydb:"))
        if not ((path / SNAPSHOT).exists() or (path / JOURNAL).exists()):
            return f"there is no rapport data in {path} (no {SNAPSHOT} or {JOURNAL})."
        return None
    from store import sql_store as sq

    u, _ = sq.parse_url(source)
    if u.get_backend_name() == "sqlite":
        if u.database in (None, "", ":memory:") or not Path(u.database).exists():
            return f"there is no SQLite database at {u.database or '(memory)'}."
        return None
    import sqlalchemy as sa

    engine = sq.make_engine(source)
    try:
        try:
            engine.connect().close()
        except sa.exc.OperationalError as e:
            return f"could not connect to {show(source)}: {one_line(e)}"
        if sq.current_revision(engine) is None:
            return f"{show(source)} has no rapport tables (run rapport there first?)."
    finally:
        engine.dispose()
    return None


def same_place(a: str, b: str) -> bool:
    if is_sql_url(a) or is_sql_url(b):
        return a == b
    return Path(a.removeprefix("tinydb:")).resolve() == Path(b.removeprefix("tinydb:")).resolve()


def show(target: str) -> str:
    """A URL fit to print (no password), or the directory as given."""
    if not is_sql_url(target):
        return target
    from sqlalchemy.engine import make_url

    return make_url(target).render_as_string(hide_password=True)


def one_line(e: BaseException) -> str:
    return " ".join(str(getattr(e, "orig", None) or e).split())


# -- store check | repair ------------------------------------------------------------


def add_store_parser(sub: argparse._SubParsersAction) -> None:
    st = sub.add_parser(
        "store", help="verify a store's files (check), rescue what verifies (repair)"
    )
    commands = st.add_subparsers(dest="store_command", metavar="{check,repair}")
    commands.required = True
    check = commands.add_parser(
        "check",
        help="verify the store; exit 0 when healthy, 1 otherwise (changes nothing)",
    )
    check.add_argument(
        "target", nargs="?", help="a TinyDB data directory or a database URL (default: configured)"
    )
    repair = commands.add_parser(
        "repair",
        help="write a new store from every record that verifies (stop rapport first)",
        description="Write a new TinyDB store from every record that verifies; the original "
        "files are moved into a folder broken-TIMESTAMP in the data directory, never deleted.",
    )
    repair.add_argument("target", nargs="?", help="the TinyDB data directory (default: configured)")
    repair.add_argument(
        "--keep-unverified",
        action="store_true",
        help="also keep the records of a snapshot that fails its checksum (as they read)",
    )


def run_store(args: argparse.Namespace, config: Config, *, out: TextIO, err: TextIO) -> int:
    target = args.target or config.database_url or config.data_dir
    name = f"rapport store {args.store_command}"
    if "://" in target or is_sql_url(target):
        if args.store_command == "repair":
            print(
                f"{name}: {show(target)} is a database: it keeps its own integrity; "
                "there is nothing for rapport to repair.",
                file=err,
            )
            return 2
        return check_database(target, out=out, err=err)
    return check_directory(Path(target.removeprefix("tinydb:")), args, out=out, err=err)


def check_database(url: str, *, out: TextIO, err: TextIO) -> int:
    import sqlalchemy as sa

    from store import StoreError, check_database_url
    from store import sql_store as sq

    try:
        check_database_url(url)
        engine = sq.make_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            revision = sq.current_revision(engine)
        finally:
            engine.dispose()
    except StoreError as e:
        print(f"rapport store check: {one_line(e)}", file=err)
        return 1
    except sa.exc.SQLAlchemyError as e:
        print(f"rapport store check: {one_line(sq.outage(e, sq.parse_url(url)[0]))}", file=err)
        return 1
    head = sq.head_revision()
    if revision != head:
        print(
            f"{show(url)}: reachable, at migration {revision or '(none)'}, not {head}: "
            "run rapport db upgrade.",
            file=out,
        )
        return 1
    print(f"{show(url)}: reachable, at migration {head}; healthy.", file=out)
    return 0


def check_directory(directory: Path, args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    from store import StoreError
    from store import tinydb_files as files

    name = f"rapport store {args.store_command}"
    if not directory.is_dir():
        print(f"{name}: there is no data directory {directory}.", file=err)
        return 1
    try:
        lock = files.lock_directory(directory)
    except StoreError as e:
        print(f"{name}: {e}.", file=err)
        return 1
    try:
        if args.store_command == "check":
            found = files.scan(directory)
            print(f"{directory}:", file=out)
            for line in files.describe(found):
                print(f"  {line}", file=out)
            if not found.healthy:
                print(
                    f"Run `rapport store repair {directory}` to write a new store from every "
                    "record that verifies (the originals are kept).",
                    file=out,
                )
            return 0 if found.healthy else 1
        try:
            done = files.repair(directory, keep_unverified=args.keep_unverified)
        except OSError as e:
            print(f"{name}: could not repair {directory}: {e}", file=err)
            return 1
        if done.healthy_before:
            print(f"{directory}: healthy, nothing to repair ({done.kept:,} records).", file=out)
            return 0
        lost = f"{done.lost_writes:,} journal write group(s) that did not verify"
        if done.lost_records is None:
            lost += ", and the records of a snapshot that could not be read (how many is unknown)"
        elif done.lost_records:
            lost += f", and {done.lost_records:,} records of a snapshot that failed its checksum"
            lost += " (--keep-unverified keeps them as they read)"
        print(f"{directory}: repaired. Kept {done.kept:,} records; lost {lost}.", file=out)
        print(f"The original files are in {done.aside}.", file=out)
        return 0
    finally:
        files.unlock_directory(directory, lock, forget_pid=False)
