"""Independent advocacy: advocate profiles, conflicts, offers to her, allocation states.

Revision ID: c4a9d2e61402
Revises: 6b95c015b33a
Create Date: 2026-11-22 14:02:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4a9d2e61402"
down_revision = "6b95c015b33a"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    _profiles()
    _conflicts()
    _offers()
    with op.batch_alter_table("advocate_allocations", schema=None) as batch_op:
        # Existing allocations were made by a person and are taken as accepted.
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="accepted")
        )
        batch_op.add_column(sa.Column("request_key", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("offered_at", NOW, nullable=True))
        batch_op.add_column(sa.Column("accept_by", NOW, nullable=True))
        batch_op.add_column(sa.Column("responded_at", NOW, nullable=True))
        batch_op.add_column(sa.Column("end_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("after_removal", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_advocate_allocations_request_key"), ["request_key"]
        )


def _profiles() -> None:
    op.create_table(
        "advocate_profiles",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("is_manager", sa.Boolean(), nullable=False),
        sa.Column("on_leave_from", sa.Date(), nullable=True),
        sa.Column("on_leave_until", sa.Date(), nullable=True),
        sa.Column("updated_at", NOW, nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_advocate_profiles_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_advocate_profiles")),
    )


def _conflicts() -> None:
    op.create_table(
        "advocate_conflicts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("advocate_user_id", sa.Uuid(), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["advocate_user_id"],
            ["users.id"],
            name=op.f("fk_advocate_conflicts_advocate_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_advocate_conflicts_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["woman_id"], ["women.id"], name=op.f("fk_advocate_conflicts_woman_id_women")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocate_conflicts")),
        sa.UniqueConstraint(
            "advocate_user_id",
            "woman_id",
            name=op.f("uq_advocate_conflicts_advocate_user_id_woman_id"),
        ),
    )
    with op.batch_alter_table("advocate_conflicts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advocate_conflicts_advocate_user_id"), ["advocate_user_id"]
        )
        batch_op.create_index(batch_op.f("ix_advocate_conflicts_woman_id"), ["woman_id"])


def _offers() -> None:
    op.create_table(
        "advocacy_offers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("offered_at", NOW, nullable=False),
        sa.Column("response", sa.String(length=20), nullable=False),
        sa.Column("responded_at", NOW, nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("responded_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_advocacy_offers_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["responded_by"], ["users.id"], name=op.f("fk_advocacy_offers_responded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["woman_id"], ["women.id"], name=op.f("fk_advocacy_offers_woman_id_women")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advocacy_offers")),
        sa.UniqueConstraint("key", name=op.f("uq_advocacy_offers_key")),
    )
    with op.batch_alter_table("advocacy_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_advocacy_offers_woman_id"), ["woman_id"])
        batch_op.create_index(
            "uq_advocacy_offers_one_pending",
            ["woman_id"],
            unique=True,
            sqlite_where=sa.text("response = 'pending'"),
            postgresql_where=sa.text("response = 'pending'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("advocate_allocations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_advocate_allocations_request_key"), type_="unique")
        for column in (
            "after_removal",
            "end_reason",
            "responded_at",
            "accept_by",
            "offered_at",
            "request_key",
            "status",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("advocacy_offers", schema=None) as batch_op:
        batch_op.drop_index("uq_advocacy_offers_one_pending")
        batch_op.drop_index(batch_op.f("ix_advocacy_offers_woman_id"))
    op.drop_table("advocacy_offers")
    with op.batch_alter_table("advocate_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advocate_conflicts_woman_id"))
        batch_op.drop_index(batch_op.f("ix_advocate_conflicts_advocate_user_id"))
    op.drop_table("advocate_conflicts")
    op.drop_table("advocate_profiles")
