"""The duty register by kind and next escalation step: the delivery dispatcher's round finds the
removal messages whose acknowledgement is due for escalation through an index, every round.

Revision ID: 7e1a0c4d2100
Revises: 4b7e2c91d3a5
Create Date: 2026-12-06 21:00:00
"""

from __future__ import annotations

from alembic import op

revision = "7e1a0c4d2100"
down_revision = "4b7e2c91d3a5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_duties_open_kind_next", "duties", ["status", "kind", "next_escalation_at"])


def downgrade() -> None:
    op.drop_index("ix_duties_open_kind_next", table_name="duties")
