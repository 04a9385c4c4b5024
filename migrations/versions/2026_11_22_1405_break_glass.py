"""Emergency (break-glass) access grants and their review.

Revision ID: e3f1a2b4c405
Revises: b7c1e5a0d403
Create Date: 2026-11-22 14:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e3f1a2b4c405"
down_revision = "b7c1e5a0d403"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "break_glass",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("area_code", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_at", NOW, nullable=False),
        sa.Column("expires_at", NOW, nullable=False),
        sa.Column("reviewed_at", NOW, nullable=True),
        sa.Column("reviewed_by", sa.Uuid(), nullable=True),
        sa.Column("review_outcome", sa.String(20), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_break_glass_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["woman_id"], ["women.id"], name=op.f("fk_break_glass_woman_id_women")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["users.id"], name=op.f("fk_break_glass_reviewed_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_glass")),
    )
    op.create_index("ix_break_glass_user_woman", "break_glass", ["user_id", "woman_id"])
    op.create_index(op.f("ix_break_glass_woman_id"), "break_glass", ["woman_id"])
    op.create_index(op.f("ix_break_glass_area_code"), "break_glass", ["area_code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_break_glass_area_code"), table_name="break_glass")
    op.drop_index(op.f("ix_break_glass_woman_id"), table_name="break_glass")
    op.drop_index("ix_break_glass_user_woman", table_name="break_glass")
    op.drop_table("break_glass")
