"""Merging two records that are one woman. A safeguarding lead names the record that goes on;
the other's pathway hands over its clocks and meetings and ends ("merged into …"), and every
row of the other record (timeline, referrals, numbers, agencies, meetings, duties, allocations,
support episodes) moves to the one that goes on. Nothing is closed on the way: what could not
be joined without closing something (two advocates, two running conferences) is refused."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Role
from forms.conference import ConferencePhase
from forms.merging import MergeRequest
from services.merging_rows import move_rows
from waymark import audit
from waymark.db.models import (
    AdvocacyOffer,
    AdvocateAllocation,
    Conference,
    Duty,
    RecordMerge,
    Woman,
)
from waymark.errors import Conflict, Forbidden, Invalid, NotFound
from waymark.security.principal import Principal

RUNNING_CONFERENCE = (
    ConferencePhase.TO_SCHEDULE.value,
    ConferencePhase.SCHEDULED.value,
    ConferencePhase.DECIDED.value,
)


@dataclass(frozen=True)
class Pair:
    """The record that goes on and the one merged into it."""

    surviving: Woman
    merged: Woman


async def check(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID, body: MergeRequest
) -> Pair:
    """The two records, or a 4xx naming why they cannot be merged (nothing written)."""
    if principal.role is not Role.SAFEGUARDING_LEAD:
        raise Forbidden("only a safeguarding lead can merge records")
    if body.merge_woman_id == woman_id:
        raise Invalid("a record cannot be merged with itself: name two different records")
    surviving = await _woman(session, woman_id, "the record that goes on")
    merged = await _woman(session, body.merge_woman_id, "the record to merge")
    if surviving.area_code != principal.area_code:
        raise Forbidden("you can merge only into a record held by your area")
    if merged.area_code != surviving.area_code and not body.across_areas:
        raise Invalid(
            f"the records are held by different areas ({surviving.area_code}, "
            f"{merged.area_code}): say so (across_areas) to merge them"
        )
    for woman in (surviving, merged):
        if woman.merged_into_id is not None:
            raise Conflict(f"record {woman.id} was already merged into another")
    await _nothing_would_close(session, surviving.id, merged.id)
    return Pair(surviving, merged)


async def _woman(session: AsyncSession, woman_id: uuid.UUID, which: str) -> Woman:
    woman = await session.get(Woman, woman_id)
    if woman is None:
        raise NotFound(f"{which} ({woman_id}) is not on record")
    return woman


async def _nothing_would_close(
    session: AsyncSession, surviving: uuid.UUID, merged: uuid.UUID
) -> None:
    """Refuse what one record can hold only once, when both hold it: the lead decides which
    ends, on the record, before merging."""
    if await _count(session, Conference, merged, Conference.phase.in_(RUNNING_CONFERENCE)):
        raise Conflict(
            "a conference is running on the record to merge: merge the other way round "
            "(that record goes on) or close one conference first"
        )
    both = (
        (AdvocateAllocation, AdvocateAllocation.ended_at.is_(None), "an advocate allocated"),
        (AdvocacyOffer, AdvocacyOffer.response == "pending", "an advocacy offer waiting"),
    )
    for model, running, words in both:
        if await _count(session, model, surviving, running) and await _count(
            session, model, merged, running
        ):
            raise Conflict(f"both records have {words}: end one on the record before merging")


async def _count(
    session: AsyncSession, model: Any, woman_id: uuid.UUID, running: ColumnElement[bool]
) -> int:
    query = select(func.count()).select_from(model).where(model.woman_id == woman_id, running)
    return int(await session.scalar(query) or 0)


async def begin(
    session: AsyncSession, principal: Principal, pair: Pair, reason: str
) -> RecordMerge:
    """The merge on record (or the one begun before, on a retry), audited to the lead."""
    row = await session.scalar(
        select(RecordMerge).where(RecordMerge.merged_woman_id == pair.merged.id)
    )
    if row is not None and row.surviving_woman_id != pair.surviving.id:
        raise Conflict("this record is already being merged into another")
    if row is None:
        row = RecordMerge(
            surviving_woman_id=pair.surviving.id,
            merged_woman_id=pair.merged.id,
            reason=reason,
            merged_by=principal.user_id,
        )
        session.add(row)
        await session.flush()
    audit.record(
        session,
        principal.actor(),
        action="merge_records",
        record_type="woman",
        record_id=pair.surviving.id,
        detail=f"merged {pair.merged.id}",
        reason=reason,
    )
    return row


async def finish(session: AsyncSession, pair: Pair, row: RecordMerge) -> dict[str, int]:
    """Move the merged record's rows to the record that goes on; the merge is complete."""
    moved = await move_rows(session, pair.surviving.id, pair.merged.id)
    if pair.merged.area_code != pair.surviving.area_code:
        # Her duties are now owed in the area that holds her record.
        await session.execute(
            update(Duty)
            .where(Duty.woman_id == pair.surviving.id, Duty.area_code == pair.merged.area_code)
            .values(area_code=pair.surviving.area_code)
        )
    pair.merged.merged_into_id = pair.surviving.id
    if pair.surviving.coordinator_user_id is None:
        pair.surviving.coordinator_user_id = pair.merged.coordinator_user_id
    row.status, row.moved, row.completed_at = "completed", moved, datetime.now(UTC)
    await session.flush()
    return moved
