"""One woman, one record: the identifiers that claim her record, and referrals that may be hers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, Timestamped, utcnow


class WomanIdentifier(Timestamped, Base):
    """An NHS or CHI number held by one woman's record. The unique constraint is what makes two
    referrals arriving together for her claim one record: the second insert fails and joins.
    The claim is written before her pathway records her, so it has no foreign key to women."""

    __tablename__ = "woman_identifiers"
    __table_args__ = (UniqueConstraint("scheme", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    scheme: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(10))
    woman_id: Mapped[uuid.UUID] = mapped_column(index=True)
    date_of_birth: Mapped[date]
    area_code: Mapped[str] = mapped_column(String(64))


class PossibleMatch(Timestamped, Base):
    """A referral that may be for a woman already on record (same name and date of birth, or
    her number with another date of birth), held for her team's social workers to confirm
    (it joins her record) or reject (it starts a record of its own)."""

    __tablename__ = "possible_matches"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    referral_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    proposed_woman_id: Mapped[uuid.UUID]
    candidate_woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    basis: Mapped[str] = mapped_column(String(40))
    referral: Mapped[dict[str, Any]]
    actor: Mapped[dict[str, Any]]
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="open")
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)


class Search(Base):
    """A search someone made: who, when, how many results, and the terms (kept here for her
    area's safeguarding lead to review, never in logs, URLs or the audit trail's rows)."""

    __tablename__ = "searches"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    area_code: Mapped[str] = mapped_column(String(64), index=True)
    searched_at: Mapped[datetime] = mapped_column(default=utcnow)
    result_count: Mapped[int]
    terms: Mapped[dict[str, Any]]


class RecordMerge(Timestamped, Base):
    """Two records found to be one woman: the merged one's rows moved to the one that goes on,
    her pathway there taking over the merged pathway's clocks. `moved` counts rows by table."""

    __tablename__ = "record_merges"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    surviving_woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    merged_woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    merged_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # started: her pathways are being told; completed: rows moved, on her timeline.
    status: Mapped[str] = mapped_column(String(20), default="started")
    moved: Mapped[dict[str, Any]] = mapped_column(default=dict)
    completed_at: Mapped[datetime | None]


class OnboardedCase(Timestamped, Base):
    """A case brought in from an area's records (waymark onboard), by the area's own case id:
    a rerun finds it. recorded: her record is written; started: her pathway runs too."""

    __tablename__ = "onboarded_cases"
    __table_args__ = (UniqueConstraint("area_code", "case_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    area_code: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[str] = mapped_column(String(64))
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"))
    status: Mapped[str] = mapped_column(String(20), default="recorded")


class Transfer(Timestamped, Base):
    """Her record moving to another area: asked by her social worker, answered by the receiving
    team. requested, then accepted (her record and duties moved; the sending team may read her
    record until `read_until`) or declined (nothing moved), each with its reason."""

    __tablename__ = "transfers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    woman_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("women.id"), index=True)
    from_area: Mapped[str] = mapped_column(String(64))
    from_team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    to_area: Mapped[str] = mapped_column(String(64), index=True)
    to_team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="requested")
    answered_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]
    answer_reason: Mapped[str | None] = mapped_column(Text)
    read_until: Mapped[datetime | None]
