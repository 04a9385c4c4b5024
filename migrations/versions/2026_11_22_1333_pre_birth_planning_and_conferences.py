"""Pre-birth planning and conferences: deadlines, tasks, meetings, reports, documents, notices.

Revision ID: 6b95c015b33a
Revises: 394dd84a0983
Create Date: 2026-11-22 13:33:00.673966
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "6b95c015b33a"
down_revision = "394dd84a0983"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "conferences",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("statutory_latest", sa.Date(), nullable=True),
        sa.Column("quorate", sa.Boolean(), nullable=True),
        sa.Column("plan", sa.Boolean(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("areas_of_concern", sa.JSON(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["woman_id"], ["women.id"], name=op.f("fk_conferences_woman_id_women")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conferences")),
    )
    with op.batch_alter_table("conferences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conferences_woman_id"), ["woman_id"], unique=False)

    op.create_table(
        "deadlines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("deadline", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("escalation", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["woman_id"], ["women.id"], name=op.f("fk_deadlines_woman_id_women")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlines")),
        sa.UniqueConstraint("key", name=op.f("uq_deadlines_key")),
    )
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadlines_due"), ["due"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_woman_id"), ["woman_id"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["woman_id"], ["women.id"], name=op.f("fk_documents_woman_id_women")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("key", name=op.f("uq_documents_key")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_woman_id"), ["woman_id"], unique=False)

    op.create_table(
        "meetings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("conference_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("venue", sa.JSON(), nullable=True),
        sa.Column("travel_support", sa.Boolean(), nullable=False),
        sa.Column("short_notice", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("change_reason", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["woman_id"], ["women.id"], name=op.f("fk_meetings_woman_id_women")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meetings_conference_id"), ["conference_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meetings_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_woman_id"), ["woman_id"], unique=False)

    op.create_table(
        "notices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=True),
        sa.Column("recipient_kind", sa.String(length=20), nullable=False),
        sa.Column("recipient_user_id", sa.Uuid(), nullable=True),
        sa.Column("recipient_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_notices_recipient_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_user_id"], ["users.id"], name=op.f("fk_notices_recipient_user_id_users")
        ),
        sa.ForeignKeyConstraint(["woman_id"], ["women.id"], name=op.f("fk_notices_woman_id_women")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("key", name=op.f("uq_notices_key")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_send_at"), ["send_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_woman_id"), ["woman_id"], unique=False)

    op.create_table(
        "tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("assignee_user_id", sa.Uuid(), nullable=True),
        sa.Column("assignee_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_tasks_assignee_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["assignee_user_id"], ["users.id"], name=op.f("fk_tasks_assignee_user_id_users")
        ),
        sa.ForeignKeyConstraint(["woman_id"], ["women.id"], name=op.f("fk_tasks_woman_id_women")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("key", name=op.f("uq_tasks_key")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tasks_assignee_user_id"), ["assignee_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tasks_woman_id"), ["woman_id"], unique=False)

    op.create_table(
        "agency_reports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("conference_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("author_user_id", sa.Uuid(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_user_id"], ["users.id"], name=op.f("fk_agency_reports_author_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conferences.id"],
            name=op.f("fk_agency_reports_conference_id_conferences"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_agency_reports_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_reports")),
        sa.UniqueConstraint(
            "conference_id",
            "organisation_id",
            name=op.f("uq_agency_reports_conference_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("agency_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agency_reports_conference_id"), ["conference_id"], unique=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manager_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_users_manager_id_users"), "users", ["manager_id"], ["id"]
        )

    with op.batch_alter_table("women", schema=None) as batch_op:
        batch_op.add_column(sa.Column("coordinator_user_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_women_coordinator_user_id_users"),
            "users",
            ["coordinator_user_id"],
            ["id"],
        )


def downgrade() -> None:

    with op.batch_alter_table("women", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_women_coordinator_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("coordinator_user_id")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_manager_id_users"), type_="foreignkey")
        batch_op.drop_column("manager_id")

    with op.batch_alter_table("agency_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_reports_conference_id"))

    op.drop_table("agency_reports")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_woman_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_assignee_user_id"))

    op.drop_table("tasks")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_woman_id"))
        batch_op.drop_index(batch_op.f("ix_notices_send_at"))
        batch_op.drop_index(batch_op.f("ix_notices_meeting_id"))

    op.drop_table("notices")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_woman_id"))
        batch_op.drop_index(batch_op.f("ix_meetings_starts_at"))
        batch_op.drop_index(batch_op.f("ix_meetings_conference_id"))

    op.drop_table("meetings")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_woman_id"))

    op.drop_table("documents")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadlines_woman_id"))
        batch_op.drop_index(batch_op.f("ix_deadlines_due"))

    op.drop_table("deadlines")
    with op.batch_alter_table("conferences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conferences_woman_id"))

    op.drop_table("conferences")
