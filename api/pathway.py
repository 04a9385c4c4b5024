"""Pre-birth planning commands: co-ordinator, assessment, strategy discussion, EDD."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from api.commands import issue
from api.declared import ASSIGN_COORDINATOR, CHANGE_EDD, RECORD_ASSESSMENT, STRATEGY
from api.deps import AppSettings, Session, Temporal, require_role
from forms.common import Reason, Role
from forms.prebirth import (
    AssignCoordinator,
    ChangeEdd,
    RecordAssessment,
    RecordStrategyDiscussion,
    StrategyOutcome,
)
from services.organisations import team_social_workers
from waymark.errors import Invalid
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal
from workflows.pathway import workflow_id

router = APIRouter(prefix="/api/v1/women/{woman_id}", tags=["pre-birth planning"])

SocialWorker = Annotated[
    Principal, Depends(require_role(Role.SOCIAL_WORKER, action="plan_pre_birth_care"))
]


class Done(BaseModel):
    ok: bool = True
    stage: str | None = None


class CoordinatorRequest(BaseModel):
    user_id: uuid.UUID


class AssessmentRequest(BaseModel):
    completed_on: date


class StrategyRequest(BaseModel):
    held_on: date
    concern_on: date | None = None
    outcome: StrategyOutcome


class EddRequest(BaseModel):
    edd: date
    reason: Reason


@router.post("/coordinator")
async def assign_coordinator(
    woman_id: uuid.UUID,
    body: CoordinatorRequest,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Done:
    """Name her care co-ordinator: a social worker in her team."""
    woman = await visible_woman(session, principal, woman_id, action=ASSIGN_COORDINATOR.action)
    if body.user_id not in {user.id for user in await team_social_workers(session, woman)}:
        raise Invalid("the care co-ordinator must be a social worker in her team")
    command = AssignCoordinator(user_id=body.user_id, actor=principal.actor())
    await issue(temporal, settings, session, ASSIGN_COORDINATOR, workflow_id(woman.id), command)
    return Done()


@router.post("/assessment")
async def record_assessment(
    woman_id: uuid.UUID,
    body: AssessmentRequest,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Done:
    """The pre-birth assessment is complete."""
    woman = await visible_woman(session, principal, woman_id, action=RECORD_ASSESSMENT.action)
    command = RecordAssessment(completed_on=body.completed_on, actor=principal.actor())
    await issue(temporal, settings, session, RECORD_ASSESSMENT, workflow_id(woman.id), command)
    return Done()


@router.post("/strategy-discussion")
async def record_strategy_discussion(
    woman_id: uuid.UUID,
    body: StrategyRequest,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Done:
    """Record the strategy discussion (IRD in Scotland); a decision to confer starts one."""
    woman = await visible_woman(session, principal, woman_id, action=STRATEGY.action)
    command = RecordStrategyDiscussion(**body.model_dump(), actor=principal.actor())
    stage = await issue(temporal, settings, session, STRATEGY, workflow_id(woman.id), command)
    return Done(stage=stage.value)


@router.post("/edd")
async def change_edd(
    woman_id: uuid.UUID,
    body: EddRequest,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Done:
    """A new EDD: her clocks are recomputed."""
    woman = await visible_woman(session, principal, woman_id, action=CHANGE_EDD.action)
    command = ChangeEdd(edd=body.edd, reason=body.reason, actor=principal.actor())
    await issue(temporal, settings, session, CHANGE_EDD, workflow_id(woman.id), command)
    return Done()
