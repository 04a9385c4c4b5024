"""The possible-match queue: her team's social workers confirm (the referral joins the record)
or reject (it starts a record of its own) each referral that may be for a woman on record."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api import intake
from api.deps import AppSettings, Session, Temporal, require_role
from forms.common import Reason, Role
from forms.referral import ReferralForm, ReferralReceipt
from services import possible_matches as queue
from waymark.areas import get_area
from waymark.security.principal import Principal
from waymark.settings import Settings

router = APIRouter(prefix="/api/v1/possible-matches", tags=["possible matches"])

SocialWorker = Annotated[
    Principal, Depends(require_role(Role.SOCIAL_WORKER, action="resolve_possible_match"))
]


class PossibleMatchView(BaseModel):
    id: uuid.UUID
    received_at: datetime
    basis: str
    referred_name: str
    referred_date_of_birth: date
    woman_id: uuid.UUID
    woman_name: str
    woman_date_of_birth: date


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


@router.get("")
async def list_open(principal: SocialWorker, session: Session) -> list[PossibleMatchView]:
    """Referrals waiting for your team to say whether they are for a woman on record."""
    return [view(item) for item in await queue.open_items(session, principal)]


def view(item: queue.QueueItem) -> PossibleMatchView:
    woman, her = item.form.woman, item.candidate
    return PossibleMatchView(
        id=item.match.id,
        received_at=item.match.created_at,
        basis=item.basis,
        referred_name=f"{woman.given_name} {woman.family_name}",
        referred_date_of_birth=woman.date_of_birth,
        woman_id=her.id,
        woman_name=f"{her.given_name} {her.family_name}",
        woman_date_of_birth=her.date_of_birth,
    )


@router.post("/{match_id}/confirm")
async def confirm(
    match_id: uuid.UUID,
    body: Decision,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> ReferralReceipt:
    """She is the woman on record: the referral joins her record and pathway."""
    return await resolve(session, temporal, settings, principal, match_id, body, join=True)


@router.post("/{match_id}/reject")
async def reject(
    match_id: uuid.UUID,
    body: Decision,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> ReferralReceipt:
    """She is someone else: the referral starts a record and pathway of its own."""
    return await resolve(session, temporal, settings, principal, match_id, body, join=False)


async def resolve(
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    principal: Principal,
    match_id: uuid.UUID,
    body: Decision,
    *,
    join: bool,
) -> ReferralReceipt:
    """Deliver the held referral, then record the decision: a delivery that fails leaves the
    item open to decide again, so the referral is never lost between the two."""
    row = await queue.open_item(session, principal, match_id)
    form = ReferralForm.model_validate(row.referral)
    woman_id = row.candidate_woman_id if join else row.proposed_woman_id
    delivery = intake.Delivery(
        form, queue.referrer(row), woman_id, row.referral_id, row.fingerprint, get_area(form.area)
    )
    receipt, _ = await intake.deliver(
        delivery, session=session, temporal=temporal, settings=settings
    )
    queue.decide(session, principal, row, join=join, reason=body.reason)
    return receipt
