"""Small builders for oversight tests: a woman, her baby placed in care, her episode, her
advocate, open tasks; and a check of her invariant on a fixed day.

Each builder writes the duty register as the activity behind its fact does (through
`services.duty_support`), in the same transaction: the invariant is read from the register."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.oversight import OversightActivities
from forms.ledger import CheckWomanRequest, SweepRequest, SweepResult, WomanCheck
from services import duties, duty_support
from services.duties import Owed, open_duty
from waymark.db.models import (
    AdvocateAllocation,
    Baby,
    Deadline,
    Duty,
    Organisation,
    SupportEpisode,
    SupportPlanItem,
    Task,
    User,
    Woman,
)
from waymark.db.session import transaction

TODAY = date(2027, 3, 10)
NOON = datetime(2027, 3, 10, 12, tzinfo=UTC)


async def user_id(session: AsyncSession, username: str) -> uuid.UUID:
    found = await session.scalar(select(User.id).where(User.username == username))
    assert found is not None, f"no demo user {username}: seed the demo data first"
    return found


async def make_woman(
    sessions: async_sessionmaker[AsyncSession],
    *,
    given: str = "Jo",
    family: str = "Example",
    team: str = "northmoor-csc",
    removed: bool = True,
) -> uuid.UUID:
    """A woman in the team's area; her baby placed in care unless `removed=False`."""
    async with transaction(sessions) as session:
        org = await session.scalar(select(Organisation).where(Organisation.code == team))
        assert org is not None
        woman = Woman(
            id=uuid.uuid4(),
            area_code=org.area_code,
            team_id=org.id,
            given_name=given,
            family_name=family,
            date_of_birth=date(1995, 5, 1),
            address={},
            contact={},
            edd=TODAY - timedelta(days=40),
            stage="baby_in_care" if removed else "postnatal",
        )
        session.add(woman)
        await session.flush()
        session.add(
            Baby(
                id=uuid.uuid4(),
                woman_id=woman.id,
                number=1,
                born_at=NOON - timedelta(days=40),
                location="hospital",
                placement="care" if removed else "with_mother",
                observe_until=TODAY - timedelta(days=35),
            )
        )
        return woman.id


async def open_episode(
    sessions: async_sessionmaker[AsyncSession],
    woman_id: uuid.UUID,
    *,
    register: bool = True,
    **overrides: Any,
) -> uuid.UUID:
    """Her active episode, contact up to date, in her heightened-risk year, worker named; its
    duties in the register unless `register=False` (facts from before the register existed)."""
    async with transaction(sessions) as session:
        fields: dict[str, Any] = {
            "id": uuid.uuid4(),
            "woman_id": woman_id,
            "workflow_id": f"support-{uuid.uuid4()}",
            "status": "active",
            "opened_at": NOON - timedelta(days=30),
            "removal_on": TODAY - timedelta(days=30),
            "named_worker_id": await user_id(session, "sam.social"),
            "heightened_risk_until": TODAY + timedelta(days=300),
            "last_contact_on": TODAY - timedelta(days=2),
            "next_contact_due": TODAY + timedelta(days=5),
            "missed_contacts": 0,
        }
        episode = SupportEpisode(**(fields | overrides))
        session.add(episode)
        await session.flush()
        for item in ("housing", "peer_support"):
            session.add(SupportPlanItem(episode_id=episode.id, item=item))
        woman = await session.get(Woman, woman_id)
        assert woman is not None
        if register:
            await duty_support.on_opening(session, woman, episode, f"support:{episode.id}:opened")
        return episode.id


async def update_episode(
    sessions: async_sessionmaker[AsyncSession], episode_id: uuid.UUID, **fields: Any
) -> None:
    async with transaction(sessions) as session:
        episode = await session.get(SupportEpisode, episode_id)
        assert episode is not None
        for name, value in fields.items():
            setattr(episode, name, value)


async def sign_off(
    sessions: async_sessionmaker[AsyncSession], episode_id: uuid.UUID, *, register: bool = True
) -> None:
    """Her episode closed by a lead, with a reason and a handover; what it owed her ends with
    it in the register unless `register=False`."""
    async with sessions() as session:
        lead = await user_id(session, "lee.lead")
    await update_episode(
        sessions,
        episode_id,
        status="closed",
        closed_at=NOON,
        closed_by=lead,
        close_reason="Moved away; her new area has taken her on",
        handover_to="Eastshire team",
    )
    if not register:
        return
    async with transaction(sessions) as session:
        episode = await session.get(SupportEpisode, episode_id)
        assert episode is not None
        await duty_support.on_closed(session, episode, NOON)


async def allocate(
    sessions: async_sessionmaker[AsyncSession],
    woman_id: uuid.UUID,
    *,
    status: str = "accepted",
    accept_by: datetime | None = None,
    advocate: str = "ava.advocate",
) -> uuid.UUID:
    answered = NOON - timedelta(days=19)
    async with transaction(sessions) as session:
        row = AdvocateAllocation(
            woman_id=woman_id,
            advocate_user_id=await user_id(session, advocate),
            started_at=NOON - timedelta(days=20),
            status=status,
            offered_at=NOON - timedelta(days=20),
            accept_by=accept_by,
            responded_at=answered if status == "accepted" else None,
        )
        session.add(row)
        await session.flush()
        if status == "accepted":
            fact = f"advocacy:{row.id}:accepted"
            await duty_support.advocate_found(session, woman_id, answered, fact)
        elif accept_by is not None:
            await duty_support.advocate_offered(session, woman_id, accept_by)
        return row.id


