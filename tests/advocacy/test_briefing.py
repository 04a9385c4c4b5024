"""An advocate who takes her case late still hears of every meeting already arranged, with the
reminders still to come; an advocate who stops acting for her is sent nothing more about her."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from activities.advocacy import AdvocacyActivities
from activities.meetings import brief_advocate
from forms.advocacy import AllocationStatus, RecordAdvocateResponse
from rules.meetings import reminder_times
from services import advocacy_views
from tests.advocacy.support import AT, Sessions, allocate_directly, make_woman, user_id
from waymark.db.models import AdvocateAllocation, Meeting, Notice, Woman
from waymark.db.session import transaction

pytestmark = pytest.mark.usefixtures("demo")


async def _meeting(
    sessions: Sessions, woman_id: uuid.UUID, days: float, status: str = "scheduled"
) -> uuid.UUID:
    starts_at = AT + timedelta(days=days)
    row = Meeting(
        id=uuid.uuid4(),
        woman_id=woman_id,
        kind="review_conference",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        format="in_person",
        status=status,
        sequence=2,
    )
    async with transaction(sessions) as session:
        session.add(row)
    return row.id


async def _notices_to(sessions: Sessions, advocate: uuid.UUID) -> list[Notice]:
    async with sessions() as session:
        found = await session.scalars(
            select(Notice)
            .where(Notice.recipient_user_id == advocate)
            .order_by(Notice.send_at, Notice.kind)
        )
        return list(found)


async def test_an_advocate_who_accepts_is_told_of_meetings_already_arranged(
    sessions: Sessions,
) -> None:
    woman = await make_woman(sessions)
    review = await _meeting(sessions, woman, days=12)
    soon = await _meeting(sessions, woman, days=2)
    await _meeting(sessions, woman, days=-3)  # already past
    await _meeting(sessions, woman, days=20, status="cancelled")
    ava = await user_id(sessions, "ava.advocate")
    allocation = await allocate_directly(sessions, woman, "ava.advocate", status="offered")

    await AdvocacyActivities(sessions).record_advocate_response(
        RecordAdvocateResponse(allocation_id=allocation, status=AllocationStatus.ACCEPTED, at=AT)
    )

    sent = await _notices_to(sessions, ava)
    assert {notice.meeting_id for notice in sent} == {review, soon}
    for meeting_id, days in ((review, 12), (soon, 2)):
        mine = [notice for notice in sent if notice.meeting_id == meeting_id]
        starts_at = AT + timedelta(days=days)
        assert [(n.kind, n.send_at) for n in mine if not n.kind.startswith("reminder")] == [
            ("meeting_scheduled", AT)
        ]
        reminders = sorted(n.send_at for n in mine if n.kind.startswith("reminder"))
        assert reminders == reminder_times(starts_at, [10, 7, 3, 1, 0], now=AT)  # Northmoor's
        assert all(n.sequence == 2 and n.recipient_kind == "advocate" for n in mine)
    # Two days' notice is short: she is told by the fastest way.
    assert {n.urgent for n in sent if n.meeting_id == soon} == {True}
    assert {n.urgent for n in sent if n.meeting_id == review} == {False}

    # Briefing again (a retried activity) writes nothing twice.
    async with transaction(sessions) as session:
        her = await session.get(Woman, woman)
        assert her is not None
        await brief_advocate(session, her, ava, AT)
    assert len(await _notices_to(sessions, ava)) == len(sent)


async def test_when_an_advocate_stops_acting_for_her_nothing_more_is_sent(
    sessions: Sessions,
) -> None:
    woman = await make_woman(sessions)
    await _meeting(sessions, woman, days=12)
    ava = await user_id(sessions, "ava.advocate")
    allocation = await allocate_directly(sessions, woman, "ava.advocate", status="offered")
    await AdvocacyActivities(sessions).record_advocate_response(
        RecordAdvocateResponse(allocation_id=allocation, status=AllocationStatus.ACCEPTED, at=AT)
    )
    async with transaction(sessions) as session:
        row = await session.get(AdvocateAllocation, allocation)
        assert row is not None
        await advocacy_views.end_accepted(session, row, "she has moved away", AT)

    meeting_notices = [n for n in await _notices_to(sessions, ava) if n.meeting_id is not None]
    assert meeting_notices
    assert {n.status for n in meeting_notices} == {"superseded"}
