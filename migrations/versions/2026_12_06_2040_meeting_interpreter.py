"""An interpreter on a meeting: the language of the interpreter booked for her, if she needs one.

Revision ID: 4b7e2c91d3a5
Revises: c15a0d1e7305
Create Date: 2026-12-06 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "4b7e2c91d3a5"
down_revision = "c15a0d1e7305"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("meetings", sa.Column("interpreter", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("interpreter")