async def open_task(
    sessions: async_sessionmaker[AsyncSession],
    woman_id: uuid.UUID,
    kind: str,
    *,
    next_at: datetime | None = None,
) -> uuid.UUID:
    """An escalation task open for the lead; with `next_at`, the escalation of the duty it is
    about (her advocate, her contact) has its next step then."""
    async with transaction(sessions) as session:
        if next_at is not None:
            for duty in await _live(session, woman_id, ESCALATED[kind]):
                await duties.escalate_duty(session, duty.key, next_at=next_at)
        task = Task(
            key=f"test:{uuid.uuid4()}",
            woman_id=woman_id,
            kind=kind,
            title="An escalation",
            assignee_user_id=await user_id(session, "lee.lead"),
        )
        session.add(task)
        await session.flush()
        return task.id


# The duty an escalation task is about.
ESCALATED = {
    "no_advocate_available": duty_support.ADVOCATE,
    "assertive_outreach": duty_support.CONTACT,
}


async def _live(session: AsyncSession, woman_id: uuid.UUID, kind: str) -> list[Duty]:
    return list(
        await session.scalars(
            select(Duty).where(
                Duty.woman_id == woman_id, Duty.kind == kind, Duty.status.in_(duties.LIVE)
            )
        )
    )


async def contact_due(
    sessions: async_sessionmaker[AsyncSession],
    woman_id: uuid.UUID,
    episode_id: uuid.UUID,
    due: date,
) -> None:
    """Her next contact is due on `due`: her episode says so, and her contact duty is due then
    (her episode checks it at 09:00 the next day)."""
    await update_episode(sessions, episode_id, next_contact_due=due)
    async with transaction(sessions) as session:
        for duty in await _live(session, woman_id, duty_support.CONTACT):
            await duties.redate_duty(
                session,
                duty.key,
                due_at=duties.end_of_day(due),
                next_at=duty_support.contact_check_at(due),
                at=duty.opened_at,
            )


async def contact_missed(
    sessions: async_sessionmaker[AsyncSession],
    woman_id: uuid.UUID,
    episode_id: uuid.UUID,
    due: date,
) -> None:
    """The contact due on `due` was missed and counted: her episode reaches out and checks
    again one interval on (as its workflow does)."""
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        episode = await session.get(SupportEpisode, episode_id)
        assert woman is not None
        assert episode is not None
        episode.missed_contacts += 1
        await duty_support.on_missed(session, woman, episode, due)


async def contact_made(
    sessions: async_sessionmaker[AsyncSession],
    woman_id: uuid.UUID,
    episode_id: uuid.UUID,
    on: date,
    next_due: date,
) -> None:
    """A contact with her on `on`: her episode counts it, and the next is due on `next_due`."""
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        episode = await session.get(SupportEpisode, episode_id)
        assert woman is not None
        assert episode is not None
        episode.last_contact_on, episode.next_contact_due = on, next_due
        episode.missed_contacts = 0
        at = datetime.combine(on, time(12), UTC)
        await duty_support.on_contact(session, woman, episode, f"test:contact:{on}", at)


async def add_deadline(
    sessions: async_sessionmaker[AsyncSession],
    woman_id: uuid.UUID,
    name: str,
    due: date,
    status: str = "pending",
    scope: str = "test",
) -> None:
    async with transaction(sessions) as session:
        session.add(
            Deadline(
                key=f"{woman_id}:{scope}:{name}",
                woman_id=woman_id,
                scope=scope,
                deadline=name,
                label=name.replace("_", " ").capitalize(),
                due=due,
                basis="test",
                status=status,
            )
        )


async def check(
    sessions: async_sessionmaker[AsyncSession], woman_id: uuid.UUID, today: date = TODAY
) -> WomanCheck:
    """Run the real `check_woman` activity as a worker would, at noon on the given UK day."""
    oversight = OversightActivities(sessions, now=lambda: datetime.combine(today, time(12), UTC))
    result: WomanCheck = await ActivityEnvironment().run(oversight.check_woman, woman_id)
    return result


async def check_at(
    sessions: async_sessionmaker[AsyncSession], woman_id: uuid.UUID, at: datetime
) -> WomanCheck:
    """Run the real `check_woman` activity at `at`, a workflow's time passed in as workflows do
    (after an event, between the daily sweeps)."""
    oversight = OversightActivities(sessions)
    request = CheckWomanRequest(woman_id=woman_id, at=at)
    result: WomanCheck = await ActivityEnvironment().run(oversight.check_woman, request)
    return result


async def sweep(sessions: async_sessionmaker[AsyncSession], today: date = TODAY) -> SweepResult:
    oversight = OversightActivities(sessions)
    result: SweepResult = await ActivityEnvironment().run(
        oversight.sweep_area_invariants, SweepRequest(today=today)
    )
    return result


async def owe(
    sessions: async_sessionmaker[AsyncSession],
    woman_id: uuid.UUID,
    kind: str,
    due_at: datetime,
    *,
    chased_until: datetime | None = None,
    owed_by: str | None = "sam.social",
) -> uuid.UUID:
    """A duty owed to her in the register, due at `due_at` (an escalation's next step at
    `chased_until`), owed by a person, else her team."""
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        assert woman is not None
        who = Owed(user_id=await user_id(session, owed_by) if owed_by else None)
        duty = await open_duty(
            session,
            key=f"test:{woman_id}:{kind}:{uuid.uuid4()}",
            woman=woman,
            kind=kind,
            label=kind.replace("_", " ").capitalize(),
            owed=who if owed_by else Owed(organisation_id=woman.team_id),
            due_at=due_at,
            at=due_at - timedelta(days=7),
            next_escalation_at=chased_until,
        )
        return duty.id
