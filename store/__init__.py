"""Persistence behind one small interface; TinyDB by default."""

from store.base import Conflict, Store, StoreError

__all__ = ["Conflict", "Store", "StoreError", "open_store"]


def open_store(url_or_dir: str) -> Store:
    """Open the store a URL or a data directory names.

    A plain path (or ``tinydb:PATH``) is a TinyDB data directory.
    """
    from store.tinydb_store import TinyDBStore

    path = url_or_dir.removeprefix("tinydb:")
    return TinyDBStore(path)
