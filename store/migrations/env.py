"""Alembic environment for the SQL store (``store.sql_store``).

Run programmatically by ``store.sql_store.upgrade(url)``, which passes its own
connection in ``config.attributes["connection"]`` (search_path already set) and the
PostgreSQL schema in ``config.attributes["schema"]``. It also works from the alembic
command line with ``-x url=… -x schema=…`` (or ``sqlalchemy.url`` in an ini file).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

config = context.config


def _schema() -> str | None:
    return config.attributes.get("schema") or context.get_x_argument(as_dictionary=True).get(
        "schema"
    )


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )


def _configure(connection: sa.Connection | None = None, **kw: object) -> None:
    schema = _schema()
    context.configure(
        connection=connection,
        target_metadata=None,
        version_table_schema=schema if schema else None,
        transaction_per_migration=False,
        transactional_ddl=True,  # SQLite too: all of a migration, or none of it
        **kw,
    )


def run_migrations_offline() -> None:
    """Emit the SQL to a script (``alembic upgrade head --sql``)."""
    _configure(url=_url(), literal_binds=True)
    schema = _schema()
    with context.begin_transaction():
        if schema:  # what SQLStore does on connecting
            context.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            context.execute(f'SET search_path TO "{schema}"')
        context.run_migrations()


def _run(connection: sa.Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Several processes may open the store at once: one migrates, the rest wait.
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                {"k": f"rapport-migrate:{_schema() or ''}"},
            )
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from store.sql_store import make_engine

    engine = make_engine(_url(), schema=_schema())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
