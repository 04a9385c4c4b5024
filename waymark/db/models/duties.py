"""The duty register: every obligation someone owes a woman, one row each, from the moment a
fact creates it until a fact meets it or a named lead waives it with a reason."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, Timestamped, utcnow


class Duty(Timestamped, Base):
    """What is owed to her, by whom (a person, else a team), by when, how it is being chased,
    and how it ended. `key` is the business key the writing activity is idempotent under."""

    __tablename__ = "duties"
    __table_args__ = (
        # "Open and due before T", by area (the ledger, the sweep) and by owner ("what I owe").
        Index("ix_duties_open_area_due", "status", "area_code", "due_at"),
        Index("ix_duties_open_owner_due", "status", "owed_by_user_id", "due_at"),
        Index("ix_duties_open_team_due", "status", "owed_by_organisation_id", "due_at"),
        # A kind's open duties whose next escalation step is due (the dispatcher's round).
        Index("ix_duties_open_kind_next", "status", "kind", "next_escalation_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    area_code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    # Fixed wording and dates only: never personal data.
    label: Mapped[str] = mapped_column(String(200))
    owed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    owed_by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id")
    )
    opened_at: Mapped[datetime]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default="open")
    escalation_level: Mapped[int] = mapped_column(default=0)
    next_escalation_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    met_by: Mapped[str | None] = mapped_column(String(200))
    waived_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    waive_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
