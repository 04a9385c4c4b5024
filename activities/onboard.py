"""Side effects of bringing a woman in from an area's records, each written once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.business_time import business_time
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.onboard import OverdueOnArrival
from rules.wording import long_date
from services import duties
from services.duty_clocks import duty_key
from waymark.db.models import Task
from waymark.db.session import transaction


class OnboardActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.record_overdue_on_arrival)
    async def record_overdue_on_arrival(self, inp: OverdueOnArrival) -> None:
        """A task for her team for each duty already overdue when she was brought in (never a
        notice about the past); the deadline and its duty stay open, and overdue, on record.
        Its chain's steps are past and will not run: the sweep's repeats carry it on."""
        at = business_time()
        async with transaction(self._sessions) as session:
            for clock in inp.clocks:
                await duties.end_chain(session, duty_key(clock), at=at, step=False)
                key = f"onboard:{clock.key}:overdue"
                if await session.scalar(select(Task.id).where(Task.key == key)) is not None:
                    continue
                session.add(
                    Task(
                        key=key,
                        woman_id=inp.woman_id,
                        assignee_organisation_id=inp.team_id,
                        kind="overdue_on_arrival",
                        title=f"{clock.label}: overdue when her case was brought in "
                        f"(due {long_date(clock.due)})",
                        due=clock.due,
                    )
                )
