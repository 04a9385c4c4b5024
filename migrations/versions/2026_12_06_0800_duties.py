"""The duty register: one row per obligation owed to a woman, with indexes for "open and due
before T" by area and by owner.

Revision ID: d7a1c0de1206
Revises: c15a0d1e7302
Create Date: 2026-12-06 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d7a1c0de1206"
down_revision = "c15a0d1e7302"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)
INDEXES = {
    "ix_duties_open_area_due": ["status", "area_code", "due_at"],
    "ix_duties_open_owner_due": ["status", "owed_by_user_id", "due_at"],
    "ix_duties_open_team_due": ["status", "owed_by_organisation_id", "due_at"],
}


def upgrade() -> None:
    op.create_table(
        "duties",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("woman_id", sa.Uuid(), sa.ForeignKey("women.id"), nullable=False, index=True),
        sa.Column("area_code", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("owed_by_user_id", sa.Uuid(), sa.ForeignKey("users.id")),
        sa.Column("owed_by_organisation_id", sa.Uuid(), sa.ForeignKey("organisations.id")),
        sa.Column("opened_at", NOW, nullable=False),
        sa.Column("due_at", NOW, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("next_escalation_at", NOW),
        sa.Column("ended_at", NOW),
        sa.Column("met_by", sa.String(200)),
        sa.Column("waived_by", sa.Uuid(), sa.ForeignKey("users.id")),
        sa.Column("waive_reason", sa.Text()),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
    )
    for name, columns in INDEXES.items():
        op.create_index(name, "duties", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="duties")
    op.drop_table("duties")
