"""The ledger at scale: each view of it is one audit row naming the women it listed
(`audit_events.listed`), and an area's women are read in id order through an index.

Revision ID: 1ed9e2a90900
Revises: c15a0d1e7304
Create Date: 2026-12-06 09:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "1ed9e2a90900"
down_revision = "c15a0d1e7304"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new nullable column: the append-only triggers refuse UPDATE and DELETE, not this.
    op.add_column("audit_events", sa.Column("listed", sa.Text(), nullable=True))
    op.create_index("ix_women_area_id", "women", ["area_code", "id"])


def downgrade() -> None:
    op.drop_index("ix_women_area_id", table_name="women")
    # Not a batch step: rebuilding a SQLite table would drop its append-only triggers.
    op.drop_column("audit_events", "listed")
