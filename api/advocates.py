"""Independent advocacy: offering her an advocate and her answer, advocates' answers to offers,
their women, conflicts of interest and profiles. Every command passes the record-level policy
and a role check and is audited; workflow commands commit the request first (api.commands)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.commands import issue, start
from api.declared import Declared
from api.declared_tracks import (
    ADVOCATE_UNABLE,
    ALLOCATE_ADVOCATE,
    REALLOCATE_ADVOCATE,
    REMOVAL_HAPPENED,
    RESPOND_TO_OFFER,
    WITHDRAW_ALLOCATION,
)
from api.deps import AppSettings, CurrentPrincipal, Session, Temporal, require_role
from forms.advocacy import (
    AdvocacyHistory,
    AdvocateResponseRequest,
    AdvocateUnable,
    AllocatedWoman,
    AllocationInput,
    AllocationStatus,
    AnswerRecorded,
    ConflictRecorded,
    ConflictRequest,
    OfferRequest,
    OfferResponse,
    OfferView,
    ProfileRequest,
    ProfileView,
    RemovalHappened,
    RespondCommand,
    ResponseRecorded,
    ResponseRequest,
    Trigger,
    Withdraw,
    allocation_workflow_id,
)
from forms.common import Role
from services import advocacy_records as records
from services import advocacy_views as views
from services import advocates, users
from services.closed_case import refuse_if_closed
from waymark import audit
from waymark.db.models import AdvocateAllocation, Woman
from waymark.errors import Conflict, NotFound
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal
from waymark.settings import Settings

router = APIRouter(prefix="/api/v1", tags=["advocacy"])

SocialWorker = Annotated[
    Principal, Depends(require_role(Role.SOCIAL_WORKER, action="offer_advocacy"))
]
Advocate = Annotated[Principal, Depends(require_role(Role.ADVOCATE, action="answer_offer"))]
AdvocateReader = Annotated[
    Principal, Depends(require_role(Role.ADVOCATE, action="list_allocated_women"))
]
ConflictRecorder = Annotated[
    Principal,
    Depends(require_role(Role.SAFEGUARDING_LEAD, Role.ADVOCATE, action="record_conflicts")),
]
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN, action="manage_advocates"))]
ACCEPTED = AllocationStatus.ACCEPTED.value


def _now() -> datetime:
    return datetime.now(UTC)


@router.post("/women/{woman_id}/advocacy/offer", status_code=201)
async def offer_advocacy(
    woman_id: uuid.UUID, body: OfferRequest, principal: SocialWorker, session: Session
) -> OfferView:
    """Record that she was offered an independent advocate (R5.4)."""
    woman = await visible_woman(session, principal, woman_id, action="offer_advocacy")
    await refuse_if_closed(session, woman, "an advocate cannot be offered to her")
    current = await advocates.open_allocation(session, woman.id)
    if current is not None and current.status == ACCEPTED:
        raise Conflict("she already has an independent advocate")
    offer = await records.record_offer(
        session,
        woman,
        trigger=body.trigger,
        key=f"api:{uuid.uuid4()}",
        at=_now(),
        recorded_by=principal.user_id,
    )
    audit.record(
        session, principal.actor(), action="offer_advocacy", record_type="woman", record_id=woman.id
    )
    return OfferView.model_validate(offer, from_attributes=True)


@router.post("/women/{woman_id}/advocacy/response")
async def record_advocacy_response(
    woman_id: uuid.UUID,
    body: ResponseRequest,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> ResponseRecorded:
    """Her answer to the offer; if she accepts, an advocate is allocated."""
    woman = await visible_woman(session, principal, woman_id, action=WITHDRAW_ALLOCATION.action)
    await refuse_if_closed(session, woman, "no advocate can be allocated to her")
    response = OfferResponse(body.response)
    offer = await records.pending_offer(session, woman.id)
    if offer is None:
        raise Conflict("no offer of an advocate is waiting for her answer: record the offer first")
    # Temporal first: if it cannot be reached nothing is recorded, so a retry is safe.
    workflow_id = None
    if response is OfferResponse.ACCEPTED:
        inp = _allocation_input(woman, Trigger(offer.trigger), offer.id)
        workflow_id = await _start_allocation(session, temporal, settings, ALLOCATE_ADVOCATE, inp)
    else:
        await _stop_allocation(session, temporal, settings, woman, principal)
    await records.record_response(
        session, woman, response=response, at=_now(), by=principal.user_id
    )
    audit.record(
        session,
        principal.actor(),
        action=f"advocacy_{response.value}",
        record_type="woman",
        record_id=woman.id,
    )
    return ResponseRecorded(offer_id=offer.id, response=response, workflow_id=workflow_id)


def _allocation_input(woman: Woman, trigger: Trigger, request_id: uuid.UUID) -> AllocationInput:
    return AllocationInput(
        woman_id=woman.id,
        area=woman.area_code,
        trigger=trigger,
        after_removal=trigger is Trigger.REMOVAL,
        request_id=request_id,
    )


async def _start_allocation(
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    declared: Declared,
    inp: AllocationInput,
) -> str:
    """Start her allocation workflow, or join the one running (made urgent after a removal)."""
    workflow_id = allocation_workflow_id(inp.woman_id)
    await start(temporal, settings, session, declared, workflow_id, inp)
    if inp.after_removal:
        removal = RemovalHappened(at=_now())
        await issue(temporal, settings, session, REMOVAL_HAPPENED, workflow_id, removal)
    return workflow_id


async def _stop_allocation(
    session: AsyncSession, temporal: Client, settings: Settings, woman: Woman, principal: Principal
) -> None:
    """She said no: a running allocation stops, and her advocate's allocation ends."""
    try:
        withdraw = Withdraw(actor=principal.actor())
        target = allocation_workflow_id(woman.id)
        await issue(temporal, settings, session, WITHDRAW_ALLOCATION, target, withdraw)
    except (NotFound, Conflict):
        pass  # no allocation is running for her
    current = await advocates.open_allocation(session, woman.id)
    if current is not None and current.status == ACCEPTED:
        await views.end_accepted(session, current, "she declined advocacy", _now())


