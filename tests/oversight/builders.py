"""Small builders for oversight tests: a woman, her baby placed in care, her episode, her
advocate, open tasks; and a check of her invariant on a fixed day."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.oversight import OversightActivities
from forms.ledger import SweepRequest, SweepResult, WomanCheck
from services.duties import Owed, open_duty
from waymark.db.models import (
    AdvocateAllocation,
    Baby,
    Deadline,
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
    sessions: async_sessionmaker[AsyncSession], woman_id: uuid.UUID, **overrides: Any
) -> uuid.UUID:
    """Her active episode, contact up to date, in her heightened-risk year, worker named."""
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
        return episode.id


async def update_episode(
    sessions: async_sessionmaker[AsyncSession], episode_id: uuid.UUID, **fields: Any
) -> None:
    async with transaction(sessions) as session:
        episode = await session.get(SupportEpisode, episode_id)
        assert episode is not None
        for name, value in fields.items():
            setattr(episode, name, value)


async def sign_off(sessions: async_sessionmaker[AsyncSession], episode_id: uuid.UUID) -> None:
    """Her episode closed by a lead, with a reason and a handover."""
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


async def allocate(
    sessions: async_sessionmaker[AsyncSession],
    woman_id: uuid.UUID,
    *,
    status: str = "accepted",
    accept_by: datetime | None = None,
    advocate: str = "ava.advocate",
) -> uuid.UUID:
    async with transaction(sessions) as session:
        row = AdvocateAllocation(
            woman_id=woman_id,
            advocate_user_id=await user_id(session, advocate),
            started_at=NOON - timedelta(days=20),
            status=status,
            offered_at=NOON - timedelta(days=20),
            accept_by=accept_by,
            responded_at=NOON - timedelta(days=19) if status == "accepted" else None,
        )
        session.add(row)
        await session.flush()
        return row.id


async def open_task(
    sessions: async_sessionmaker[AsyncSession], woman_id: uuid.UUID, kind: str
) -> uuid.UUID:
    async with transaction(sessions) as session:
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
