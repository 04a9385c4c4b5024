"""Breaches of the "no woman dropped" invariant, one open per woman and kind.

Revision ID: e3f8a1c90404
Revises: b7c1e5a0d403
Create Date: 2026-11-22 14:04:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e3f8a1c90404"
down_revision = "b7c1e5a0d403"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "breaches",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("woman_id", sa.Uuid(), sa.ForeignKey("women.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("detail", sa.String(300), nullable=False),
        sa.Column("raised_at", NOW, nullable=False),
        sa.Column("resolved_at", NOW),
        sa.Column("created_at", NOW, nullable=False),
    )
    op.create_index(
        "uq_breaches_one_open",
        "breaches",
        ["woman_id", "kind"],
        unique=True,
        sqlite_where=sa.text("resolved_at IS NULL"),
        postgresql_where=sa.text("resolved_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_breaches_one_open", table_name="breaches")
    op.drop_table("breaches")
