"""Deadlines people must meet and tasks people must do, each traceable to her pathway."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, Timestamped, utcnow


class Deadline(Timestamped, Base):
    """A statutory or local clock as staff see it: due date, the rule behind it, its state."""

    __tablename__ = "deadlines"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    scope: Mapped[str] = mapped_column(String(80))
    deadline: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    due: Mapped[date] = mapped_column(index=True)
    basis: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    escalation: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Task(Timestamped, Base):
    """Work for a person (or, unassigned, for a team): chase a report, reach her in person."""

    __tablename__ = "tasks"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    assignee_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    assignee_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id")
    )
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    due: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")
    closed_at: Mapped[datetime | None]
