"""Breaches of the "no woman dropped" invariant: at most one open per woman and kind."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, Timestamped


class Breach(Timestamped, Base):
    """A part of her invariant that failed (advocate, support, contact), until it holds again."""

    __tablename__ = "breaches"
    __table_args__ = (
        # The business key of raising: a second check finds the open one instead of adding one.
        Index(
            "uq_breaches_one_open",
            "woman_id",
            "kind",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # Generated from fixed wording and dates: never personal data.
    detail: Mapped[str] = mapped_column(String(300))
    raised_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
