"""The read model of a woman's journey: her record, referrals, who is involved, her timeline."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from forms.names import search_key
from waymark.db.base import Base, Timestamped, utcnow

# Byte order on both databases, so a prefix is a range on the index ('C' on PostgreSQL; SQLite's
# default, BINARY, already is).
SEARCH_KEY = String(210).with_variant(String(210, collation="C"), "postgresql")


def _search_key(context: Any) -> str:
    values = context.get_current_parameters()
    return search_key(values["family_name"], values["given_name"])


class Woman(Timestamped, Base):
    """One woman; her id is also the opaque key of her pathway workflow."""

    __tablename__ = "women"
    # An area's women in id order (the ledger's women with nothing overdue, a page at a time).
    __table_args__ = (Index("ix_women_area_id", "area_code", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(String(64), index=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(index=True)
    # forms.names.search_key of her names: search by name uses this index, never a scan.
    search_key: Mapped[str] = mapped_column(SEARCH_KEY, index=True, default=_search_key)
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    chi_number: Mapped[str | None] = mapped_column(String(10), index=True)
    address: Mapped[dict[str, Any]]
    contact: Mapped[dict[str, Any]]
    edd: Mapped[date]
    stage: Mapped[str] = mapped_column(String(40))
    coordinator_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # After her baby is placed in care: nothing about the baby's routine care is sent to her.
    mother_only: Mapped[bool] = mapped_column(default=False)
    # Set when her record was merged into another (services.merging).
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Referral(Timestamped, Base):
    """A referral to children's social care; its id is the business key of intake."""

    __tablename__ = "referrals"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    referring_organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    referrer_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    referrer_name: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime]
    pregnancy: Mapped[dict[str, Any]]
    concerns: Mapped[dict[str, Any]]
    sharing: Mapped[dict[str, Any]]
    screening_decision: Mapped[str | None] = mapped_column(String(40))
    screening_reason: Mapped[str | None] = mapped_column(Text)
    screened_at: Mapped[datetime | None]
    screened_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class Involvement(Timestamped, Base):
    """An agency involved in a woman's care: its practitioners may see her record."""

    __tablename__ = "involvements"
    __table_args__ = (UniqueConstraint("woman_id", "organisation_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    reason: Mapped[str] = mapped_column(String(40))


class AdvocateAllocation(Timestamped, Base):
    """An independent advocate allocated to a woman; the allocation is her legitimate access."""

    __tablename__ = "advocate_allocations"
    __table_args__ = (
        Index(
            "uq_advocate_allocations_one_active",
            "woman_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    advocate_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # Advocacy (forms.advocacy.AllocationStatus): offered and accepted ones are open.
    status: Mapped[str] = mapped_column(String(20), default="accepted")
    request_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    offered_at: Mapped[datetime | None]
    accept_by: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(200))
    after_removal: Mapped[bool] = mapped_column(default=False)


class TimelineEvent(Base):
    """An event in her journey as people read it; its unique key keeps writes idempotent."""

    __tablename__ = "timeline_events"
    # Her entries of a kind, in time order (and all of hers, by its first column).
    __table_args__ = (Index("ix_timeline_events_woman_kind", "woman_id", "kind", "occurred_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    event_key: Mapped[str] = mapped_column(String(200), unique=True)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"))
    kind: Mapped[str] = mapped_column(String(60))
    occurred_at: Mapped[datetime]
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
