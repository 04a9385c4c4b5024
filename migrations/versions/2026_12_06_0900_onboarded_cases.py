"""Cases brought in from an area's records: the area's own case id, once per area.

Revision ID: c15a0d1e7304
Revises: c15a0d1e7303
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c15a0d1e7304"
down_revision = "c15a0d1e7303"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "onboarded_cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("area_code", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["woman_id"], ["women.id"], name=op.f("fk_onboarded_cases_woman_id_women")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarded_cases")),
        sa.UniqueConstraint(
            "area_code", "case_id", name=op.f("uq_onboarded_cases_area_code_case_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("onboarded_cases")
