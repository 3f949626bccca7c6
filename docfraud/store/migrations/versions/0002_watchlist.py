"""The stop-list: lost, stolen and known-fraudulent documents (``docfraud watchlist import``).

The unique constraint's leading columns (issuing_state, document_number) also serve lookups, so
the table has no separate index on them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-06-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "watchlist",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("issuing_state", sa.String(length=3), nullable=False),
        sa.Column("document_number", sa.String(length=40), nullable=False),
        sa.Column("portrait_hash", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist")),
        sa.UniqueConstraint(
            "issuing_state",
            "document_number",
            "source",
            name=op.f("uq_watchlist_issuing_state_document_number_source"),
        ),
    )


def downgrade() -> None:
    op.drop_table("watchlist")
