"""Audit trail as a hash chain: prev_hash, hash and reason columns; UPDATE and DELETE refused.

Existing rows are chained in seq order as they stand. The hash is computed here by a frozen
copy of `waymark.audit.canonical` (v1), so later changes to the app cannot change this step.

Revision ID: 59ed855951a6
Revises: 6b95c015b33a
Create Date: 2026-11-22 14:00:00
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "59ed855951a6"
down_revision = "6b95c015b33a"
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64
APPEND_ONLY = "audit_events is append-only: UPDATE and DELETE are refused"

audit_events = sa.table(
    "audit_events",
    sa.column("seq", sa.BigInteger()),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("actor_user_id", sa.Uuid()),
    sa.column("actor_role", sa.String()),
    sa.column("organisation_id", sa.Uuid()),
    sa.column("action", sa.String()),
    sa.column("record_type", sa.String()),
    sa.column("record_id", sa.String()),
    sa.column("request_id", sa.String()),
    sa.column("outcome", sa.String()),
    sa.column("detail", sa.String()),
    sa.column("reason", sa.Text()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing_rows(op.get_bind())
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_events_prev_hash"), ["prev_hash"])
        batch_op.create_unique_constraint(batch_op.f("uq_audit_events_hash"), ["hash"])
    # After the batch step: rebuilding a SQLite table drops its triggers.
    if op.get_bind().dialect.name == "postgresql":
        _refuse_changes_postgresql()
    else:
        _refuse_changes_sqlite()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_events_hash"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_audit_events_prev_hash"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("reason")


def _refuse_changes_postgresql() -> None:
    # Row triggers only: TRUNCATE (the test suite's reset between tests) is not affected.
    op.execute(
        f"""
        CREATE FUNCTION audit_events_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{APPEND_ONLY} (%)', TG_OP;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
    )


def _refuse_changes_sqlite() -> None:
    for name, verb in (("audit_events_no_update", "UPDATE"), ("audit_events_no_delete", "DELETE")):
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {verb} ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def _chain_existing_rows(conn: sa.Connection) -> None:
    prev_hash = GENESIS_HASH
    rows = conn.execute(sa.select(audit_events).order_by(audit_events.c.seq)).mappings().all()
    for row in rows:
        digest = hashlib.sha256(_canonical(row, prev_hash)).hexdigest()
        conn.execute(
            audit_events.update()
            .where(audit_events.c.seq == row["seq"])
            .values(prev_hash=prev_hash, hash=digest)
        )
        prev_hash = digest


def _canonical(row: Any, prev_hash: str) -> bytes:
    """Frozen copy of `waymark.audit.canonical` (CANONICAL_VERSION waymark-audit-v1)."""
    occurred: datetime = row["occurred_at"]
    occurred = occurred.replace(tzinfo=UTC) if occurred.tzinfo is None else occurred
    fields = [
        "waymark-audit-v1",
        row["seq"],
        occurred.astimezone(UTC).isoformat(timespec="microseconds"),
        _text(row["actor_user_id"]),
        row["actor_role"],
        _text(row["organisation_id"]),
        row["action"],
        row["record_type"],
        row["record_id"],
        row["request_id"],
        row["outcome"],
        row["detail"],
        None,  # reason: a new column, empty on every existing row
        prev_hash,
    ]
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode()


def _text(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None
