"""A SQL store: PostgreSQL (psycopg 3) or SQLite, through SQLAlchemy 2 Core.

Layout (created by the Alembic migrations in ``store/migrations``):

``records(tbl, id, key, state, due, lease_until, doc, [seq])``
    Every table's records in one table, primary key ``(tbl, id)``. ``doc`` is the
    whole record (JSONB on PostgreSQL, JSON text on SQLite). ``key`` is ``str`` of the
    record's ``key`` field, unique per table (``UNIQUE (tbl, key)``; NULLs allowed).
    For the outbox hot path ``state``, ``due`` and ``lease_until`` are promoted from
    ``outbox`` records (as text; NULL in other tables), with two partial indexes:
    ``(due, id) WHERE state = 'pending'`` and ``(lease_until) WHERE state IN
    ('claimed', 'sending')``, so ``claim_due`` reads only claimable items, oldest due
    first, however many items wait for a later time. Insertion order (the order of
    ``find`` without ``order_by``, and of ties) is ``seq`` (an identity column) on
    PostgreSQL and the rowid on SQLite. On PostgreSQL, text columns use the "C"
    collation so comparisons and ordering are by code point, as in Python, and
    ``doc`` has a GIN index (``jsonb_path_ops``) that serves ``find`` through ``@>``.
``meta(name, value)``
    The data's schema version (``Store.schema_version``; the DDL revision is
    Alembic's own ``alembic_version`` table).

``find(where)`` is translated to SQL: on PostgreSQL a wanted scalar ``w`` of field
``f`` becomes ``doc @> {"f": w} OR doc @> {"f": [w]}`` (equal, or a list holding it;
JSON keeps ``true`` and ``1`` apart, as ``matches`` does), ``None`` also matches a
missing field; on SQLite the same with ``json_type``/``json_extract``/``json_each``.
Lookups by ``id`` and ``key`` use their columns (``key`` is matched as a string,
as ``TinyDBStore`` does; many at once as ``= ANY`` of one array). Several texts for a
member field (``user``, ``other``) become ``doc -> 'user' ?| ARRAY[…]`` on its own
index (migration 0002) on PostgreSQL. Wanted dicts and lists only narrow the search (by
containment, on PostgreSQL), and every row found is checked with
``store.base.matches`` anyway, so the meaning is always that of ``matches``.
Documents come back as stored JSON: on PostgreSQL JSONB does not keep key order,
and NUL characters (``\u0000``) are refused there (``StoreError``).

Transactions: outside ``atomic()`` every call is its own transaction; ``atomic()``
holds one connection and transaction for the calling thread; a nested block is a
savepoint in it (a failing inner block undoes only its own writes; nothing is
committed before the outermost block ends). Threads each use their own pooled
connection, so a thread never sees another's uncommitted writes. Reads outside a
block run in autocommit mode (PostgreSQL) or a deferred transaction (SQLite); on
SQLite, writing transactions start with ``BEGIN IMMEDIATE`` (the file is WAL, so
readers do not wait, and busy writers wait up to 30 s).
``claim_due`` uses ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so any number
of processes can claim at once without two getting one item (nor waiting on each
other's rows).

URLs: ``postgresql://…`` (or ``postgres://``; the psycopg 3 driver is used) with an
optional ``?schema=NAME`` (or ``SQLStore(url, schema=NAME)``): the schema is created
if missing and is the ``search_path`` of every connection. ``sqlite:///path`` (or
``sqlite://`` in memory). Opening runs the Alembic upgrade (idempotent; concurrent
openers serialize on an advisory lock) and then ``store.base.migrate``.
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url

from store.base import (
    CLAIMABLE_AFTER_LEASE,
    OUTBOX,
    Conflict,
    Doc,
    Store,
    StoreConfigError,
    StoreError,
    StoreUnavailable,
    Where,
    copy_json,
    matcher,
    matches,
    migrate,
    new_id,
)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SCHEMA_VERSION_NAME = "schema_version"
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_MANY = (list, tuple, set, frozenset)
# Fields naming members, with an expression index each on PostgreSQL (migration 0002):
# "the records of these members" is one index scan instead of a containment per member.
MEMBER_FIELDS = ("user", "other")
_BATCH = 1000
PREPARE_THRESHOLD = 2
IDLE_PING = 10.0  # seconds a pooled connection may sit unused before it is checked
# A PostgreSQL that stops answering must end in an error (the "nothing was kept" path),
# never a command that hangs: libpq's TCP keepalives find a dead peer on an idle or
# waiting connection within ~11 s (5 s idle, then 3 probes 2 s apart), and
# tcp_user_timeout drops one whose sent data goes unacknowledged for 10 s. On the
# server, a statement is cancelled after STATEMENT_TIMEOUT and a lock wait after
# LOCK_TIMEOUT (rapport's statements take milliseconds; the longest, a bulk insert of
# a batch or a find over a large table, well under a second). Migrations and ANALYZE
# run without them. Each can be changed in RAPPORT_DATABASE_URL (``?keepalives_idle=``,
# ``?tcp_user_timeout=``, ``?options=-c statement_timeout=60s``).
PG_CONNECT = {
    "connect_timeout": 10,  # an unreachable server: an error, not a hang
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,  # ms
}
STATEMENT_TIMEOUT = "15s"
LOCK_TIMEOUT = "5s"
# Literal, so that the partial indexes (which name them) serve claim_due in any plan.
_PENDING = sa.text("records.state = 'pending'")
_LEASED = sa.text(f"records.state IN ({', '.join(repr(s) for s in CLAIMABLE_AFTER_LEASE)})")
# Alembic keeps its running context in module globals: one upgrade at a time per process
# (across processes, env.py takes an advisory lock on PostgreSQL; SQLite locks the file).
_UPGRADE_LOCK = threading.Lock()

_dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")  # an escaped NUL, not an escaped backslash


def _pg_dumps(value: Any) -> str:
    """JSON for JSONB, which can't hold NUL: refuse it here, before the transaction
    is spoiled by the server's error."""
    text = _dumps(value)
    if "\\u0000" in text and _NUL.search(text):
        raise ValueError("PostgreSQL cannot store a NUL character (\\u0000)")
    return text


