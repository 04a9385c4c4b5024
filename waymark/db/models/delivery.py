"""Delivering notices: one row per notice and channel, contact requests, private calendar feeds."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, Timestamped, utcnow


class Delivery(Timestamped, Base):
    """One notice sent one way; UNIQUE(notice, channel) is the key that stops a second send."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("notice_id", "channel"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    notice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notices.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    provider: Mapped[str] = mapped_column(String(20))
    provider_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(30), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # Short and free of personal data: a provider's error type and status code.
    last_error: Mapped[str | None] = mapped_column(String(200))
    # Not before (quiet hours) or the next try after a failure; None when nothing is due.
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    # Set while a dispatcher is sending it, so two dispatchers never send the same attempt.
    claimed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]


class ContactRequest(Timestamped, Base):
    """She asked for contact (a text, a call, in person); it needs a response in time."""

    __tablename__ = "contact_requests"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # Unmatched (a number we do not know) until a person triages it.
    woman_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("women.id"), index=True)
    # The provider's id for a received text: a repeated callback finds the same row.
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    received_at: Mapped[datetime]
    via: Mapped[str] = mapped_column(String(20))
    taken_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # Her words: personal data, kept here and never logged.
    note: Mapped[str] = mapped_column(Text)
    responded_at: Mapped[datetime | None]
    responded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)


class CalendarFeed(Timestamped, Base):
    """A private calendar feed address for one person; only the token's hash is kept."""

    __tablename__ = "calendar_feeds"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
