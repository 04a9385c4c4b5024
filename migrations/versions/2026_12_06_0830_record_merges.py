"""Merging two records that are one woman: the merge on record, and the merged record's pointer
to the record that goes on.

Revision ID: c15a0d1e7303
Revises: c19a0d7e5f01
Create Date: 2026-12-06 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c15a0d1e7303"
down_revision = "c19a0d7e5f01"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("women") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.Uuid(), nullable=True))
        batch.create_index(batch.f("ix_women_merged_into_id"), ["merged_into_id"], unique=False)
    op.create_table(
        "record_merges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("surviving_woman_id", sa.Uuid(), nullable=False),
        sa.Column("merged_woman_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("merged_by", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("completed_at", NOW, nullable=True),
        sa.ForeignKeyConstraint(
            ["surviving_woman_id"],
            ["women.id"],
            name=op.f("fk_record_merges_surviving_woman_id_women"),
        ),
        sa.ForeignKeyConstraint(
            ["merged_woman_id"], ["women.id"], name=op.f("fk_record_merges_merged_woman_id_women")
        ),
        sa.ForeignKeyConstraint(
            ["merged_by"], ["users.id"], name=op.f("fk_record_merges_merged_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_merges")),
        sa.UniqueConstraint("merged_woman_id", name=op.f("uq_record_merges_merged_woman_id")),
    )
    op.create_index(
        op.f("ix_record_merges_surviving_woman_id"),
        "record_merges",
        ["surviving_woman_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("record_merges")
    with op.batch_alter_table("women") as batch:
        batch.drop_index(batch.f("ix_women_merged_into_id"))
        batch.drop_column("merged_into_id")
