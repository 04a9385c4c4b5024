"""Her view after a meeting: one optional feedback request per meeting, and her answer.

Revision ID: e19f0eed0b01
Revises: 1ed9e2a90900
Create Date: 2026-12-06 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e19f0eed0b01"
down_revision = "1ed9e2a90900"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_feedback",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("woman_id", sa.Uuid(), sa.ForeignKey("women.id"), nullable=False, index=True),
        sa.Column(
            "meeting_id", sa.Uuid(), sa.ForeignKey("meetings.id"), nullable=False, unique=True
        ),
        sa.Column("area_code", sa.String(40), nullable=False, index=True),
        sa.Column("token_hash", sa.String(64), unique=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("went", sa.String(20)),
        sa.Column("understood", sa.Boolean()),
        sa.Column("would_help", sa.Text()),
        sa.Column("via", sa.String(10)),
        sa.Column("reply_ref", sa.String(100), unique=True),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meeting_feedback")
