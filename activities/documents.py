"""Documents for the woman that are not tied to one meeting: her information pack (R8.1)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError

from activities.business_time import business_time
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.documents import DocumentKind, InformationPackContext, Person, render
from forms.situation import Situation
from rules.uktime import uk_date
from services import documents
from services.situation import baby_orders, baby_situation
from waymark.areas import get_area
from waymark.db.models import Involvement, Organisation, TimelineEvent, Woman
from waymark.db.session import transaction

AGENCY_ROLES = {
    "children_social_care": "Children's social care",
    "maternity": "Maternity (midwives)",
    "drug_treatment": "Drug treatment service",
    "health_visiting": "Health visiting",
    "gp": "GP",
    "perinatal_mental_health": "Perinatal mental health",
    "police": "Police",
    "housing": "Housing",
    "peer_support": "Peer support",
}


class DocumentActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.issue_information_pack)
    async def issue_information_pack(self, woman_id: uuid.UUID) -> None:
        """Write her plain-language information pack and a notice to send it to her."""
        key = f"information_pack:{woman_id}"
        # Dated by when her pathway asked for it (its input is her id alone).
        at = business_time()
        async with transaction(self._sessions) as session:
            woman = await session.get(Woman, woman_id)
            if woman is None:
                raise ApplicationError("her record is not found", type="InvalidRecord")
            area = get_area(woman.area_code)
            advocate, worker = await documents.her_people(session, woman)
            situation = await baby_situation(session, woman_id=woman.id)
            pack = render(
                DocumentKind.INFORMATION_PACK,
                InformationPackContext(
                    nation=area.nation,
                    area_name=area.name,
                    issued_on=uk_date(at),
                    woman_name=documents.preferred_name(woman),
                    advocate=advocate,
                    named_worker=worker,
                    involved=await _involved(session, woman),
                    unborn=situation is Situation.BEFORE_BIRTH,
                    situation=situation,
                    orders=await baby_orders(session, woman_id=woman.id),
                    formats=documents.her_formats(woman, area),
                ),
            )
            if await documents.store(session, woman.id, key, pack, at=at, send_to_woman=True):
                session.add(
                    TimelineEvent(
                        event_key=key,
                        woman_id=woman.id,
                        kind="information_pack",
                        occurred_at=at,
                        summary="Information pack sent to her",
                        data={},
                    )
                )


async def _involved(session: AsyncSession, woman: Woman) -> list[Person]:
    rows = await session.scalars(
        select(Organisation)
        .join(Involvement, Involvement.organisation_id == Organisation.id)
        .where(Involvement.woman_id == woman.id)
        .order_by(Organisation.name)
    )
    return [
        Person(name=org.name, role=AGENCY_ROLES.get(org.agency_kind, "Support service"))
        for org in rows
    ]