# -- URLs, engines, migrations -------------------------------------------------


def parse_url(url: str | URL, schema: str | None = None) -> tuple[URL, str | None]:
    """The SQLAlchemy URL to connect with, and the PostgreSQL schema (if any)."""
    u = make_url(url) if isinstance(url, str) else url
    backend = u.drivername.partition("+")[0]
    if backend in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise StoreError(f"unsupported database URL {u.drivername}: use postgresql:// or sqlite://")
    query_schema = u.query.get("schema")
    if isinstance(query_schema, tuple):
        query_schema = query_schema[-1]
    u = u.difference_update_query(["schema"])
    schema = schema or query_schema or None
    if schema is not None:
        if backend == "sqlite":
            raise StoreError("a schema is for PostgreSQL; SQLite has none")
        if not _SCHEMA_NAME.fullmatch(schema):
            raise StoreError(f"bad schema name {schema!r}: use lowercase letters, digits and _")
    return u, schema


def make_engine(url: str | URL, *, schema: str | None = None) -> sa.Engine:
    """An engine for ``url``: psycopg 3 with ``search_path`` set, or SQLite tuned for us."""
    u, schema = parse_url(url, schema)
    if u.get_backend_name() == "postgresql":
        connect_args: dict[str, Any] = {k: v for k, v in PG_CONNECT.items() if k not in u.query}
        connect_args["options"] = _pg_options(u, schema)
        u = u.difference_update_query(["options"])
        # Server-side prepared statements from a statement's second use (psycopg's
        # default is the fifth); ``?prepare_threshold=`` (empty: never) behind a pooler
        # in transaction mode.
        threshold: Any = PREPARE_THRESHOLD
        if "prepare_threshold" in u.query:
            given = u.query["prepare_threshold"]
            given = given[-1] if isinstance(given, tuple) else given
            threshold = int(given) if given else None
            u = u.difference_update_query(["prepare_threshold"])
        connect_args["prepare_threshold"] = threshold
        engine = sa.create_engine(
            u,
            connect_args=connect_args,
            json_serializer=_pg_dumps,
            max_overflow=20,
        )
        _ping_when_idle(engine)
        return engine
    memory = u.database in (None, "", ":memory:")
    kw: dict[str, Any] = {"json_serializer": _dumps}
    if memory:
        kw["poolclass"] = sa.StaticPool
        kw["connect_args"] = {"check_same_thread": False}
    else:
        kw["connect_args"] = {"timeout": 30, "check_same_thread": False}
    engine = sa.create_engine(u, **kw)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we say BEGIN ourselves (below)
        if not memory:
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA busy_timeout=30000")

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _pg_options(u: URL, schema: str | None) -> str:
    """The server settings every connection starts with: the URL's own ``options`` (which
    win), ``search_path`` for a schema, and the statement and lock timeouts."""
    given = u.query.get("options", "")
    given = given[-1] if isinstance(given, tuple) else given
    options = [given] if given.strip() else []
    if schema:
        options.append(f"-csearch_path={schema}")
    for name, value in (("statement_timeout", STATEMENT_TIMEOUT), ("lock_timeout", LOCK_TIMEOUT)):
        if name not in given:
            options.append(f"-c{name}={value}")
    return " ".join(options)


def _no_timeouts(conn: sa.Connection) -> None:
    """No statement or lock timeout for the rest of ``conn``'s transaction (PostgreSQL):
    for migrations, which may rewrite every record and wait for another process's."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        conn.exec_driver_sql("SET LOCAL lock_timeout = 0")


def _ping_when_idle(engine: sa.Engine, idle: float | None = None) -> None:
    """Check a pooled connection before use only if it sat idle for ``IDLE_PING`` s.

    ``pool_pre_ping`` would cost a ``SELECT 1`` round trip on every checkout, i.e. on
    every command. A connection in steady use is not pinged: if the server dropped it
    meanwhile (a restart), that call fails as unavailable (nothing of it kept) and
    SQLAlchemy discards the whole pool, so the next call reconnects. One idle longer
    (where firewalls and restarts usually strike) is pinged first and replaced if dead.
    """
    wait = IDLE_PING if idle is None else idle

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < wait:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as e:
            # The pool retries the checkout with a new connection.
            raise sa.exc.DisconnectionError(f"a pooled connection was dead: {e}") from e


def alembic_config(url: str | URL, schema: str | None = None) -> Any:
    """An Alembic ``Config`` for the migrations in this package (no ini file needed)."""
    from alembic.config import Config

    u, schema = parse_url(url, schema)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("sqlalchemy.url", u.render_as_string(False).replace("%", "%%"))
    cfg.attributes["schema"] = schema
    return cfg


def upgrade(url: str | URL, *, schema: str | None = None, revision: str = "head") -> None:
    """Create or upgrade the tables at ``url`` (and its schema) to ``revision``."""
    u, schema = parse_url(url, schema)
    engine = make_engine(u, schema=schema)
    try:
        _upgrade(engine, schema, revision)
    finally:
        engine.dispose()


@cache
def head_revision() -> str | None:
    """The newest migration in ``store/migrations``."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    """The database's migration (from Alembic's table), or None if it has none yet."""
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DBAPIError:
        return None


def _upgrade(engine: sa.Engine, schema: str | None, revision: str = "head") -> None:
    from alembic import command

    if revision == "head" and current_revision(engine) == head_revision():
        return  # the usual case: nothing to do, and no need to load Alembic's machinery
    if schema:
        _create_schema(engine, schema)
    cfg = alembic_config(engine.url, schema)
    with _UPGRADE_LOCK, engine.connect() as conn:
        _no_timeouts(conn)  # begins the transaction the whole upgrade runs in
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()


def _create_schema(engine: sa.Engine, schema: str) -> None:
    exists = sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :s")
    with engine.connect() as conn:
        if conn.execute(exists, {"s": schema}).first():
            return
        conn.rollback()
        try:
            conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            conn.commit()
        except sa.exc.DBAPIError:  # another process created it at the same moment
            conn.rollback()
            if not conn.execute(exists, {"s": schema}).first():
                raise


def drop_schema(url: str | URL, schema: str | None = None) -> None:
    """Drop a PostgreSQL schema and everything in it (for tests and tools)."""
    u, schema = parse_url(url, schema)
    if not schema:
        raise StoreError("drop_schema needs a schema")
    engine = make_engine(u)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        engine.dispose()


def is_outage(e: BaseException) -> bool:
    """Is ``e`` the database being unreachable (down, restarting, the network)?"""
    if isinstance(e, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return True
    return isinstance(e, sa.exc.DBAPIError) and bool(e.connection_invalidated)


def outage(e: BaseException, url: URL | None = None) -> StoreUnavailable:
    """A one-line ``StoreUnavailable`` for a database that can't be reached (or, when the
    server refused rapport for a reason that won't pass by itself, that reason)."""
    where = f" at {url.render_as_string(hide_password=True)}" if url is not None else ""
    problem = refusal(e, url)
    if problem is not None:
        return StoreUnavailable(
            f"the database{where} refused rapport: {problem}; nothing was changed"
        )
    return StoreUnavailable(
        f"the database{where} is unavailable ({_detail(e)}); nothing of this call was "
        "kept; rapport reconnects by itself once the database is back"
    )


