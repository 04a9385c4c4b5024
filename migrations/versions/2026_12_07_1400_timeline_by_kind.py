"""Her timeline by kind: the entries of one kind for a set of women (the repeats, the missed
contacts, "no advocate available" that the simulator's independent check reads every simulated
day) are found through an index, not by reading every entry on those women's timelines. It
serves a lookup by woman alone as well, so it replaces the index on the woman.

Revision ID: 9c4d1e7a1400
Revises: 7e1a0c4d2100
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

from alembic import op

revision = "9c4d1e7a1400"
down_revision = "7e1a0c4d2100"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_timeline_events_woman_kind", "timeline_events", ["woman_id", "kind", "occurred_at"]
    )
    op.drop_index("ix_timeline_events_woman_id", table_name="timeline_events")


def downgrade() -> None:
    op.create_index("ix_timeline_events_woman_id", "timeline_events", ["woman_id"])
    op.drop_index("ix_timeline_events_woman_kind", table_name="timeline_events")
