"""Give the support plan's one-item-per-episode constraint its conventional name
(uq_<table>_<columns>), so the database matches the models exactly.

Revision ID: 8b1f6d4e0c23
Revises: 7a0e5c3d9b12
Create Date: 2026-11-22 17:01:00
"""

from __future__ import annotations

from alembic import op

revision = "8b1f6d4e0c23"
down_revision = "7a0e5c3d9b12"
branch_labels = None
depends_on = None

TABLE = "support_plan_items"
OLD = "uq_support_plan_items_episode_id"
NEW = "uq_support_plan_items_episode_id_item"


def upgrade() -> None:
    # Batch mode: SQLite cannot alter a constraint in place, so the table is copied.
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_constraint(OLD, type_="unique")
        batch.create_unique_constraint(NEW, ["episode_id", "item"])


def downgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_constraint(NEW, type_="unique")
        batch.create_unique_constraint(OLD, ["episode_id", "item"])