def _detail(e: BaseException) -> str:
    return " ".join(str(getattr(e, "orig", None) or e).split())[:300]


_URL_FIX = "fix RAPPORT_DATABASE_URL"
# What the server (or libpq) says when it refuses a connection for a reason that waiting
# will not cure, and how to fix it. Connection errors carry no SQLSTATE: the text is all
# there is (the server's messages in English, lc_messages' default).
_REFUSALS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r'database "(?P<name>[^"]+)" does not exist'),
        "database {name} does not exist: create it (createdb {name}) or " + _URL_FIX,
    ),
    (
        re.compile(r'role "(?P<name>[^"]+)" does not exist'),
        "there is no role (user) {name} on the server: create it (createuser {name}) or "
        + _URL_FIX,
    ),
    (
        re.compile(r'authentication failed for user "(?P<name>[^"]+)"'),
        "authentication failed for {name}: fix the user or password in RAPPORT_DATABASE_URL",
    ),
    (
        re.compile(r"no password supplied|password authentication failed"),
        "the server wants a password: add it to RAPPORT_DATABASE_URL "
        "(postgresql://USER:PASSWORD@HOST/DB) or put it in ~/.pgpass",
    ),
    (
        re.compile(r'no pg_hba\.conf entry for host "[^"]*", user "(?P<name>[^"]+)"'),
        "the server's pg_hba.conf lets no connection in as {name} from here: add an entry "
        "there, or " + _URL_FIX,
    ),
    (
        re.compile(r'permission denied for database "?(?P<name>[^"\s]+)"?'),
        "the user may not connect to database {name}: GRANT CONNECT ON DATABASE {name} "
        "to it, or " + _URL_FIX,
    ),
    (
        re.compile(r"server does not support SSL, but SSL was required"),
        "the server does not support SSL, but RAPPORT_DATABASE_URL requires it (sslmode): "
        "drop or lower sslmode, or enable SSL on the server",
    ),
    (
        re.compile(
            r"(?P<what>invalid (?:sslmode|connection option|URI query parameter|integer "
            r"value|value for parameter|\w+ value)[^;]*?)\s*$",
            re.M,
        ),
        "RAPPORT_DATABASE_URL has a bad option ({what}): fix or remove it",
    ),
    (
        re.compile(r"(?P<what>unrecognized configuration parameter \"[^\"]+\")"),
        "RAPPORT_DATABASE_URL has a bad option ({what}): fix or remove it",
    ),
    (
        re.compile(r"file is not a database"),
        "{path} is not a SQLite database: point RAPPORT_DATABASE_URL at rapport's database "
        "file, or at a new file",
    ),
]


def refusal(e: BaseException, url: URL | None = None) -> str | None:
    """What is wrong and how to fix it, when the database refused rapport for a reason
    that won't pass by itself (a missing database or role, a failed login, a bad option,
    a file that is not a database); None for an outage (down, restarting, the network)."""
    text = str(getattr(e, "orig", None) or e)
    for pattern, fix in _REFUSALS:
        m = pattern.search(text)
        if m is None:
            continue
        found = {k: v for k, v in m.groupdict().items() if v is not None}
        name = found.get("name", "")
        what = " ".join(found.get("what", "").split())
        path = (url.database if url is not None else None) or "the file"
        return fix.format(name=name, what=what, path=path)
    return None


def open_error(e: sa.exc.SQLAlchemyError, url: URL) -> StoreError:
    """The one-line error for a database rapport could not open: ``StoreConfigError``
    saying what to fix when it refused rapport, ``StoreUnavailable`` when it can't be
    reached now, else a ``StoreError`` with what it said."""
    problem = refusal(e, url)
    if problem is not None:
        return StoreConfigError(problem)
    if is_outage(e):
        return outage(e, url)
    where = url.render_as_string(hide_password=True)
    return StoreError(f"cannot open the database at {where}: {_detail(e)}")


# -- the tables, as Core sees them ---------------------------------------------


def _tables(pg: bool) -> tuple[sa.Table, sa.Table]:
    md = sa.MetaData()
    columns = [
        sa.Column("tbl", sa.Text, primary_key=True),
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("key", sa.Text),
        sa.Column("state", sa.Text),
        sa.Column("due", sa.Text),
        sa.Column("lease_until", sa.Text),
        sa.Column("doc", postgresql.JSONB() if pg else sa.JSON(), nullable=False),
    ]
    if pg:
        columns.append(sa.Column("seq", sa.BigInteger))
    records = sa.Table("records", md, *columns)
    meta = sa.Table(
        "meta", md, sa.Column("name", sa.Text, primary_key=True), sa.Column("value", sa.Text)
    )
    return records, meta


