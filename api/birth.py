"""Birth, a baby's moves in hospital, placement, discharge, a meeting held, and closing the
baby's case."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends
from pydantic import AwareDatetime, BaseModel, Field
from sqlalchemy import func, select

from api.commands import issue
from api.declared import (
    CLOSE_CASE,
    MEETING_HELD,
    MOVE_BABY,
    RECORD_BIRTH,
    RECORD_DISCHARGE,
    RECORD_PLACEMENT,
)
from api.deps import AppSettings, Session, Temporal, require_role
from forms.birth import (
    BabyAtBirth,
    BabyLocation,
    BabyState,
    CloseCase,
    Exposure,
    LegalBasis,
    MoveBaby,
    Placement,
    RecordBirth,
    RecordDischarge,
    RecordPlacement,
)
from forms.common import Reason, Role
from forms.meeting import MeetingHeld, MeetingReceipt
from forms.pathway import Stage
from rules.wording import date_and_time
from waymark.db.models import Referral
from waymark.errors import Invalid
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal
from workflows.pathway import workflow_id

router = APIRouter(prefix="/api/v1/women/{woman_id}", tags=["birth and placement"])

BirthRecorder = Annotated[
    Principal, Depends(require_role(Role.SOCIAL_WORKER, Role.PRACTITIONER, action="record_birth"))
]
SocialWorker = Annotated[
    Principal, Depends(require_role(Role.SOCIAL_WORKER, action="record_placement"))
]


class BirthRequest(BaseModel):
    born_at: AwareDatetime
    gestation_weeks: int = Field(ge=22, le=44)
    gestation_days: int = Field(default=0, ge=0, le=6)
    babies: list[BabyAtBirth] = Field(min_length=1, max_length=4)
    exposure: Exposure = Exposure.NONE_KNOWN


class PlacementRequest(BaseModel):
    placement: Placement
    legal_basis: LegalBasis | None = None
    reason: Reason


class DischargeRequest(BaseModel):
    discharged_on: date | None = None


class MoveRequest(BaseModel):
    location: BabyLocation


class ReasonRequest(BaseModel):
    reason: Reason


class StageReply(BaseModel):
    stage: Stage


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive UTC times; PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.post("/birth", status_code=201)
async def record_birth(
    woman_id: uuid.UUID,
    body: BirthRequest,
    principal: BirthRecorder,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> list[BabyState]:
    """Record the birth (maternity or the social worker): the unborn record becomes a baby."""
    woman = await visible_woman(session, principal, woman_id, action=RECORD_BIRTH.action)
    referred = await session.scalar(
        select(func.min(Referral.received_at)).where(Referral.woman_id == woman.id)
    )
    if referred is not None and body.born_at < as_utc(referred):
        raise Invalid(
            f"born_at: the birth cannot be before her referral was received "
            f"({date_and_time(as_utc(referred))}); check the date and time of birth"
        )
    command = RecordBirth(**body.model_dump(), actor=principal.actor())
    babies: list[BabyState] = await issue(
        temporal, settings, session, RECORD_BIRTH, workflow_id(woman_id), command
    )
    return babies


@router.post("/babies/{baby_id}/placement")
async def record_placement(
    woman_id: uuid.UUID,
    baby_id: uuid.UUID,
    body: PlacementRequest,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> StageReply:
    """Where her baby is to live; a placement in care starts her own support at once."""
    await visible_woman(session, principal, woman_id, action=RECORD_PLACEMENT.action)
    command = RecordPlacement(baby_id=baby_id, **body.model_dump(), actor=principal.actor())
    stage = await issue(
        temporal, settings, session, RECORD_PLACEMENT, workflow_id(woman_id), command
    )
    return StageReply(stage=stage)


@router.post("/babies/{baby_id}/discharge")
async def record_discharge(
    woman_id: uuid.UUID,
    baby_id: uuid.UUID,
    principal: BirthRecorder,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
    body: Annotated[DischargeRequest | None, Body()] = None,
) -> dict[str, bool]:
    """The baby leaves hospital (refused until a required pre-discharge meeting is held), on
    the day given, or today; before the birth or in the future is refused (422)."""
    await visible_woman(session, principal, woman_id, action=RECORD_DISCHARGE.action)
    day = body.discharged_on if body else None
    command = RecordDischarge(baby_id=baby_id, discharged_on=day, actor=principal.actor())
    await issue(temporal, settings, session, RECORD_DISCHARGE, workflow_id(woman_id), command)
    return {"ok": True}


@router.post("/babies/{baby_id}/location")
async def move_baby(
    woman_id: uuid.UUID,
    baby_id: uuid.UUID,
    body: MoveRequest,
    principal: BirthRecorder,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> dict[str, bool]:
    """A baby moves within hospital: the neonatal unit, transitional care, the ward with her."""
    await visible_woman(session, principal, woman_id, action=MOVE_BABY.action)
    command = MoveBaby(baby_id=baby_id, location=body.location, actor=principal.actor())
    await issue(temporal, settings, session, MOVE_BABY, workflow_id(woman_id), command)
    return {"ok": True}


@router.post("/meetings/{meeting_id}/held")
async def record_meeting_held(
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> MeetingReceipt:
    """A meeting (not a conference) took place."""
    await visible_woman(session, principal, woman_id, action=MEETING_HELD.action)
    command = MeetingHeld(meeting_id=meeting_id, actor=principal.actor())
    receipt: MeetingReceipt = await issue(
        temporal, settings, session, MEETING_HELD, workflow_id(woman_id), command
    )
    return receipt


@router.post("/close-case")
async def close_case(
    woman_id: uuid.UUID,
    body: ReasonRequest,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> StageReply:
    """Close the baby's case. Her own support episode is not affected."""
    await visible_woman(session, principal, woman_id, action=CLOSE_CASE.action)
    command = CloseCase(reason=body.reason, actor=principal.actor())
    await issue(temporal, settings, session, CLOSE_CASE, workflow_id(woman_id), command)
    return StageReply(stage=Stage.CLOSED)
