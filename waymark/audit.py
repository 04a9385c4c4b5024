"""Writing the audit trail: a hash chain appended inside the caller's transaction (fail closed).

`record()` queues a row on the session; when that transaction commits, a `before_commit` hook
takes the chain lock, reads the last row's `seq` and `hash`, and appends the queued rows with
`seq = last + 1, ...`, each hash covering its fields and its predecessor's hash. The lock is
taken last and held only until the commit, so it serialises writers briefly and cannot
deadlock against row locks the transaction took earlier. PostgreSQL: a transaction-scoped
advisory lock (READ COMMITTED, so the next statement sees the previous holder's row).
SQLite: every write transaction is `BEGIN IMMEDIATE` (`waymark.db.session`), which already
serialises writers; a read transaction takes no lock, and its rows are appended by a short
write transaction of their own once it ends (`waymark.db.session.write_deferred`). A
rolled-back transaction frees its `seq` numbers, so the sequence stays gap-free and a gap
means a deleted row.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from sqlalchemy import event, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from forms.common import Actor
from waymark.db.base import utcnow
from waymark.db.models import AuditEvent
from waymark.db.session import AUDIT_PENDING, READ_ONLY

log = logging.getLogger("waymark.audit")

GENESIS_HASH = "0" * 64
# Any fixed 64-bit key: it names the one lock that orders every audit append (PostgreSQL).
CHAIN_LOCK_KEY = 0x5741_594D_4155_4454  # "WAYMAUDT"
CANONICAL_VERSION = "waymark-audit-v1"
_PENDING = AUDIT_PENDING


@dataclass(slots=True)
class ChainRow:
    """One audit row outside the ORM: queued by `record()` on its transaction and chained
    (`seq`, `prev_hash`, `hash`) and written, with the rest of that transaction's rows in one
    statement, when it commits; or read back for checking (`services.audit_trail`)."""

    occurred_at: datetime
    actor_user_id: uuid.UUID | None
    actor_role: str | None
    organisation_id: uuid.UUID | None
    action: str
    record_type: str
    record_id: str | None
    request_id: str | None
    outcome: str
    detail: str | None
    reason: str | None
    listed: str | None
    seq: int = 0
    prev_hash: str = ""
    hash: str = ""


_CHAIN_COLUMNS = tuple(column.name for column in fields(ChainRow))


def record(
    session: AsyncSession,
    actor: Actor | None,
    *,
    action: str,
    record_type: str,
    record_id: uuid.UUID | str | None,
    outcome: str = "allowed",
    detail: str | None = None,
    reason: str | None = None,
    listed: list[uuid.UUID] | None = None,
) -> None:
    """Queue one audit row on the session's transaction. Ids only: never personal data."""
    row = ChainRow(
        occurred_at=utcnow(),
        actor_user_id=actor.user_id if actor else None,
        actor_role=actor.role.value if actor else None,
        organisation_id=actor.organisation_id if actor else None,
        action=action,
        record_type=record_type,
        record_id=str(record_id) if record_id is not None else None,
        request_id=actor.request_id if actor else None,
        outcome=outcome,
        detail=detail,
        reason=reason,
        listed=" ".join(ident.hex for ident in listed) if listed is not None else None,
    )
    session.info.setdefault(_PENDING, []).append(row)
    if outcome != "allowed":
        # The reason is free text: it stays in the audit table, never in the logs.
        log.warning(
            "%s %s on %s %s by user %s (request %s)",
            outcome,
            action,
            record_type,
            record_id,
            actor.user_id if actor else "-",
            actor.request_id if actor else "-",
        )


def canonical(row: ChainRow | AuditEvent) -> bytes:
    """The bytes a row's hash covers: its fields in a fixed order, then its predecessor's hash."""
    fields = [
        CANONICAL_VERSION,
        row.seq,
        row.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        _text(row.actor_user_id),
        row.actor_role,
        _text(row.organisation_id),
        row.action,
        row.record_type,
        row.record_id,
        row.request_id,
        row.outcome,
        row.detail,
        row.reason,
        row.prev_hash,
    ]
    if row.listed is not None:
        # Only rows that list something cover it: the hashes of older rows are unchanged.
        fields.append(row.listed)
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(row: ChainRow | AuditEvent) -> str:
    """SHA-256 (hex) of the row's canonical form."""
    return hashlib.sha256(canonical(row)).hexdigest()


def _text(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    """Chain and insert the rows queued by `record()`, under the chain lock, in one statement.
    A read transaction leaves them for its own short write (`waymark.db.session.
    write_deferred`)."""
    if session.info.get(READ_ONLY):
        return
    rows: list[ChainRow] = session.info.pop(_PENDING, [])
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last.seq, last.hash) if last else (0, GENESIS_HASH)
    for row in rows:
        seq += 1
        row.seq, row.prev_hash = seq, prev_hash
        row.hash = prev_hash = chain_hash(row)
    session.execute(insert(AuditEvent), [_columns(row) for row in rows])


def _columns(row: ChainRow) -> dict[str, object]:
    """The row's values by column (`dataclasses.asdict` would deep-copy each one)."""
    return {name: getattr(row, name) for name in _CHAIN_COLUMNS}


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    """Rows queued in a transaction that rolled back are dropped with it."""
    if transaction.parent is None and not session.info.get(READ_ONLY):
        session.info.pop(_PENDING, None)