@router.post("/advocacy/allocations/{allocation_id}/respond")
async def answer_offer(
    allocation_id: uuid.UUID,
    body: AdvocateResponseRequest,
    principal: Advocate,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> AnswerRecorded:
    """The advocate a woman's case was offered to accepts or declines it."""
    allocation = await session.get(AdvocateAllocation, allocation_id)
    if allocation is None or allocation.advocate_user_id != principal.user_id:
        audit.record(
            session,
            principal.actor(),
            action="answer_offer",
            record_type="allocation",
            record_id=allocation_id,
            outcome="denied",
        )
        raise NotFound("no such offer for you")
    if allocation.status != AllocationStatus.OFFERED.value:
        raise Conflict("this offer is no longer waiting for an answer")
    audit.record(
        session,
        principal.actor(),
        action=f"answer_offer_{body.reply.value}",
        record_type="woman",
        record_id=allocation.woman_id,
    )
    command = RespondCommand(
        allocation_id=allocation.id,
        reply=body.reply,
        actor=principal.actor(),
        reason=body.reason or "",
    )
    target = allocation_workflow_id(allocation.woman_id)
    status = await issue(temporal, settings, session, RESPOND_TO_OFFER, target, command)
    return AnswerRecorded(status=status)


@router.get("/advocates/me/women")
async def my_women(principal: AdvocateReader, session: Session) -> list[AllocatedWoman]:
    """The women allocated to you, and those whose case awaits your answer."""
    return await views.allocated_women(session, principal)


@router.get("/women/{woman_id}/advocacy")
async def advocacy_history(
    woman_id: uuid.UUID, principal: CurrentPrincipal, session: Session
) -> AdvocacyHistory:
    """Every offer of an advocate to her, and every allocation."""
    await visible_woman(session, principal, woman_id, action="view_advocacy")
    return await views.history(session, principal, woman_id)


@router.post("/advocates/{user_id}/conflicts", status_code=201)
async def record_conflict(
    user_id: uuid.UUID,
    body: ConflictRequest,
    principal: ConflictRecorder,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> ConflictRecorded:
    """A conflict of interest: this advocate is never allocated to her, and is replaced."""
    advocate = await views.advocate_account(session, user_id)
    woman = await views.conflict_woman(session, principal, advocate, body.woman_id)
    row, current = await views.record_conflict(session, principal, advocate, woman.id, body.reason)
    reallocating = current is not None and current.status == ACCEPTED
    if reallocating:
        # Her allocation workflow sees the conflict, ends the allocation and finds another.
        inp = _allocation_input(woman, Trigger.REALLOCATION, row.id)
        await _start_allocation(session, temporal, settings, REALLOCATE_ADVOCATE, inp)
    else:
        await _tell_running(session, temporal, settings, woman.id, advocate.id)
    return ConflictRecorded(id=row.id, reallocating=reallocating)


async def _tell_running(
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    woman_id: uuid.UUID,
    advocate_id: uuid.UUID,
) -> None:
    """A running allocation stops considering (or waiting for) this advocate."""
    unable = AdvocateUnable(advocate_user_id=advocate_id)
    target = allocation_workflow_id(woman_id)
    try:
        await issue(temporal, settings, session, ADVOCATE_UNABLE, target, unable)
    except (NotFound, Conflict):
        pass  # no allocation is running for her


@router.put("/advocates/{user_id}/profile")
async def save_profile(
    user_id: uuid.UUID, body: ProfileRequest, principal: Admin, session: Session
) -> ProfileView:
    """An advocate's areas, languages, capacity, leave and whether she manages the service."""
    advocate, profile = await users.save_advocate_profile(session, principal, user_id, body)
    return ProfileView(
        user_id=advocate.id,
        capacity=profile.capacity,
        areas=profile.areas,
        languages=profile.languages,
        on_leave_from=profile.on_leave_from,
        on_leave_until=profile.on_leave_until,
        is_manager=profile.is_manager,
    )
