"""Reading a woman's record, always through the record-level policy and always audited."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.women import (
    AgencySummary,
    ReferralSummary,
    TimelineEntry,
    WomanListItem,
    WomanSummary,
)
from services import women_parts as parts
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import (
    AdvocateAllocation,
    Document,
    Involvement,
    Organisation,
    Referral,
    TimelineEvent,
    User,
    Woman,
)
from waymark.errors import NotFound
from waymark.security.policy import serving_advocate, visible_woman, visible_women
from waymark.security.principal import Principal


async def woman_summary(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID
) -> WomanSummary:
    """Her record as staff see it; the view is on the audit trail."""
    woman = await visible_woman(session, principal, woman_id, action="view_woman")
    team = await session.get(Organisation, woman.team_id)
    summary = WomanSummary(
        id=woman.id,
        given_name=woman.given_name,
        family_name=woman.family_name,
        preferred_name=woman.preferred_name,
        date_of_birth=woman.date_of_birth,
        area=woman.area_code,
        edd=woman.edd,
        stage=woman.stage,
        team=team.name if team else "",
        coordinator=await _user_name(session, woman.coordinator_user_id),
        advocate=await _advocate_name(session, woman.id),
        agencies=await _agencies(session, woman.id),
        referrals=await _referrals(session, woman.id),
        deadlines=await parts.deadlines(session, woman.id, get_area(woman.area_code)),
        meetings=await parts.meetings(session, woman.id),
        conferences=await parts.conferences(session, woman.id),
        documents=await parts.documents(session, woman.id),
        timeline=await _timeline(session, woman.id),
    )
    audit.record(
        session, principal.actor(), action="view_woman", record_type="woman", record_id=woman.id
    )
    return summary


async def list_women(session: AsyncSession, principal: Principal) -> list[WomanListItem]:
    """The women this person may see, newest due date last; each listing is audited."""
    rows = await session.scalars(
        select(Woman).where(visible_women(principal)).order_by(Woman.edd, Woman.id)
    )
    items = []
    for woman in rows:
        name = woman.preferred_name or woman.given_name
        items.append(
            WomanListItem(
                id=woman.id,
                name=f"{name} {woman.family_name}",
                stage=woman.stage,
                edd=woman.edd,
                nation=get_area(woman.area_code).nation,
            )
        )
        audit.record(
            session, principal.actor(), action="list_woman", record_type="woman", record_id=woman.id
        )
    return items


async def _user_name(session: AsyncSession, user_id: uuid.UUID | None) -> str | None:
    user = await session.get(User, user_id) if user_id else None
    return user.display_name if user else None


async def document_html(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID, document_id: uuid.UUID
) -> str:
    """One of her documents, as HTML; the view is on the audit trail."""
    await visible_woman(session, principal, woman_id, action="view_document")
    document = await session.get(Document, document_id)
    if document is None or document.woman_id != woman_id:
        raise NotFound("no such document for her")
    audit.record(
        session,
        principal.actor(),
        action="view_document",
        record_type="woman",
        record_id=woman_id,
        detail=f"document {document_id}",
    )
    return document.html


async def _advocate_name(session: AsyncSession, woman_id: uuid.UUID) -> str | None:
    return await session.scalar(
        select(User.display_name)
        .join(AdvocateAllocation, AdvocateAllocation.advocate_user_id == User.id)
        .where(AdvocateAllocation.woman_id == woman_id, serving_advocate())
    )


async def _agencies(session: AsyncSession, woman_id: uuid.UUID) -> list[AgencySummary]:
    rows = await session.execute(
        select(Organisation, Involvement.reason)
        .join(Involvement, Involvement.organisation_id == Organisation.id)
        .where(Involvement.woman_id == woman_id)
        .order_by(Organisation.name)
    )
    return [
        AgencySummary(code=org.code, name=org.name, agency_kind=org.agency_kind, reason=reason)
        for org, reason in rows
    ]


async def _referrals(session: AsyncSession, woman_id: uuid.UUID) -> list[ReferralSummary]:
    rows = await session.execute(
        select(Referral, Organisation.name)
        .join(Organisation, Organisation.id == Referral.referring_organisation_id)
        .where(Referral.woman_id == woman_id)
        .order_by(Referral.received_at)
    )
    return [
        ReferralSummary(
            id=ref.id,
            received_at=ref.received_at,
            referring_agency=agency,
            referrer_name=ref.referrer_name,
            screening_decision=ref.screening_decision,
            screened_at=ref.screened_at,
        )
        for ref, agency in rows
    ]


async def _timeline(session: AsyncSession, woman_id: uuid.UUID) -> list[TimelineEntry]:
    # Hers, and what work still running for a record merged into hers (a support episode,
    # an advocate's allocation) writes under that record's id.
    merged = select(Woman.id).where(Woman.merged_into_id == woman_id)
    rows = await session.scalars(
        select(TimelineEvent)
        .where(or_(TimelineEvent.woman_id == woman_id, TimelineEvent.woman_id.in_(merged)))
        .order_by(TimelineEvent.occurred_at, TimelineEvent.event_key)
    )
    return [TimelineEntry(kind=e.kind, occurred_at=e.occurred_at, summary=e.summary) for e in rows]
