"""One woman, one record: the NHS/CHI numbers that claim a record (unique), and the queue of
referrals that may be for a woman already on record.

Existing records: each number is claimed by the earliest record that holds it.

Revision ID: c15a0d1e7301
Revises: 8b1f6d4e0c23
Create Date: 2026-12-06 07:30:00
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "c15a0d1e7301"
down_revision = "8b1f6d4e0c23"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    identifiers = op.create_table(
        "woman_identifiers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scheme", sa.String(10), nullable=False),
        sa.Column("number", sa.String(10), nullable=False),
        sa.Column("woman_id", sa.Uuid(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("area_code", sa.String(64), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_woman_identifiers")),
        sa.UniqueConstraint("scheme", "number", name=op.f("uq_woman_identifiers_scheme_number")),
    )
    op.create_index(
        op.f("ix_woman_identifiers_woman_id"), "woman_identifiers", ["woman_id"], unique=False
    )
    op.create_table(
        "possible_matches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("proposed_woman_id", sa.Uuid(), nullable=False),
        sa.Column("candidate_woman_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("basis", sa.String(40), nullable=False),
        sa.Column("referral", sa.JSON(), nullable=False),
        sa.Column("actor", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", NOW, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_woman_id"],
            ["women.id"],
            name=op.f("fk_possible_matches_candidate_woman_id_women"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["organisations.id"],
            name=op.f("fk_possible_matches_team_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_possible_matches_decided_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_possible_matches")),
        sa.UniqueConstraint("referral_id", name=op.f("uq_possible_matches_referral_id")),
    )
    for column in ("candidate_woman_id", "team_id"):
        op.create_index(
            op.f(f"ix_possible_matches_{column}"), "possible_matches", [column], unique=False
        )
    _claim_existing_numbers(identifiers)


def _claim_existing_numbers(identifiers: sa.Table) -> None:
    women = sa.table(
        "women",
        sa.column("id", sa.Uuid()),
        sa.column("nhs_number", sa.String()),
        sa.column("chi_number", sa.String()),
        sa.column("date_of_birth", sa.Date()),
        sa.column("area_code", sa.String()),
        sa.column("created_at", NOW),
    )
    rows = op.get_bind().execute(sa.select(women).order_by(women.c.created_at, women.c.id))
    claimed: dict[tuple[str, str], dict[str, object]] = {}
    for row in rows:
        for scheme, number in (("nhs", row.nhs_number), ("chi", row.chi_number)):
            if number and (scheme, number) not in claimed:
                claimed[(scheme, number)] = {
                    "id": uuid.uuid4(),
                    "scheme": scheme,
                    "number": number,
                    "woman_id": row.id,
                    "date_of_birth": row.date_of_birth,
                    "area_code": row.area_code,
                    "created_at": datetime.now(UTC),
                }
    if claimed:
        op.bulk_insert(identifiers, list(claimed.values()))


def downgrade() -> None:
    op.drop_table("possible_matches")
    op.drop_table("woman_identifiers")