class SQLStore(Store):
    """Records in PostgreSQL or SQLite; safe across threads and processes."""

    def __init__(self, url: str | URL, *, schema: str | None = None, upgrade: bool = True) -> None:
        self.url, self.schema = parse_url(url, schema)
        self.engine = make_engine(self.url, schema=self.schema)
        self.pg = self.engine.dialect.name == "postgresql"
        self.records, self.meta = _tables(self.pg)
        r = self.records
        self._seq = r.c.seq if self.pg else sa.literal_column("records.rowid")
        self._insert = (postgresql.insert if self.pg else sqlite.insert)(r).execution_options(
            preserve_rowcount=True
        )
        self._q = _Statements(r, self._insert)
        # An in-memory SQLite database is one shared connection: take turns.
        memory = not self.pg and self.url.database in (None, "", ":memory:")
        self._turn: contextlib.AbstractContextManager[Any] = (
            threading.RLock() if memory else contextlib.nullcontext()
        )
        self._local = threading.local()
        self._closed = False
        try:
            try:
                if upgrade:
                    _upgrade(self.engine, self.schema)
                with self.atomic():
                    if self.pg:  # one opener at a time migrates the data
                        _no_timeouts(self._conn())
                        self._conn().execute(
                            sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                            {"k": f"rapport-data:{self.schema or ''}"},
                        )
                    migrate(self)
            except sa.exc.SQLAlchemyError as e:
                raise open_error(e, self.url) from e
        except BaseException:
            self.engine.dispose()
            raise

    def __repr__(self) -> str:
        return f"SQLStore({self.url.render_as_string()!r}, schema={self.schema!r})"

    # -- transactions --------------------------------------------------------

    def _conn(self) -> sa.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            raise StoreError("not in a transaction")
        self._begin_now()
        return conn

    def _begin_now(self) -> None:
        """Open the database transaction of an ``atomic()`` block that has only read so
        far (on PostgreSQL it starts at its first write, see ``atomic``)."""
        if not getattr(self._local, "begun", True):
            self._local.conn.exec_driver_sql("BEGIN")
            self._local.begun = True

    @contextlib.contextmanager
    def _tx(self, *, write: bool = True) -> Iterator[sa.Connection]:
        """The thread's current transaction, or a new one for this call alone."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            try:
                if write:
                    self._begin_now()
                yield conn
            except sa.exc.SQLAlchemyError as e:
                if is_outage(e):
                    raise outage(e, self.url) from e
                raise
            return
        self._check_open()
        try:
            with self._turn, self.engine.connect() as conn:
                if not write:  # one SELECT: no BEGIN/COMMIT round trips, no write lock
                    if self.pg:
                        conn.execution_options(isolation_level="AUTOCOMMIT")
                    else:
                        conn.execution_options(sqlite_begin="DEFERRED")
                with conn.begin():
                    yield conn
        except sa.exc.SQLAlchemyError as e:
            # The transaction is rolled back (or died with its connection): nothing kept.
            # The pool checks connections before use, so the next call reconnects.
            if is_outage(e):
                raise outage(e, self.url) from e
            raise

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._check_open()
            try:
                self._begin_now()
                with conn.begin_nested():  # a savepoint: on an exception, undo this block only
                    yield
            except BaseException as e:
                self._local.seen = _Seen()  # what the undone block wrote is unknown again
                if isinstance(e, sa.exc.SQLAlchemyError) and is_outage(e):
                    raise outage(e, self.url) from e
                raise
            return
        if self.pg:
            with self._lazy_tx():
                yield
            return
        with self._tx() as conn:
            self._local.conn = conn
            self._local.seen = _Seen()
            try:
                yield
            finally:
                self._local.conn = None
                self._local.seen = None

    @contextlib.contextmanager
    def _lazy_tx(self) -> Iterator[None]:
        """A PostgreSQL ``atomic()`` block whose transaction starts at its first write.

        Until then it reads in autocommit mode: at READ COMMITTED each statement sees
        the latest committed data either way, and nothing is locked by a plain read,
        so this changes nothing but the round trips: a block that only reads costs no
        BEGIN and no COMMIT, one that writes costs the same as before."""
        self._check_open()
        try:
            with self.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT")
                self._local.conn, self._local.begun, self._local.seen = conn, False, _Seen()
                try:
                    yield
                    if self._local.begun:
                        conn.exec_driver_sql("COMMIT")
                except BaseException:
                    if self._local.begun:
                        with contextlib.suppress(Exception):  # a dead connection: gone anyway
                            conn.exec_driver_sql("ROLLBACK")
                    raise
                finally:
                    self._local.conn, self._local.seen = None, None
                    self._local.begun = True
        except sa.exc.SQLAlchemyError as e:
            if is_outage(e):
                raise outage(e, self.url) from e
            raise

    # -- the interface -------------------------------------------------------

    def insert(self, table: str, doc: Doc) -> Doc:
        doc = copy.deepcopy(dict(doc))
        given = doc.get("id") is not None
        with self._tx() as conn:
            for _ in range(100):
                if not given:
                    doc["id"] = new_id()
                row = _row(table, doc)
                if _run(conn, self._q.insert, row).rowcount == 1:
                    self._remember(table, row["id"], _as_stored(doc), mine=True)
                    return doc
                self._forget(table)  # another transaction got there first: read afresh
                existing = self._get(conn, table, row["id"])
                if existing is not None:
                    if given:
                        raise Conflict(table, existing)
                    continue  # a generated id that is taken: draw another
                if row["key"] is not None:
                    existing = self._by_key(conn, table, row["key"])
                    if existing is not None:
                        raise Conflict(table, existing)
                # The record in the way was deleted meanwhile: try again.
        raise StoreError(f"{table}: could not insert {doc.get('id')!r}")

    def insert_new(self, table: str, docs: Sequence[Doc]) -> list[Doc | None]:
        """``INSERT … ON CONFLICT DO NOTHING RETURNING id`` for all of them at once, instead
        of a round trip each; a record not inserted is looked at once more on its own (a
        taken key: None; a drawn id that clashed: drawn again)."""
        prepared = []
        for d in docs:
            d = copy.deepcopy(dict(d))
            given = d.get("id") is not None
            if not given:
                d["id"] = new_id()
            prepared.append((d, given))
        if not prepared:
            return []
        out: list[Doc | None] = []
        # In the thread's transaction (so the look-ups below share it), opening one if
        # there is none; never a savepoint of its own.
        inside = getattr(self._local, "conn", None) is not None
        with contextlib.nullcontext() if inside else self.atomic(), self._tx() as conn:
            rows = [_row(table, d) for d, _ in prepared]
            # One executemany: SQLAlchemy's "insertmanyvalues" sends them a page of
            # VALUES at a time with one compiled statement (not one round trip each).
            stmt = self._insert.on_conflict_do_nothing().returning(self.records.c.id)
            done = {r[0] for r in _run(conn, stmt, rows)}
            for (doc, given), row in zip(prepared, rows, strict=True):
                if row["id"] in done:
                    self._remember(table, row["id"], _as_stored(doc), mine=True)
                    out.append(doc)
                    continue
                try:  # one at a time, as ``insert`` tells a taken key from a taken id
                    out.append(self.insert(table, doc if given else {**doc, "id": None}))
                except Conflict:
                    out.append(None)
        return out

    def upsert(
        self, table: str, key: str, changes: Mapping[str, Any], new: Mapping[str, Any]
    ) -> Doc:
        """On PostgreSQL one ``INSERT … ON CONFLICT (tbl, key) DO UPDATE … RETURNING``: no
        read first and no savepoint inside an enclosing transaction."""
        if not self.pg or table == OUTBOX or "key" in changes or "id" in changes:
            return super().upsert(table, key, changes, new)
        doc = copy.deepcopy({**new, **changes, "key": key})
        doc["id"] = new_id()
        with self._tx() as conn:
            params = {**_row(table, doc), "changes": dict(changes)}
            stored = _run(conn, self._q.upsert, params).scalar_one()
            self._remember(table, str(stored["id"]), stored, mine=True)
        return copy_json(stored)

    def prefetch(self, wanted: Iterable[tuple[str, str]]) -> None:
        """One SELECT for several records by (table, key), kept with what the atomic
        block has seen: its later look-ups of them (found or not) cost no round trip."""
        seen = self._seen()
        if seen is None:
            return
        todo = list(dict.fromkeys(w for w in wanted if w not in seen.keys))
        if not todo:
            return
        params = {}
        for i, (table, key) in enumerate(todo):
            params[f"t{i}"], params[f"k{i}"] = table, key
        with self._tx(write=False) as conn:
            rows = conn.execute(self._q.prefetch(len(todo)), params).all()
        for table, doc in rows:
            self._remember(table, str(doc.get("id")), doc)
        for table, key in todo:
            seen.keys.setdefault((table, key), None)

    def analyze(self) -> None:
        """Refresh the query planner's statistics (PostgreSQL ``ANALYZE``, SQLite
        ``ANALYZE``). Autovacuum does it by itself a minute or so after a bulk load; until
        then a planner that believes a table is small scans all of it instead of using the
        document index (hundreds of ms for a look-up of many members). ``rapport db copy``
        calls this after copying."""
        with self._turn, self.engine.connect() as conn:
            _no_timeouts(conn)
            conn.exec_driver_sql("ANALYZE records" if self.pg else "ANALYZE")
            conn.commit()

    def insert_many(self, table: str, docs: Iterable[Doc]) -> int:
        """Bulk-insert records (ids kept, or drawn); for copying into an empty store.

        Unlike ``insert`` a clash is not told apart: it raises ``StoreError`` and, on
        PostgreSQL, spoils the enclosing transaction.
        """
        rows = []
        for d in docs:
            d = copy.deepcopy(dict(d))
            if d.get("id") is None:
                d["id"] = new_id(10)
            rows.append(_row(table, d))
        if not rows:
            return 0
        self._forget(table)
        with self._tx() as conn:
            try:
                for i in range(0, len(rows), _BATCH):
                    _run(conn, sa.insert(self.records), rows[i : i + _BATCH])
            except sa.exc.IntegrityError as e:
                raise StoreError(f"{table}: a record's id or key is already taken ({e.orig})")
        return len(rows)

    def get(self, table: str, id: str) -> Doc | None:
        seen = self._seen()
        if seen is not None and (table, str(id)) in seen.ids:
            return copy_json(seen.ids[(table, str(id))])
        with self._tx(write=False) as conn:
            doc = self._get(conn, table, id)
        self._remember(table, str(id), doc)
        return copy_json(doc) if seen is not None else doc

    # -- what a transaction has read and written (``atomic``) ------------------
    #
    # Inside ``atomic()`` a record read by id or key is not read again (handlers ask
    # for the same community or settings several times per command), and a record
    # this transaction wrote (so holds the lock of) is updated without reading it
    # first. Only this transaction's own view: at READ COMMITTED a record read once
    # reads the same until it is written (repeatable, as a snapshot would), and every
    # conditional write (``expect``) still reads the row it changes, locked.

    def _seen(self) -> _Seen | None:
        return getattr(self._local, "seen", None)

    def _remember(self, table: str, id: str, doc: Doc | None, *, mine: bool = False) -> None:
        seen = self._seen()
        if seen is None:
            return
        old = seen.ids.get((table, id))
        if old is not None and _key(old) is not None:
            seen.keys.pop((table, _key(old)), None)
        seen.ids[(table, id)] = doc
        if doc is not None and _key(doc) is not None:
            seen.keys[(table, _key(doc))] = doc
        if mine:
            seen.mine.add((table, id))

    def _forget(self, table: str) -> None:
        seen = self._seen()
        if seen is not None:
            seen.ids = {k: v for k, v in seen.ids.items() if k[0] != table}
            seen.keys = {k: v for k, v in seen.keys.items() if k[0] != table}
            seen.mine = {k for k in seen.mine if k[0] != table}

    def _find_seen(self, table: str, where: Where, limit: int | None) -> list[Doc] | None:
        """``find`` by a single id or key inside a transaction, from or into what it
        has seen; None when that does not apply."""
        seen = self._seen()
        if seen is None or len(where) != 1 or (limit is not None and limit < 0):
            return None
        ((field, wanted),) = where.items()
        if field not in ("id", "key") or not isinstance(wanted, str):
            return None
        if field == "id":
            doc = self.get(table, wanted)
        else:
            if (table, wanted) in seen.keys:
                doc = seen.keys[(table, wanted)]
            else:
                with self._tx(write=False) as conn:
                    doc = self._by_key(conn, table, wanted)
                if doc is None:
                    seen.keys[(table, wanted)] = None
                else:
                    self._remember(table, str(doc.get("id")), doc)
            doc = copy_json(doc)
        found = [doc] if doc is not None and matches(doc, where) else []
        return found[:limit] if limit is not None else found

    def _get(self, conn: sa.Connection, table: str, id: str, *, lock: bool = False) -> Doc | None:
        q = self._q.get_locked if lock and self.pg else self._q.get
        return conn.execute(q, {"t": table, "i": str(id)}).scalar_one_or_none()

    def _by_key(self, conn: sa.Connection, table: str, key: str) -> Doc | None:
        return conn.execute(self._q.by_key, {"t": table, "k": key}).scalar_one_or_none()

    def update(
        self, table: str, id: str, changes: Mapping[str, Any], *, expect: Where | None = None
    ) -> Doc | None:
        r = self.records
        with self._tx() as conn:
            seen = self._seen()
            if seen is not None and (table, str(id)) in seen.mine:
                current = seen.ids.get((table, str(id)))  # written here: ours, locked
            elif self.pg and not expect and "key" not in changes and "id" not in changes:
                return self._merge(conn, table, str(id), changes)
            else:
                current = self._get(conn, table, id, lock=True)
            if current is None or not matches(current, expect):
                return None
            new = {**current, **copy.deepcopy(dict(changes)), "id": current.get("id", id)}
            row = _row(table, new)
            old_key = _key(current)
            stmt = (
                sa.update(r)
                .where(r.c.tbl == table, r.c.id == str(id))
                .values({k: v for k, v in row.items() if k not in ("tbl", "id")})
            )
            if row["key"] is None or row["key"] == old_key:
                _run(conn, stmt)
                self._remember(table, str(id), _as_stored(new), mine=True)
                return new
            holder = self._by_key(conn, table, row["key"])
            if holder is not None:
                raise Conflict(table, holder)
            try:
                with conn.begin_nested():  # a racing insert may take the key first
                    _run(conn, stmt)
            except sa.exc.IntegrityError:
                holder = self._by_key(conn, table, row["key"])
                if holder is None:
                    raise
                raise Conflict(table, holder)
            self._remember(table, str(id), _as_stored(new), mine=True)
            return new

    def _merge(
        self, conn: sa.Connection, table: str, id: str, changes: Mapping[str, Any]
    ) -> Doc | None:
        """An unconditional update that keeps the key, in one statement: the server
        merges ``changes`` into the record (``doc || changes``, as ``{**doc, **changes}``)
        and returns it, instead of a locked read and then a write."""
        r = self.records
        values: dict[str, Any] = {
            "doc": r.c.doc.op("||")(sa.bindparam("changes", dict(changes), type_=r.c.doc.type))
        }
        if table == OUTBOX:  # the promoted columns, from the new values that set them
            if "state" in changes:
                state = changes["state"]
                values["state"] = state if isinstance(state, str) else None
            for field in ("due", "lease_until"):
                if field in changes:
                    values[field] = str(changes[field])
        stmt = sa.update(r).where(r.c.tbl == table, r.c.id == id).values(values).returning(r.c.doc)
        new = _run(conn, stmt).scalar_one_or_none()
        if new is not None:
            self._remember(table, id, copy_json(new), mine=True)
        return new

    def delete(self, table: str, id: str) -> bool:
        r = self.records
        with self._tx() as conn:
            stmt = sa.delete(r).where(r.c.tbl == table, r.c.id == str(id))
            gone = conn.execute(stmt).rowcount > 0
        self._forget(table)
        return gone

    def find(
        self,
        table: str,
        where: Where | None = None,
        *,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> list[Doc]:
        if where:
            known = self._find_seen(table, where, limit)
            if known is not None:
                return known
        r = self.records
        clauses, exact = self._where(where)
        q = sa.select(r.c.doc).where(r.c.tbl == table, *clauses)
        in_python = False
        if order_by is not None:
            keys = self._order(order_by)
            if keys is None:
                in_python = True
            else:
                q = q.order_by(*keys)
        q = q.order_by(self._seq)
        if exact and not in_python and limit is not None and limit >= 0:
            q = q.limit(limit)
        with self._tx(write=False) as conn:
            test = matcher(where)
            found = [d for d in conn.execute(q).scalars() if test(d)]
        if in_python:
            found.sort(key=lambda d: _sort_key(d.get(order_by)))
        return found[:limit] if limit is not None else found

    def count(self, table: str, where: Where | None = None) -> int:
        r = self.records
        clauses, exact = self._where(where)
        if not exact:
            return len(self.find(table, where))
        q = sa.select(sa.func.count()).select_from(r).where(r.c.tbl == table, *clauses)
        with self._tx(write=False) as conn:
            return int(conn.execute(q).scalar_one())

    def iter_all(self, table: str) -> Iterator[Doc]:
        """Every record of ``table`` in insertion order, read in batches."""
        r = self.records
        last = None
        while True:
            q = sa.select(self._seq, r.c.doc).where(r.c.tbl == table)
            if last is not None:
                q = q.where(self._seq > last)
            q = q.order_by(self._seq).limit(_BATCH)
            with self._tx(write=False) as conn:
                rows = conn.execute(q).all()
            for row in rows:
                yield row[1]
            if len(rows) < _BATCH:
                return
            last = rows[-1][0]

    def tables(self) -> list[str]:
        # A skip scan over the primary key: one index probe per table, not per record.
        q = sa.text(
            "WITH RECURSIVE t(tbl) AS ("
            " SELECT min(tbl) FROM records"
            " UNION ALL"
            " SELECT (SELECT min(r.tbl) FROM records r WHERE r.tbl > t.tbl)"
            " FROM t WHERE t.tbl IS NOT NULL"
            ") SELECT tbl FROM t WHERE tbl IS NOT NULL"
        )
        with self._tx(write=False) as conn:
            return sorted(conn.execute(q).scalars())

    def claim_due(
        self, now: str, limit: int, worker: str, lease_until: str, *, skip: tuple[str, ...] = ()
    ) -> list[Doc]:
        r = self.records
        self._forget(OUTBOX)
        with self._tx() as conn:
            if limit <= 0:
                return []
            # The oldest due pending items, and the oldest due items whose lease ran
            # out, each locked (skipping rows another worker holds); then the oldest
            # of both. Rows locked but not taken are free again at commit.
            base = sa.select(r.c.id, r.c.due, r.c.doc).where(r.c.tbl == OUTBOX)
            for prefix in skip:
                base = base.where(sa.not_(r.c.key.startswith(prefix, autoescape=True)))
            pending = base.where(_PENDING, r.c.due <= now)
            leased = base.where(_LEASED, r.c.lease_until <= now)
            found = []
            for q in (pending, leased):
                q = q.order_by(r.c.due, r.c.id).limit(limit)
                if self.pg:
                    q = q.with_for_update(skip_locked=True)
                found += conn.execute(q).all()
            found.sort(key=lambda row: (row.due, row.id))
            taken: list[Doc] = []
            params = []
            for row in found[:limit]:
                new = {**row.doc, "state": "claimed", "worker": worker, "lease_until": lease_until}
                new["was"] = row.doc.get("state")
                values = _row(OUTBOX, new)
                params.append({f"b_{k}": v for k, v in values.items()})
                taken.append(new)
            if params:
                stmt = (
                    sa.update(r)
                    .where(r.c.tbl == sa.bindparam("b_tbl"), r.c.id == sa.bindparam("b_id"))
                    .values(
                        key=sa.bindparam("b_key"),
                        state=sa.bindparam("b_state"),
                        due=sa.bindparam("b_due"),
                        lease_until=sa.bindparam("b_lease_until"),
                        doc=sa.bindparam("b_doc", type_=r.c.doc.type),
                    )
                )
                _run(conn, stmt, params)
            return taken

    def schema_version(self) -> int:
        m = self.meta
        q = sa.select(m.c.value).where(m.c.name == SCHEMA_VERSION_NAME)
        with self._tx(write=False) as conn:
            value = conn.execute(q).scalar_one_or_none()
        return int(value) if value is not None else 0

    def set_schema_version(self, version: int) -> None:
        m = self.meta
        ins = (postgresql.insert if self.pg else sqlite.insert)(m).values(
            name=SCHEMA_VERSION_NAME, value=str(int(version))
        )
        stmt = ins.on_conflict_do_update(
            index_elements=[m.c.name], set_={"value": ins.excluded.value}
        )
        with self._tx() as conn:
            conn.execute(stmt)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.engine.dispose()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the store is closed")

    # -- where and order_by in SQL -------------------------------------------

    def _where(self, where: Where | None) -> tuple[list[Any], bool]:
        """SQL conditions that every match meets (and only matches, if ``exact``)."""
        r = self.records
        clauses: list[Any] = []
        exact = True
        for field, wanted in (where or {}).items():
            options = list(wanted) if isinstance(wanted, _MANY) else [wanted]
            if not options:
                clauses.append(sa.false())
                continue
            if field in ("id", "key") and all(isinstance(o, str) for o in options):
                col = r.c.id if field == "id" else r.c.key
                if len(options) == 1:
                    clauses.append(col == options[0])
                elif self.pg:  # one array parameter: one statement however many there are
                    clauses.append(col == sa.any_(_text_array(options)))
                else:
                    clauses.append(col.in_(options))
                if field == "key":
                    # The key column holds the key as text: a key that isn't text (5 for
                    # "5") is told apart by checking the rows found, not in SQL.
                    exact = False
                continue
            if (
                self.pg
                and field in MEMBER_FIELDS
                and len(options) > 1
                and all(isinstance(o, str) for o in options)
            ):
                # Equal to one of them, or a list holding one: ``?|`` on the field's own
                # index. (It also holds for an object with such a key, which ``matches``
                # then leaves out: not exact.)
                member = r.c.doc.op("->")(sa.literal_column(f"'{field}'"))
                clauses.append(member.op("?|")(_text_array(options)))
                exact = False
                continue
            parts = [self._one(field, w) for w in options]
            if any(p is None for p, _ in parts):
                exact = False  # some option SQL can't narrow: no condition on this field
                continue
            exact = exact and all(e for _, e in parts)
            clauses.append(parts[0][0] if len(parts) == 1 else sa.or_(*(p for p, _ in parts)))
        return clauses, exact

    def _one(self, field: str, w: Any) -> tuple[Any, bool]:
        """A condition for "``field`` matches ``w``" (``store.base.matches``): it holds
        for every match, and ``exact`` says it holds for nothing else. (None, False)
        when SQL can't narrow it down."""
        scalar = w is None or isinstance(w, (str, bool, int)) or _finite(w)
        doc = self.records.c.doc
        if self.pg:
            if not scalar and not _json_container(w):
                return None, False
            # Equal, or a list holding it. For a dict or list ``w`` containment is
            # looser than equality, so the rows found are still checked.
            either = sa.or_(doc.contains({field: w}), doc.contains({field: [w]}))
            if w is None:
                return sa.or_(either, ~doc.has_key(field)), True
            return either, scalar
        path = _path(field)
        if path is None or not scalar:
            return None, False
        kind = sa.func.json_type(doc, path)
        value = sa.func.json_extract(doc, path)
        each = sa.func.json_each(doc, path).table_valued("value", "type").alias("je")
        if w is None:
            same, item = sa.or_(kind.is_(None), kind == "null"), each.c.type == "null"
        elif isinstance(w, bool):
            same = kind == ("true" if w else "false")
            item = each.c.type == ("true" if w else "false")
        elif isinstance(w, str):
            same = sa.and_(kind == "text", value == w)
            item = sa.and_(each.c.type == "text", each.c.value == w)
        else:
            same = sa.and_(kind.in_(["integer", "real"]), value == w)
            item = sa.and_(each.c.type.in_(["integer", "real"]), each.c.value == w)
        in_list = sa.and_(kind == "array", sa.exists().select_from(each).where(item))
        return sa.or_(same, in_list), True

    def _order(self, field: str) -> list[Any] | None:
        """Sort keys for ``field`` like Python's: missing/None first, then by value."""
        doc = self.records.c.doc
        if not self.pg:
            path = _path(field)
            # NULL (missing, null) first; numbers (booleans as 0/1); text by code point.
            return None if path is None else [sa.func.json_extract(doc, path)]
        v = doc[field]
        kind = sa.func.jsonb_typeof(v)
        rank = sa.case(
            (v.is_(None), 0),
            (kind == "null", 0),
            (kind.in_(["number", "boolean"]), 1),
            (kind == "string", 2),
            else_=3,
        )
        number = sa.case(
            (kind == "number", sa.cast(v, sa.Numeric)),
            (kind == "boolean", sa.cast(sa.cast(v, sa.Boolean), sa.Integer)),
        )
        text = sa.case((kind == "string", doc[field].astext.collate("C")))
        other = sa.case((kind.in_(["array", "object"]), v))
        return [rank, number, text, other]


