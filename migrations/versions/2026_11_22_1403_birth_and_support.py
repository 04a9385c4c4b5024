"""Birth and her own support episode: babies, support episodes, plan items, contacts.

Revision ID: b7c1e5a0d403
Revises: 6b95c015b33a
Create Date: 2026-11-22 14:03:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b7c1e5a0d403"
down_revision = "6b95c015b33a"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("women") as batch:
        batch.add_column(
            sa.Column("mother_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "babies",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("woman_id", sa.Uuid(), sa.ForeignKey("women.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("born_at", NOW, nullable=False),
        sa.Column("location", sa.String(30), nullable=False),
        sa.Column("placement", sa.String(40), nullable=False),
        sa.Column("legal_basis", sa.String(60)),
        sa.Column("observe_until", sa.Date(), nullable=False),
        sa.Column("discharged_at", NOW),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
    )
    op.create_table(
        "support_episodes",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("woman_id", sa.Uuid(), sa.ForeignKey("women.id"), nullable=False, index=True),
        sa.Column("workflow_id", sa.String(120), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("opened_at", NOW, nullable=False),
        sa.Column("removal_on", sa.Date(), nullable=False),
        sa.Column("named_worker_id", sa.Uuid(), sa.ForeignKey("users.id"), index=True),
        sa.Column("heightened_risk_until", sa.Date(), nullable=False),
        sa.Column("last_contact_on", sa.Date()),
        sa.Column("next_contact_due", sa.Date(), nullable=False),
        sa.Column("missed_contacts", sa.Integer(), nullable=False),
        sa.Column("baby_home", sa.Boolean(), nullable=False),
        sa.Column("closed_at", NOW),
        sa.Column("closed_by", sa.Uuid(), sa.ForeignKey("users.id")),
        sa.Column("close_reason", sa.Text()),
        sa.Column("handover_to", sa.String(200)),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
        sa.UniqueConstraint("workflow_id", name="uq_support_episodes_workflow_id"),
    )
    op.create_table(
        "support_plan_items",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "episode_id",
            sa.Uuid(),
            sa.ForeignKey("support_episodes.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("respond_by", sa.Date()),
        sa.Column("outcome", sa.Text()),
        sa.Column("responded_at", NOW),
        sa.Column("created_at", NOW, nullable=False),
        sa.UniqueConstraint("episode_id", "item", name="uq_support_plan_items_episode_id"),
    )
    op.create_table(
        "support_contacts",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "episode_id",
            sa.Uuid(),
            sa.ForeignKey("support_episodes.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), sa.ForeignKey("users.id")),
        sa.Column("created_at", NOW, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("support_contacts")
    op.drop_table("support_plan_items")
    op.drop_table("support_episodes")
    op.drop_table("babies")
    with op.batch_alter_table("women") as batch:
        batch.drop_column("mother_only")
