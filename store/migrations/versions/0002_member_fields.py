"""Indexes for looking up the records of many members at once (PostgreSQL).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

Most records name a member in ``user`` (and a second one in ``other``: ties, avoid
lists). Searches ask for the records of dozens of members at once ("everyone these
36 people met"); through the ``doc`` index that is one containment test per member,
OR-ed, which PostgreSQL plans and runs as a bitmap of dozens of index scans. An
expression index on each field answers ``doc -> 'user' ?| ARRAY[…]`` (equal to one of
them, or a list holding one) in one scan. SQLite has no such index; nothing changes
there.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = ("user", "other")  # store.sql_store.MEMBER_FIELDS


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for field in FIELDS:
        op.execute(
            f"CREATE INDEX ix_records_doc_{field} ON records "
            f"USING gin ((doc -> '{field}')) WITH (fastupdate = off)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for field in FIELDS:
        op.execute(f"DROP INDEX ix_records_doc_{field}")