# -- helpers -------------------------------------------------------------------


class _Statements:
    """The statements of the hot paths, built once with bound parameters: building a
    statement anew for each call (and computing its cache key) cost more Python time
    than the round trip it makes."""

    def __init__(self, r: sa.Table, insert: Any) -> None:
        t, i, k = sa.bindparam("t"), sa.bindparam("i"), sa.bindparam("k")
        self.insert = insert.on_conflict_do_nothing()
        self.get = sa.select(r.c.doc).where(r.c.tbl == t, r.c.id == i)
        self.get_locked = self.get.with_for_update()
        self.by_key = sa.select(r.c.doc).where(r.c.tbl == t, r.c.key == k)
        self.upsert = (  # PostgreSQL's (``SQLStore.upsert``)
            postgresql.insert(r)
            .on_conflict_do_update(
                index_elements=[r.c.tbl, r.c.key],
                set_={"doc": r.c.doc.op("||")(sa.bindparam("changes", type_=r.c.doc.type))},
            )
            .returning(r.c.doc)
        )
        self._records = r
        self._prefetch: dict[int, Any] = {}

    def prefetch(self, n: int) -> Any:
        """Records by ``n`` (table, key) pairs, bound as ``t0``/``k0``…: ``(tbl = … AND
        key = …) OR …``, each pair an index look-up on both backends (SQLite scans the
        whole table for a row-value IN)."""
        q = self._prefetch.get(n)
        if q is None:
            r = self._records
            pairs = [
                sa.and_(r.c.tbl == sa.bindparam(f"t{j}"), r.c.key == sa.bindparam(f"k{j}"))
                for j in range(n)
            ]
            q = sa.select(r.c.tbl, r.c.doc).where(sa.or_(*pairs))
            if n <= 16:  # the usual few (a member's and a community's settings)
                self._prefetch[n] = q
        return q


