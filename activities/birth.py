"""Writing babies to the read model: birth, placement (including removal), discharge."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from forms.birth import RecordBabyEvent
from waymark import audit
from waymark.db.models import Baby, TimelineEvent
from waymark.db.session import transaction


class BirthActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @activity.defn(name="record_baby_event")
    async def record_baby_event(self, inp: RecordBabyEvent) -> None:
        """Keep the baby's row in step and add the event to her timeline; a repeat does nothing."""
        baby = inp.baby
        key = f"baby:{baby.baby_id}:{inp.event}:{inp.at.isoformat()}"
        async with transaction(self._sessions) as session:
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
                row.discharged_at = inp.at
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
            audit.record(
                session,
                inp.actor,
                action=f"baby_{inp.event}",
                record_type="woman",
                record_id=inp.woman_id,
            )
