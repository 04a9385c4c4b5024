"""The append-only audit trail: every read and write of a woman's record, and every denial."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, utcnow


class AuditEvent(Base):
    """One attributable action. Holds ids only: never a name or other personal data.

    Rows form a hash chain in `seq` order (see `waymark.audit`): each row's `hash` covers its
    own fields and `prev_hash`, the hash of the row before it. UPDATE and DELETE are refused
    by triggers; `waymark audit verify` detects tampering done around them.
    """

    __tablename__ = "audit_events"

    # BigInteger on PostgreSQL, plain INTEGER on SQLite so it stays the rowid alias.
    # Assigned by the writer under the chain lock (last + 1), so it has no gaps.
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_user_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str | None] = mapped_column(String(32))
    organisation_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    request_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), default="allowed")
    detail: Mapped[str | None] = mapped_column(String(200))
    # Why a rule was set aside (break-glass access); free text, shown only to reviewers.
    reason: Mapped[str | None] = mapped_column(Text)
    # What a listing showed (a ledger page): the ids of the women listed, in order, as hex.
    listed: Mapped[str | None] = mapped_column(Text)
    # Unique: two rows chained to the same predecessor would be a fork in the chain.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
