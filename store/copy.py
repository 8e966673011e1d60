"""Copy one store into another (``rapport db copy``): every table, every record.

Records keep their ids, keys and (per table) order; the destination also gets the
source's schema version. The copy is one atomic group: all of it, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from store.base import Doc, Store, StoreError

BATCH = 1000


def copy_store(
    src: Store, dst: Store, *, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every record of ``src`` into ``dst``, which must hold none; counts per table.

    ``progress(table, copied_so_far)`` is called after each batch, if given.
    """
    if dst.tables():
        raise StoreError(f"the destination already holds records ({', '.join(dst.tables())})")
    bulk = getattr(dst, "insert_many", None)  # SQLStore: one statement per batch
    counts: dict[str, int] = {}
    with dst.atomic():
        for table in src.tables():
            n = 0
            for batch in _batches(src.iter_all(table), BATCH):
                if bulk is not None:
                    bulk(table, batch)
                else:
                    for doc in batch:
                        dst.insert(table, doc)
                n += len(batch)
                if progress is not None:
                    progress(table, n)
            counts[table] = n
        dst.set_schema_version(src.schema_version())
    analyze = getattr(dst, "analyze", None)  # SQLStore: statistics for the rows just loaded
    if analyze is not None:
        analyze()
    return counts


def _batches(docs: Iterator[Doc], size: int) -> Iterator[list[Doc]]:
    batch: list[Doc] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