class _Seen:
    """Records a transaction has read or written, by (table, id) and (table, key);
    None: known not to exist. ``mine``: written by it (so locked by it)."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], Doc | None] = {}
        self.keys: dict[tuple[str, str], Doc | None] = {}
        self.mine: set[tuple[str, str]] = set()


def _text_array(texts: list[Any]) -> Any:
    """Texts as one PostgreSQL ``text[]`` parameter (the statement is the same however
    many there are, so it is prepared once)."""
    return sa.bindparam(None, texts, type_=postgresql.ARRAY(sa.Text))


def _key(doc: Mapping[str, Any]) -> str | None:
    key = doc.get("key")
    return None if key is None else str(key)


def _row(table: str, doc: Doc) -> dict[str, Any]:
    """The columns of a record: outbox items also get their promoted fields."""
    row = {"tbl": table, "id": str(doc["id"]), "key": _key(doc), "doc": doc}
    if table == OUTBOX:
        state = doc.get("state")
        row["state"] = state if isinstance(state, str) else None
        row["due"] = str(doc.get("due", ""))  # as TinyDBStore orders them
        row["lease_until"] = str(doc.get("lease_until", ""))
    else:
        row["state"] = row["due"] = row["lease_until"] = None
    return row


def _run(conn: sa.Connection, stmt: Any, params: Any = None) -> sa.CursorResult[Any]:
    """Execute a write; a value that can't be stored as JSON (refused before anything
    reaches the database, so an enclosing transaction goes on) is a ``StoreError``."""
    try:
        return conn.execute(stmt, params)
    except sa.exc.StatementError as e:
        if isinstance(e.orig, (TypeError, ValueError)):  # before it reached the database
            raise StoreError(f"cannot store this: {e.orig}") from e
        raise
    except (TypeError, ValueError) as e:  # UnicodeEncodeError: a lone surrogate
        raise StoreError(f"cannot store this: {e}") from e


def _as_stored(doc: Doc) -> Doc:
    """A record as it reads back from the database (tuples become lists…)."""
    return json.loads(_dumps(doc))


def _finite(w: Any) -> bool:
    return isinstance(w, float) and math.isfinite(w)


def _json_container(w: Any) -> bool:
    """A dict or list for which ``@>`` finds every equal value.

    Python's ``==`` inside containers takes ``True`` for ``1`` and ``False`` for ``0``
    (JSON does not), so containers holding a bool, 0 or 1 are not narrowed in SQL.
    """
    return isinstance(w, (dict, list)) and _plain(w)


def _plain(w: Any) -> bool:
    if w is None or isinstance(w, str):
        return True
    if isinstance(w, bool):
        return False
    if isinstance(w, (int, float)):
        return math.isfinite(w) and w not in (0, 1)
    if isinstance(w, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in w.items())
    if isinstance(w, list):
        return all(_plain(v) for v in w)
    return False


def _path(field: str) -> str | None:
    """A SQLite JSON path naming ``field`` (None if it can't be quoted)."""
    if '"' in field or "\\" in field:
        return None
    return f'$."{field}"'


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, value)
