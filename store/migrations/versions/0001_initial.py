"""The first SQL schema: generic records, promoted outbox columns, meta.

Revision ID: 0001
Revises:
Create Date: 2026-05-09

``records`` holds every table's documents (``tbl``, ``id``, ``doc``). ``key`` is the
record's unique ``key`` field as text. ``state``, ``due`` and ``lease_until`` are
promoted from outbox documents (NULL in other tables) for ``claim_due``, with one
partial index per kind of claimable item. On PostgreSQL ``seq`` keeps insertion
order (SQLite uses its rowid) and text that is compared or ordered uses the "C"
collation (code-point order, as in Python).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    text = sa.Text(collation="C") if pg else sa.Text()
    columns: list[sa.Column] = [
        sa.Column("tbl", text, nullable=False),
        sa.Column("id", text, nullable=False),
    ]
    if pg:
        columns.append(sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False))
    columns += [
        sa.Column("key", text, nullable=True),
        sa.Column("state", text, nullable=True),
        sa.Column("due", text, nullable=True),
        sa.Column("lease_until", text, nullable=True),
        sa.Column("doc", postgresql.JSONB() if pg else sa.JSON(), nullable=False),
    ]
    op.create_table(
        "records",
        *columns,
        sa.PrimaryKeyConstraint("tbl", "id", name="pk_records"),
        sa.UniqueConstraint("tbl", "key", name="uq_records_key"),
    )
    if pg:
        op.create_index("ix_records_seq", "records", ["tbl", "seq"])
        op.create_index(
            "ix_records_doc",
            "records",
            ["doc"],
            postgresql_using="gin",
            postgresql_ops={"doc": "jsonb_path_ops"},
            # No pending list: it is scanned whole by every search until a vacuum
            # merges it, which made lookups ~10x slower after a burst of writes.
            postgresql_with={"fastupdate": "off"},
        )
    else:
        op.create_index("ix_records_tbl", "records", ["tbl"])  # (tbl, rowid): insertion order
    # claim_due: pending items by due, and claimed/sending ones whose lease ran out.
    # (Literal predicates: a partial index serves only queries that name them.)
    pending = sa.text("state = 'pending'")
    leased = sa.text("state IN ('claimed', 'sending')")
    op.create_index(
        "ix_records_pending",
        "records",
        ["due", "id"],
        postgresql_where=pending,
        sqlite_where=pending,
    )
    op.create_index(
        "ix_records_leased",
        "records",
        ["lease_until"],
        postgresql_where=leased,
        sqlite_where=leased,
    )
    op.create_table(
        "meta",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meta")
    op.drop_table("records")
