"""The urgent "her baby has been removed" message is a duty: her advocate (or, with none yet,
the advocacy manager) acknowledges it within the area's window; unacknowledged, it goes to the
advocacy managers, then the leads, repeating until acknowledged; nobody else can acknowledge it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services import advocacy_records as records
from services.removal_ack import ALERT, KIND, escalate_unacknowledged, owe_acknowledgement
from tests.api.conftest import SignIn
from tests.helpers.planning import rows
from tests.oversight.builders import make_woman, user_id
from waymark.db.base import utcnow
from waymark.db.models import Duty, Notice, Woman
from waymark.db.session import transaction

Sessions = async_sessionmaker[AsyncSession]


async def removal_message(
    sessions: Sessions, woman_id: uuid.UUID, advocate: str | None, at: datetime
) -> tuple[Duty, Notice | None]:
    """What the advocacy activities write after a removal: the message and the duty."""
    request = str(uuid.uuid4())
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        assert woman is not None
        owner = await user_id(session, advocate) if advocate else None
        if owner is not None:
            note = records.Note(f"advocacy:{request}:{ALERT}", ALERT, "Removed.", urgent=True)
            await records.tell(session, note, woman.id, [owner], at)
        duty = await owe_acknowledgement(session, woman, request, owner, at)
    notices = await rows(sessions, Notice, woman_id=woman_id, kind=ALERT)
    return duty, (notices[0] if notices else None)


async def escalate(sessions: Sessions, at: datetime) -> int:
    async with transaction(sessions) as session:
        return await escalate_unacknowledged(session, at)


async def told(sessions: Sessions, woman_id: uuid.UUID, kind: str) -> set[str]:
    async with sessions() as session:
        found = await session.scalars(
            select(Notice.recipient_user_id).where(Notice.woman_id == woman_id, Notice.kind == kind)
        )
        names: dict[uuid.UUID | None, str] = {}
        for name in ("nadia.advocate", "lee.lead", "ava.advocate", "ben.advocate"):
            names[await user_id(session, name)] = name
        return {names.get(who, str(who)) for who in found}


async def test_unacknowledged_it_goes_to_the_manager_then_the_lead_until_acknowledged(
    sessions: Sessions, sign_in: SignIn
) -> None:
    woman = await make_woman(sessions)
    start = utcnow() - timedelta(hours=5)
    duty, notice = await removal_message(sessions, woman, "ava.advocate", start)
    assert notice is not None
    assert (duty.kind, duty.due_at) == (KIND, start + timedelta(hours=2))  # the area's default
    assert await escalate(sessions, start + timedelta(hours=1)) == 0
    assert await told(sessions, woman, "removal_unacknowledged") == set()
    # Past the window: her advocacy manager is told, and has one window more.
    assert await escalate(sessions, start + timedelta(hours=2, seconds=1)) == 1
    assert await escalate(sessions, start + timedelta(hours=2, seconds=30)) == 0
    assert await told(sessions, woman, "removal_unacknowledged") == {"nadia.advocate"}
    assert await told(sessions, woman, "duty_repeated") == set()
    # Then the safeguarding lead (and the manager again), at the area's interval after that.
    assert await escalate(sessions, start + timedelta(hours=4, seconds=1)) == 1
    assert await told(sessions, woman, "duty_repeated") == {"lee.lead", "nadia.advocate"}
    [row] = await rows(sessions, Duty, id=duty.id)
    assert (row.status, row.escalation_level) == ("open", 2)
    assert await escalate(sessions, start + timedelta(hours=27, seconds=59)) == 0
    assert await escalate(sessions, start + timedelta(hours=28, seconds=2)) == 1  # repeated
    ava = await sign_in("ava.advocate")
    answer = await ava.post(f"/api/v1/notices/{notice.id}/acknowledge")
    assert answer.status_code == 200, answer.text
    [row] = await rows(sessions, Duty, id=duty.id)
    assert (row.status, row.met_by) == ("met", f"notice:{notice.id}")
    assert await escalate(sessions, start + timedelta(hours=60)) == 0  # it stops


async def test_acknowledged_in_time_it_never_escalates(sessions: Sessions, sign_in: SignIn) -> None:
    woman = await make_woman(sessions)
    duty, notice = await removal_message(sessions, woman, "ava.advocate", utcnow())
    assert notice is not None
    ava = await sign_in("ava.advocate")
    assert (await ava.post(f"/api/v1/notices/{notice.id}/acknowledge")).status_code == 200
    assert await escalate(sessions, utcnow() + timedelta(days=3)) == 0
    assert await told(sessions, woman, "removal_unacknowledged") == set()


async def test_with_no_advocate_yet_the_manager_owes_it_and_the_lead_hears_next(
    sessions: Sessions, sign_in: SignIn
) -> None:
    woman = await make_woman(sessions)
    start = utcnow() - timedelta(hours=3)
    duty, _ = await removal_message(sessions, woman, None, start)
    async with sessions() as session:
        assert duty.owed_by_user_id == await user_id(session, "nadia.advocate")
    assert await told(sessions, woman, ALERT) == {"nadia.advocate"}
    assert await escalate(sessions, start + timedelta(hours=2, seconds=1)) == 1
    assert await told(sessions, woman, "removal_unacknowledged") == set()  # she is the manager
    assert await told(sessions, woman, "duty_repeated") == {"lee.lead", "nadia.advocate"}
    [message] = await rows(sessions, Notice, woman_id=woman, kind=ALERT)
    nadia = await sign_in("nadia.advocate")
    assert (await nadia.post(f"/api/v1/notices/{message.id}/acknowledge")).status_code == 200
    [row] = await rows(sessions, Duty, id=duty.id)
    assert row.status == "met"


async def test_nobody_else_can_acknowledge_it_and_nothing_changes(
    sessions: Sessions, sign_in: SignIn
) -> None:
    woman = await make_woman(sessions)
    duty, notice = await removal_message(sessions, woman, "ava.advocate", utcnow())
    assert notice is not None
    for someone_else in ("ben.advocate", "nadia.advocate", "sam.social", "lee.lead"):
        person = await sign_in(someone_else)
        refused = await person.post(f"/api/v1/notices/{notice.id}/acknowledge")
        assert refused.status_code == 404, someone_else
        assert "no such notice for you" in refused.text
    [row] = await rows(sessions, Duty, id=duty.id)
    assert (row.status, row.ended_at) == ("open", None)
    [unchanged] = await rows(sessions, Notice, id=notice.id)
    assert unchanged.acknowledged_at is None
