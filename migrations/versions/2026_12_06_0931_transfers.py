"""Moving between areas: a transfer of her record, asked and answered, each with its reason.

Revision ID: c15a0d1e7305
Revises: e19f0eed0b01
Create Date: 2026-12-06 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c15a0d1e7305"
down_revision = "e19f0eed0b01"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def _fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], name=op.f(f"fk_transfers_{column}_{table}")
    )


def upgrade() -> None:
    op.create_table(
        "transfers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("from_area", sa.String(64), nullable=False),
        sa.Column("from_team_id", sa.Uuid(), nullable=False),
        sa.Column("to_area", sa.String(64), nullable=False),
        sa.Column("to_team_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("answered_by", sa.Uuid(), nullable=True),
        sa.Column("answered_at", NOW, nullable=True),
        sa.Column("answer_reason", sa.Text(), nullable=True),
        sa.Column("read_until", NOW, nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        _fk("woman_id", "women"),
        _fk("from_team_id", "organisations"),
        _fk("to_team_id", "organisations"),
        _fk("requested_by", "users"),
        _fk("answered_by", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
    )
    for column in ("woman_id", "from_team_id", "to_area", "to_team_id"):
        op.create_index(op.f(f"ix_transfers_{column}"), "transfers", [column], unique=False)


def downgrade() -> None:
    op.drop_table("transfers")
