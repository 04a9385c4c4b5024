"""Delivering notices: deliveries, contact requests, calendar feeds; acknowledgement of notices;
an email for organisations and a mobile for users.

Revision ID: 5d2a9c7e1f40
Revises: 6b95c015b33a
Create Date: 2026-11-22 14:01:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "5d2a9c7e1f40"
down_revision = "6b95c015b33a"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    _deliveries()
    _contact_requests()
    _calendar_feeds()
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledged_at", WHEN, nullable=True))
        batch_op.add_column(sa.Column("acknowledged_by", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("ack_due_at", WHEN, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_notices_acknowledged_by_users"), "users", ["acknowledged_by"], ["id"]
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mobile", sa.String(length=20), nullable=True))


def _deliveries() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("notice_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_ref", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("next_attempt_at", WHEN, nullable=True),
        sa.Column("claimed_at", WHEN, nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.Column("delivered_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_deliveries_notice_id_notices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("notice_id", "channel", name=op.f("uq_deliveries_notice_id_channel")),
        sa.UniqueConstraint("provider_ref", name=op.f("uq_deliveries_provider_ref")),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deliveries_notice_id"), ["notice_id"])
        batch_op.create_index(batch_op.f("ix_deliveries_status"), ["status"])
        batch_op.create_index(batch_op.f("ix_deliveries_next_attempt_at"), ["next_attempt_at"])


def _contact_requests() -> None:
    op.create_table(
        "contact_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("received_at", WHEN, nullable=False),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("taken_by", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("responded_at", WHEN, nullable=True),
        sa.Column("responded_by", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["woman_id"], ["women.id"], name=op.f("fk_contact_requests_woman_id_women")
        ),
        sa.ForeignKeyConstraint(
            ["taken_by"], ["users.id"], name=op.f("fk_contact_requests_taken_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["responded_by"], ["users.id"], name=op.f("fk_contact_requests_responded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_requests")),
        sa.UniqueConstraint("external_id", name=op.f("uq_contact_requests_external_id")),
    )
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_requests_woman_id"), ["woman_id"])
        batch_op.create_index(batch_op.f("ix_contact_requests_status"), ["status"])


def _calendar_feeds() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.Column("last_used_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_calendar_feeds_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feeds_user_id"), ["user_id"])


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("mobile")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("email")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_notices_acknowledged_by_users"), type_="foreignkey")
        batch_op.drop_column("ack_due_at")
        batch_op.drop_column("acknowledged_by")
        batch_op.drop_column("acknowledged_at")
    op.drop_table("calendar_feeds")
    op.drop_table("contact_requests")
    op.drop_table("deliveries")
