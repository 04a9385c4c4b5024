"""Independent advocacy: advocates' profiles, their conflicts of interest, and offers to her."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, Timestamped, utcnow


class AdvocateProfile(Timestamped, Base):
    """Where an advocate works, the languages she speaks, how many women she can take, leave.

    Its row is also the lock taken (SELECT ... FOR UPDATE) while allocating to her.
    """

    __tablename__ = "advocate_profiles"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(default=0)
    is_manager: Mapped[bool] = mapped_column(default=False)
    on_leave_from: Mapped[date | None]
    on_leave_until: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AdvocateConflict(Timestamped, Base):
    """A recorded conflict of interest: this advocate is never allocated to this woman."""

    __tablename__ = "advocate_conflicts"
    __table_args__ = (UniqueConstraint("advocate_user_id", "woman_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    advocate_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class AdvocacyOffer(Timestamped, Base):
    """An advocate offered to her (R5.4) and her answer; at most one awaits an answer."""

    __tablename__ = "advocacy_offers"
    __table_args__ = (
        Index(
            "uq_advocacy_offers_one_pending",
            "woman_id",
            unique=True,
            sqlite_where=text("response = 'pending'"),
            postgresql_where=text("response = 'pending'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(20))
    offered_at: Mapped[datetime]
    response: Mapped[str] = mapped_column(String(20), default="pending")
    responded_at: Mapped[datetime | None]
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    responded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
