"""A first password an admin gives works once: the account must choose its own after it.

Revision ID: c19a0d7e5f01
Revises: d7a1c0de1206
Create Date: 2026-12-06 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c19a0d7e5f01"
down_revision = "d7a1c0de1206"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "password_must_change", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_must_change")
