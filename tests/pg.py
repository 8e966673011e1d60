"""PostgreSQL for tests: connect or skip (or, in CI, fail), and a fresh schema per test.

Import the fixtures into a test module (``from tests.pg import pg_url, pg_schema``).
The server is ``RAPPORT_TEST_DATABASE_URL`` (default: the local one, trust auth).
Without a server the tests skip with the reason, except when ``CI=true``, where a
missing database is an error rather than a silent pass.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache

import pytest

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


def database_url() -> str:
    return os.environ.get("RAPPORT_TEST_DATABASE_URL") or DEFAULT_URL


def libpq_url(url: str) -> str:
    """The URL for psycopg itself (no SQLAlchemy driver suffix, no ``schema=``)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    u = u.set(drivername="postgresql").difference_update_query(["schema"])
    return u.render_as_string(hide_password=False)


@cache
def unavailable() -> str | None:
    """Why the test database can't be used (None when it can)."""
    import psycopg

    url = database_url()
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as e:  # any failure to connect means: no database here
        shown = url.split("@")[-1]
        detail = " ".join(str(e).split())  # psycopg errors span several lines
        return f"PostgreSQL at {shown} is unreachable ({type(e).__name__}: {detail})"
    return None


def require_pg() -> str:
    """The database URL, or skip (fail when ``CI=true``) if it can't be reached."""
    reason = unavailable()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI needs it (set RAPPORT_TEST_DATABASE_URL)", pytrace=False)
        pytest.skip(f"{reason}; set RAPPORT_TEST_DATABASE_URL to run the PostgreSQL tests")
    return database_url()


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The test database's URL (the test is skipped or fails if it is unreachable)."""
    return require_pg()


def new_schema_name(prefix: str = "t") -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:10]}"


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def pg_schema(pg_url: str) -> Iterator[str]:
    """A new, unique schema name for this test; the schema is dropped afterwards.

    The store creates the schema on open (``SQLStore(pg_url, schema=pg_schema)``).
    """
    schema = new_schema_name()
    yield schema
    drop_schema(pg_url, schema)
