"""Meetings, conferences, agency reports, documents and the notices each one causes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, Timestamped, utcnow


class Meeting(Timestamped, Base):
    """A meeting about her; sequence rises with every change (it is the iCalendar SEQUENCE)."""

    __tablename__ = "meetings"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    conference_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    format: Mapped[str] = mapped_column(String(20))
    venue: Mapped[dict[str, Any] | None]
    travel_support: Mapped[bool] = mapped_column(default=False)
    # The language (ISO 639 code) of the interpreter booked for her, if she needs one.
    interpreter: Mapped[str | None] = mapped_column(String(10))
    short_notice: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20))
    sequence: Mapped[int] = mapped_column(default=0)
    change_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Conference(Timestamped, Base):
    __tablename__ = "conferences"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    phase: Mapped[str] = mapped_column(String(20))
    statutory_latest: Mapped[date | None]
    quorate: Mapped[bool | None]
    plan: Mapped[bool | None]
    category: Mapped[str | None] = mapped_column(String(40))
    areas_of_concern: Mapped[dict[str, Any] | None]
    decided_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AgencyReport(Timestamped, Base):
    __tablename__ = "agency_reports"
    __table_args__ = (UniqueConstraint("conference_id", "organisation_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    conference_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conferences.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    author_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime]
    late: Mapped[bool] = mapped_column(default=False)


class Document(Timestamped, Base):
    """A rendered document (invitation, letter, minutes, information pack) kept as HTML."""

    __tablename__ = "documents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    audience: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    html: Mapped[str] = mapped_column(Text)


class Notice(Timestamped, Base):
    """A message that must be sent: written in the same transaction as the event that causes it
    (a transactional outbox); the key (meeting, recipient, kind, sequence) stops double sends."""

    __tablename__ = "notices"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(250), unique=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    recipient_kind: Mapped[str] = mapped_column(String(20))
    recipient_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    recipient_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id")
    )
    kind: Mapped[str] = mapped_column(String(40))
    sequence: Mapped[int] = mapped_column(default=0)
    send_at: Mapped[datetime] = mapped_column(index=True)
    urgent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(30), default="pending")
    summary: Mapped[str] = mapped_column(String(300))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    ack_due_at: Mapped[datetime | None]


class MeetingFeedback(Timestamped, Base):
    """After a meeting, her view of it, asked once on her safe channel and optional: how it
    went, whether she understood, what would have helped. Her words are kept here only."""

    __tablename__ = "meeting_feedback"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id"), unique=True)
    # The area at the time, so the lead's figures count it where it was asked.
    area_code: Mapped[str] = mapped_column(String(40), index=True)
    # Only the hash of the form link's token is kept; a new link is made at each send.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    asked_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default="asked", index=True)
    went: Mapped[str | None] = mapped_column(String(20))
    understood: Mapped[bool | None]
    would_help: Mapped[str | None] = mapped_column(Text)
    via: Mapped[str | None] = mapped_column(String(10))
    # The provider's id of the text that answered: a repeated callback changes nothing.
    reply_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    answered_at: Mapped[datetime | None]
