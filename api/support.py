"""Her own support episode: contacts, plan items, and closure (a safeguarding lead only).
Every refusal to close it is kept on the record too."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.commands import issue, query
from api.declared_tracks import CLOSE_EPISODE, NAME_WORKER, RECORD_CONTACT, RECORD_PLAN_ITEM
from api.deps import AppSettings, CurrentPrincipal, Session, Temporal, require_role
from forms.common import Reason, Role
from forms.support import (
    CloseEpisode,
    ContactKind,
    NameWorker,
    PlanItem,
    RecordContact,
    RecordPlanItem,
    SupportState,
)
from services.named_worker import check_named_worker
from waymark import audit
from waymark.db.models import SupportEpisode, TimelineEvent, Woman
from waymark.db.session import transaction
from waymark.errors import DomainError, NotFound
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(prefix="/api/v1/women/{woman_id}/support", tags=["her support"])

Worker = Annotated[
    Principal,
    Depends(
        require_role(
            Role.SOCIAL_WORKER, Role.PRACTITIONER, Role.SAFEGUARDING_LEAD, action="support_her"
        )
    ),
]


class ContactRequest(BaseModel):
    on: date
    kind: ContactKind
    note: str = Field(default="", max_length=2000)


class PlanItemRequest(BaseModel):
    item: PlanItem
    outcome: str = Field(min_length=1, max_length=500)


class CloseRequest(BaseModel):
    reason: Reason
    handover_to: str = Field(min_length=1, max_length=200)
    second_reason: Reason | None = None


async def _episode(
    session: Session, principal: Principal, woman_id: uuid.UUID, action: str
) -> SupportEpisode:
    await visible_woman(session, principal, woman_id, action=action)
    episode = await session.scalar(
        select(SupportEpisode)
        .where(SupportEpisode.woman_id == woman_id)
        .order_by(SupportEpisode.opened_at.desc())
        .limit(1)
    )
    if episode is None:
        raise NotFound("she has no support episode")
    return episode


@router.get("")
async def get_support(
    woman_id: uuid.UUID, principal: CurrentPrincipal, session: Session, temporal: Temporal
) -> SupportState:
    """Her episode as it stands: named worker, contacts, plan, status."""
    episode = await _episode(session, principal, woman_id, "view_support")
    audit.record(
        session, principal.actor(), action="view_support", record_type="woman", record_id=woman_id
    )
    return await query(temporal, episode.workflow_id, "state", SupportState)


@router.post("/contacts", status_code=201)
async def record_contact(
    woman_id: uuid.UUID,
    body: ContactRequest,
    principal: Worker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> SupportState:
    """A contact with her (it resets the rhythm; missing one never closes anything)."""
    episode = await _episode(session, principal, woman_id, RECORD_CONTACT.action)
    command = RecordContact(**body.model_dump(), actor=principal.actor())
    return await issue(temporal, settings, session, RECORD_CONTACT, episode.workflow_id, command)


@router.post("/plan")
async def record_plan_item(
    woman_id: uuid.UUID,
    body: PlanItemRequest,
    principal: Worker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> dict[str, bool]:
    """A referral in her plan was answered."""
    episode = await _episode(session, principal, woman_id, RECORD_PLAN_ITEM.action)
    command = RecordPlanItem(**body.model_dump(), actor=principal.actor())
    await issue(temporal, settings, session, RECORD_PLAN_ITEM, episode.workflow_id, command)
    return {"ok": True}


class NameWorkerRequest(BaseModel):
    worker_id: uuid.UUID


@router.post("/named-worker")
async def name_worker(
    woman_id: uuid.UUID,
    body: NameWorkerRequest,
    principal: Worker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> SupportState:
    """Name her worker (a social worker in her team, never her baby's): meets the duty to."""
    episode = await _episode(session, principal, woman_id, NAME_WORKER.action)
    woman = await session.get(Woman, woman_id)
    assert woman is not None  # visible_woman found her
    await check_named_worker(session, principal.actor(), woman, episode, body.worker_id)
    command = NameWorker(worker_id=body.worker_id, actor=principal.actor())
    return await issue(temporal, settings, session, NAME_WORKER, episode.workflow_id, command)


@router.post("/close")
async def close_episode(
    woman_id: uuid.UUID,
    body: CloseRequest,
    request: Request,
    principal: CurrentPrincipal,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> SupportState:
    """Close her episode: a safeguarding lead's sign-off with a reason and a handover."""
    episode = await _episode(session, principal, woman_id, CLOSE_EPISODE.action)
    command = CloseEpisode(**body.model_dump(), actor=principal.actor())
    try:
        return await issue(temporal, settings, session, CLOSE_EPISODE, episode.workflow_id, command)
    except DomainError as refusal:
        await _record_refusal(request, principal, woman_id, refusal)
        raise


async def _record_refusal(
    request: Request, principal: Principal, woman_id: uuid.UUID, refusal: DomainError
) -> None:
    """A refused closure stays on her record, whoever tried and why it was refused."""
    async with transaction(request.app.state.sessions) as session:
        audit.record(
            session,
            principal.actor(),
            action="close_support",
            record_type="woman",
            record_id=woman_id,
            outcome="refused",
        )
        session.add(
            TimelineEvent(
                event_key=f"support:{woman_id}:close_refused:{principal.request_id}",
                woman_id=woman_id,
                kind="support_close_refused",
                occurred_at=_now(),
                actor_user_id=principal.user_id,
                summary=f"An attempt to close her support was refused: {refusal.message}",
                data={},
            )
        )


def _now() -> datetime:
    return datetime.now(UTC)
