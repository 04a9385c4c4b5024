"""Writing babies to the read model: birth, placement (including removal), discharge."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.wake import waking_transaction
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.birth import Placement, RecordBabyEvent
from rules.uktime import uk_date, uk_wall_to_utc
from waymark import audit
from waymark.db.models import Baby, Notice, Organisation, Task, TimelineEvent, Woman


class BirthActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.record_baby_event)
    async def record_baby_event(self, inp: RecordBabyEvent) -> None:
        """Keep the baby's row in step and add the event to her timeline; a repeat does nothing."""
        baby = inp.baby
        key = f"baby:{baby.baby_id}:{inp.event}:{inp.at.isoformat()}"
        async with waking_transaction(self._sessions) as session:
            if (
                await session.scalar(select(TimelineEvent.id).where(TimelineEvent.event_key == key))
                is not None
            ):
                return
            row = await session.get(Baby, baby.baby_id)
            if row is None:
                row = Baby(
                    id=baby.baby_id,
                    woman_id=inp.woman_id,
                    number=baby.number,
                    born_at=baby.born_at,
                    observe_until=baby.observe_until,
                )
                session.add(row)
            row.location, row.placement = baby.location.value, baby.placement.value
            row.legal_basis = baby.legal_basis.value if baby.legal_basis else None
            if inp.event == "discharged":
                row.discharged_at = _happened_at(inp)
            session.add(
                TimelineEvent(
                    event_key=key,
                    woman_id=inp.woman_id,
                    kind=f"baby_{inp.event}",
                    occurred_at=inp.at,
                    actor_user_id=inp.actor.user_id if inp.actor else None,
                    summary=inp.summary + (f": {inp.reason}" if inp.reason else ""),
                    data={"baby_id": str(baby.baby_id)},
                )
            )
            await _postnatal_tasks(session, inp)
            await _event_task(session, inp, key)
            audit.record(
                session,
                inp.actor,
                action=f"baby_{inp.event}",
                record_type="woman",
                record_id=inp.woman_id,
            )


async def _event_task(session: AsyncSession, inp: RecordBabyEvent, key: str) -> None:
    """The task the event asks for, to her worker (or her team)."""
    woman = await session.get(Woman, inp.woman_id)
    if inp.task is None or woman is None:
        return
    session.add(
        Task(
            key=f"{key}:task",
            woman_id=woman.id,
            assignee_user_id=woman.coordinator_user_id,
            assignee_organisation_id=None if woman.coordinator_user_id else woman.team_id,
            kind=inp.task_kind,
            due=inp.task_due,
            title=inp.task,
        )
    )


async def _postnatal_tasks(session: AsyncSession, inp: RecordBabyEvent) -> None:
    """At birth, her postnatal plan starts with staying together (R5.9); when her baby goes
    home with her, the health visitor takes over day-to-day care."""
    woman = await session.get(Woman, inp.woman_id)
    if woman is None:
        return
    baby = inp.baby
    if inp.event == "born":
        session.add(
            Task(
                key=f"baby:{baby.baby_id}:stay_together",
                woman_id=woman.id,
                assignee_user_id=woman.coordinator_user_id,
                assignee_organisation_id=None if woman.coordinator_user_id else woman.team_id,
                kind="postnatal_plan",
                due=None,
                title="Postnatal plan: help her stay with her baby on the ward where possible",
            )
        )
    home = baby.placement in (Placement.WITH_MOTHER, Placement.MOTHER_AND_BABY)
    if inp.event == "discharged" and home:
        visitors = await session.scalar(
            select(Organisation)
            .where(
                Organisation.area_code == woman.area_code,
                Organisation.agency_kind == "health_visiting",
            )
            .order_by(Organisation.code)
            .limit(1)
        )
        session.add(
            Task(
                key=f"baby:{baby.baby_id}:health_visitor",
                woman_id=woman.id,
                assignee_organisation_id=visitors.id if visitors else woman.team_id,
                kind="health_visitor_handover",
                due=None,
                title=f"Health visitor handover: baby {baby.number} is home",
            )
        )
        if visitors is not None:
            session.add(
                Notice(
                    key=f"baby:{baby.baby_id}:health_visitor:notice",
                    woman_id=woman.id,
                    recipient_kind="agency",
                    recipient_organisation_id=visitors.id,
                    kind="health_visitor_handover",
                    send_at=inp.at,
                    summary="A baby on a child protection pathway is home: please arrange visits",
                )
            )


def _happened_at(inp: RecordBabyEvent) -> datetime:
    """When it happened: the moment recorded, or the end of an earlier day given (UK time)."""
    if inp.on is None or inp.on >= uk_date(inp.at):
        return inp.at
    return uk_wall_to_utc(inp.on, time(23, 59))
