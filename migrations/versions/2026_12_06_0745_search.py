"""Search: each woman's folded name as an indexed key, her date of birth indexed, and the
searches people make (terms kept for safeguarding leads to review).

Revision ID: c15a0d1e7302
Revises: c15a0d1e7301
Create Date: 2026-12-06 07:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from forms.names import search_key

revision = "c15a0d1e7302"
down_revision = "c15a0d1e7301"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)
# Byte order, so that a name prefix is a range on the index (SQLite's default already is).
SEARCH_KEY = sa.String(210).with_variant(sa.String(210, collation="C"), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("women") as batch:
        batch.add_column(sa.Column("search_key", SEARCH_KEY, nullable=True))
    _fill_search_keys()
    with op.batch_alter_table("women") as batch:
        batch.alter_column("search_key", existing_type=SEARCH_KEY, nullable=False)
        batch.create_index(batch.f("ix_women_search_key"), ["search_key"], unique=False)
        batch.create_index(batch.f("ix_women_date_of_birth"), ["date_of_birth"], unique=False)
    op.create_table(
        "searches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("area_code", sa.String(64), nullable=False),
        sa.Column("searched_at", NOW, nullable=False),
        sa.Column("result_count", sa.Integer(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_searches_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_searches")),
    )
    for column in ("user_id", "area_code"):
        op.create_index(op.f(f"ix_searches_{column}"), "searches", [column], unique=False)


def _fill_search_keys() -> None:
    women = sa.table(
        "women",
        sa.column("id", sa.Uuid()),
        sa.column("given_name", sa.String()),
        sa.column("family_name", sa.String()),
        sa.column("search_key", sa.String()),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(women.c.id, women.c.given_name, women.c.family_name)).all():
        key = search_key(row.family_name, row.given_name)
        bind.execute(women.update().where(women.c.id == row.id).values(search_key=key))


def downgrade() -> None:
    op.drop_table("searches")
    with op.batch_alter_table("women") as batch:
        batch.drop_index(batch.f("ix_women_date_of_birth"))
        batch.drop_index(batch.f("ix_women_search_key"))
        batch.drop_column("search_key")
