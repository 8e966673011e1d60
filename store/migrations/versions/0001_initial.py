"""The first SQL schema: generic records, a promoted outbox column, meta.

Revision ID: 0001
Revises:
Create Date: 2026-05-09

``records`` holds every table's documents (``tbl``, ``id``, ``doc``). ``key`` is the
record's unique ``key`` field as text; ``state`` and ``due_at`` are promoted from
outbox documents for ``claim_due`` (``due_at`` is when the item becomes claimable:
its ``due`` while pending, its ``lease_until`` while claimed or sending, else NULL).
On PostgreSQL ``seq`` keeps insertion order (SQLite uses its rowid) and text that is
compared or ordered uses the "C" collation (code-point order, as in Python).
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
        sa.Column("due_at", text, nullable=True),
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
        )
    else:
        op.create_index("ix_records_tbl", "records", ["tbl"])  # (tbl, rowid): insertion order
    op.create_index(
        "ix_records_due",
        "records",
        ["due_at", "id"],
        postgresql_where=sa.text("due_at IS NOT NULL"),
        sqlite_where=sa.text("due_at IS NOT NULL"),
    )
    op.create_table(
        "meta",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meta")
    op.drop_table("records")
