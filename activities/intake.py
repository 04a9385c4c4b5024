"""Side effects of a further referral joining a woman's record, each written once."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError

from activities.referral import add_referral, involve, referring_organisation
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.intake import RecordFurtherReferral
from services import advocacy_records as records
from services.advocacy_records import Note
from waymark import audit
from waymark.db.models import Referral, Woman
from waymark.db.session import transaction

FURTHER = "further_referral"


class IntakeActivities:
    """Built with a session maker; each method is one transaction keyed by the referral id."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.record_further_referral)
    async def record_further_referral(self, inp: RecordFurtherReferral) -> None:
        """A further referral on her record: her timeline, the agency involved (from her own
        area only), her social workers told, or her team given a task; a repeat changes nothing."""
        async with transaction(self._sessions) as session:
            if await session.get(Referral, inp.referral_id) is not None:
                return
            woman = await session.get(Woman, inp.woman_id)
            if woman is None:
                raise ApplicationError("her record is not on file", type="InvalidRecord")
            org = await referring_organisation(session, inp.referral, inp.actor)
            add_referral(session, inp, org)
            key = f"referral:{inp.referral_id}:received"
            if inp.referral.area == woman.area_code:
                await involve(session, woman.id, org.id, "referrer")
                summary = f"Further referral received from {org.name}"
            else:
                summary = f"Referral received from {org.name}, an agency in another area"
            await records.timeline(session, key, woman.id, FURTHER, inp.received_at, summary)
            await _tell_her_team(session, woman, key, summary, inp)
            audit.record(
                session, inp.actor, action="join_referral", record_type="woman", record_id=woman.id
            )


async def _tell_her_team(
    session: AsyncSession, woman: Woman, key: str, summary: str, inp: RecordFurtherReferral
) -> None:
    """Her co-ordinator and the social workers who screened her referrals are told; with
    nobody named (or a referral from another area), her team gets a task to look at it."""
    people = await _her_social_workers(session, woman)
    if people:
        note = Note(key, FURTHER, summary + ".")
        await records.tell(session, note, woman.id, people, inp.received_at)
    if not people or inp.referral.area != woman.area_code:
        title = summary + ": look at it on her record"
        await records.task(
            session, f"{key}:task", woman, (None, woman.team_id), FURTHER, title, inp.received_at
        )


async def _her_social_workers(session: AsyncSession, woman: Woman) -> list[uuid.UUID]:
    screened = await session.scalars(
        select(Referral.screened_by).where(
            Referral.woman_id == woman.id, Referral.screened_by.is_not(None)
        )
    )
    people = [woman.coordinator_user_id, *screened]
    return [p for p in dict.fromkeys(people) if p is not None]
