"""Persistence behind one small interface; TinyDB by default."""

from store.base import Conflict, Store, StoreError

__all__ = ["Conflict", "Store", "StoreError", "is_sql_url", "open_store"]

SQL_SCHEMES = ("postgresql:", "postgres:", "postgresql+psycopg:", "sqlite:")


def is_sql_url(target: str) -> bool:
    return target.startswith(SQL_SCHEMES)


def open_store(url_or_dir: str) -> Store:
    """Open the store a URL or a data directory names.

    ``postgresql://…`` and ``sqlite:///…`` open the SQL backend; a plain path (or
    ``tinydb:PATH``) is a TinyDB data directory.
    """
    if is_sql_url(url_or_dir):
        from store.sql_store import SQLStore

        return SQLStore(url_or_dir)
    from store.tinydb_store import TinyDBStore

    return TinyDBStore(url_or_dir.removeprefix("tinydb:"))
