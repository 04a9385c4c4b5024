"""Join the five lines of work (audit chain, delivery, advocacy, breaches, break-glass) into
one head, so later migrations have a single parent and `upgrade head` is enough.

Revision ID: 7a0e5c3d9b12
Revises: 59ed855951a6, 5d2a9c7e1f40, c4a9d2e61402, e3f8a1c90404, e3f1a2b4c405
Create Date: 2026-11-22 17:00:00
"""

from __future__ import annotations

revision = "7a0e5c3d9b12"
down_revision = ("59ed855951a6", "5d2a9c7e1f40", "c4a9d2e61402", "e3f8a1c90404", "e3f1a2b4c405")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: this revision only joins the branches."""


def downgrade() -> None:
    """Nothing to change: this revision only joins the branches."""
