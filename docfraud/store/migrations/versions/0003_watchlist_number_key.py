"""Stop-list lookups read O and 0 as one character (``docfraud.store.numbers.number_key``): an
index on the issuing state and the stored number with O replaced by 0, which the lookup's
expression matches. The stored numbers stay as listed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_watchlist_issuing_state_number_key "
        "ON watchlist (issuing_state, replace(document_number, 'O', '0'))"
    )


def downgrade() -> None:
    op.drop_index("ix_watchlist_issuing_state_number_key", table_name="watchlist")
