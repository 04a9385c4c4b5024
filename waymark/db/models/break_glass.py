"""Emergency ("break-glass") access: a reasoned, time-limited opening of one woman's record by
someone outside her care relationship, alerted to the area's safeguarding lead and reviewed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, Timestamped


class BreakGlass(Timestamped, Base):
    """One grant: who, whose record, why, until when; then a lead's review of it."""

    __tablename__ = "break_glass"
    __table_args__ = (Index("ix_break_glass_user_woman", "user_id", "woman_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    # The woman's area, so her area's leads find it in their review queue.
    area_code: Mapped[str] = mapped_column(String(64), index=True)
    # Free text, personal to the case: shown only to the reviewing lead, never logged.
    reason: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # "appropriate" or "concern"
    review_outcome: Mapped[str | None] = mapped_column(String(20))
    review_note: Mapped[str | None] = mapped_column(Text)
