"""``rapport db``: bring a SQL database's tables up to date, and move a community
from one store to another (TinyDB to PostgreSQL, usually) with nothing lost.

    rapport db upgrade [--url URL]            (default: RAPPORT_DATABASE_URL)
    rapport db copy --from SOURCE --to TARGET (URLs, or a TinyDB data directory)

Both print what they did. Exit status: 0 done, 1 refused or failed, 2 bad arguments.
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
    """Add ``db upgrade`` and ``db copy`` to the ``rapport`` command."""
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
