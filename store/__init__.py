"""Persistence behind one small interface; TinyDB by default."""

from __future__ import annotations

import re
from pathlib import Path

from store.base import (
    Conflict,
    Store,
    StoreConfigError,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreUnavailable,
)

__all__ = [
    "Conflict",
    "Store",
    "StoreConfigError",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StoreUnavailable",
    "check_database_url",
    "is_sql_url",
    "open_store",
]

SQL_SCHEMES = ("postgresql:", "postgres:", "postgresql+psycopg:", "sqlite:")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")
_EXAMPLES = "postgresql://USER@HOST:5432/DBNAME or sqlite:///PATH/rapport.db"


def is_sql_url(target: str) -> bool:
    return target.startswith(SQL_SCHEMES)


def check_database_url(url: str, *, memory: bool = False) -> str:
    """``url`` if rapport can use it as RAPPORT_DATABASE_URL, else ``StoreConfigError``
    with one line saying what is wrong and how to fix it.

    Accepted: ``postgresql://…/DBNAME`` (also ``postgres://``), ``postgresql+psycopg://…
    /DBNAME`` and ``sqlite:///PATH`` in a folder that exists (``sqlite://``, in memory,
    only when ``memory``).
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    given = url.strip()
    m = _SCHEME.match(given)
    if m is None:
        raise StoreConfigError(
            f"the database URL {given!r} is not a URL: use {_EXAMPLES} "
            "(or leave RAPPORT_DATABASE_URL unset to keep the data in a TinyDB folder)"
        )
    scheme = m.group(1).lower()
    backend, _, driver = scheme.partition("+")
    if backend in ("postgresql", "postgres") and driver not in ("", "psycopg"):
        raise StoreConfigError(
            f"the database URL uses the driver {driver!r}, which rapport does not ship: "
            "write postgresql://… (rapport uses psycopg 3)"
        )
    if backend not in ("postgresql", "postgres", "sqlite") or (backend == "sqlite" and driver):
        raise StoreConfigError(f"rapport cannot store its data in {scheme}://: use {_EXAMPLES}")
    try:
        u = make_url(given)
    except (ArgumentError, ValueError) as e:
        raise StoreConfigError(f"the database URL cannot be read ({e}): use {_EXAMPLES}") from e
    if backend != "sqlite":
        if not u.database:
            raise StoreConfigError(
                "the database URL names no database: add one at the end, "
                "postgresql://USER@HOST:5432/DBNAME"
            )
        return given
    if u.database in (None, "", ":memory:"):
        if memory:
            return given
        raise StoreConfigError(
            "sqlite:// keeps the data in memory only (lost on exit): "
            "name a file, sqlite:///PATH/rapport.db"
        )
    path = Path(u.database)
    if path.is_dir():
        raise StoreConfigError(
            f"the SQLite database {path} is a folder: name a file in it, "
            f"sqlite:///{path / 'rapport.db'}"
        )
    folder = path.parent
    if not folder.is_dir():
        raise StoreConfigError(
            f"the folder {folder} of the SQLite database does not exist: create it, "
            "or fix the path in the URL"
        )
    return given


def open_store(
    url_or_dir: str | None = None, *, url: str | None = None, data_dir: str | None = None
) -> Store:
    """Open the store a URL or a data directory names.

    ``open_store(url=RAPPORT_DATABASE_URL, data_dir=RAPPORT_DATA_DIR)``: the URL when
    it is set (checked strictly, ``check_database_url``), else the TinyDB data
    directory. ``open_store(target)``: ``postgresql://…`` and ``sqlite:///…`` open the
    SQL backend; anything else with ``scheme://`` is refused; a plain path (or
    ``tinydb:PATH``) is a TinyDB data directory. Errors: ``StoreConfigError`` (named
    wrongly), ``StoreUnavailable`` (can't be reached now), ``StoreLocked``,
    ``StoreCorrupt``; each a one-line message.
    """
    if url_or_dir is not None:
        if url is not None or data_dir is not None:
            raise TypeError("open_store: give a target, or url= and data_dir=, not both")
        target = url_or_dir.strip()
        if target.startswith("tinydb:"):
            data_dir = target.removeprefix("tinydb:")
        elif _SCHEME.match(target) or is_sql_url(target):
            url = check_database_url(target, memory=True)
        else:
            data_dir = target
    elif url is not None and url.strip():
        url = check_database_url(url)
    else:
        url = None
    if url:
        from store.sql_store import SQLStore

        return SQLStore(url)
    if not data_dir or not data_dir.strip():
        raise StoreConfigError(
            "no store configured: set RAPPORT_DATABASE_URL or RAPPORT_DATA_DIR (--data-dir)"
        )
    from store.tinydb_store import TinyDBStore

    return TinyDBStore(data_dir)
