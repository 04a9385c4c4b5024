"""Babies, and the woman's own support episode: its plan, its contacts. The episode is hers,
not the baby's: nothing about the baby's case closes it."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, Timestamped, utcnow


class Baby(Timestamped, Base):
    __tablename__ = "babies"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    number: Mapped[int]
    born_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(30))
    placement: Mapped[str] = mapped_column(String(40))
    legal_basis: Mapped[str | None] = mapped_column(String(60))
    observe_until: Mapped[date]
    discharged_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SupportEpisode(Timestamped, Base):
    """Her mother-only support episode: open until a safeguarding lead signs it off."""

    __tablename__ = "support_episodes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    workflow_id: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    opened_at: Mapped[datetime]
    removal_on: Mapped[date]
    named_worker_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    heightened_risk_until: Mapped[date]
    last_contact_on: Mapped[date | None]
    next_contact_due: Mapped[date]
    missed_contacts: Mapped[int] = mapped_column(default=0)
    baby_home: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    close_reason: Mapped[str | None] = mapped_column(Text)
    handover_to: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SupportPlanItem(Timestamped, Base):
    __tablename__ = "support_plan_items"
    __table_args__ = (UniqueConstraint("episode_id", "item"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    episode_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_episodes.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="referred")
    respond_by: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None]


class SupportContact(Timestamped, Base):
    __tablename__ = "support_contacts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    episode_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_episodes.id"), index=True)
    on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
