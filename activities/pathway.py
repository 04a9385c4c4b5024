"""Pathway events on her record, and the area rules a pathway runs under."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError

from activities.business_time import business_time
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.area import AreaRules
from forms.prebirth import RecordContactAnswer, RecordPathwayEvent
from rules.calendar import with_closed_days
from rules.uktime import uk_date
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import TimelineEvent, Woman
from waymark.db.models.delivery import ContactRequest
from waymark.db.session import transaction


class PathwayActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.load_area_rules)
    async def load_area_rules(self, area: str) -> AreaRules:
        """The area's rules as they are now, with its closed days from this year for the next
        few (a recorded result, so replay does not change)."""
        return with_closed_days(get_area(area), uk_date(business_time()).year)

    @implements(acts.record_contact_answer)
    async def record_contact_answer(self, inp: RecordContactAnswer) -> None:
        """Mark her contact request answered (by whom, when); a repeat changes nothing."""
        async with transaction(self._sessions) as session:
            request = await session.get(ContactRequest, inp.request_id)
            if request is None or request.responded_at is not None:
                return
            request.responded_at, request.responded_by = inp.at, inp.actor.user_id
            request.status = "answered"
            audit.record(
                session,
                inp.actor,
                action="answer_contact_request",
                record_type="woman",
                record_id=request.woman_id,
            )

    @implements(acts.record_pathway_event)
    async def record_pathway_event(self, inp: RecordPathwayEvent) -> None:
        """Add the event to her timeline and update the fields it changes; a repeat does nothing."""
        async with transaction(self._sessions) as session:
            exists = await session.scalar(
                select(TimelineEvent.id).where(TimelineEvent.event_key == inp.event_key)
            )
            if exists is not None:
                return
            woman = await session.get(Woman, inp.woman_id)
            if woman is None:
                raise ApplicationError("her record is not found", type="InvalidRecord")
            if inp.stage is not None:
                woman.stage = inp.stage
            if inp.edd is not None:
                woman.edd = inp.edd
            if inp.coordinator_id is not None:
                woman.coordinator_user_id = inp.coordinator_id
            if inp.mother_only is not None:
                woman.mother_only = inp.mother_only
            session.add(
                TimelineEvent(
                    event_key=inp.event_key,
                    woman_id=inp.woman_id,
                    kind=inp.kind,
                    occurred_at=inp.at,
                    actor_user_id=inp.actor.user_id if inp.actor else None,
                    summary=inp.summary,
                    data=dict(inp.data),
                )
            )
            audit.record(
                session, inp.actor, action=inp.kind, record_type="woman", record_id=inp.woman_id
            )
