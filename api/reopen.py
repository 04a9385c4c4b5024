"""Reopening a closed case: a command of its own, with its reason on her record. Her pathway
ran to its end when the case closed, so a new run of it starts from the state it ended with."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api import commands
from api.declared import REOPEN_CASE
from api.deps import AppSettings, Session, Temporal, require_role
from forms.common import Reason, Role
from forms.pathway import ReopenCase, Stage
from waymark.db.models import Woman
from waymark.errors import Conflict
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal
from waymark.settings import Settings
from workflows.pathway import workflow_id

router = APIRouter(prefix="/api/v1/women/{woman_id}", tags=["case"])

SocialWorker = Annotated[
    Principal, Depends(require_role(Role.SOCIAL_WORKER, action=REOPEN_CASE.action))
]


class ReopenRequest(BaseModel):
    reason: Reason


class Reopened(BaseModel):
    stage: Stage


@router.post("/reopen")
async def reopen_case(
    woman_id: uuid.UUID,
    body: ReopenRequest,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Reopened:
    """Reopen her closed case: back to screening, or after the birth to where her baby is."""
    woman = await visible_woman(session, principal, woman_id, action=REOPEN_CASE.action)
    command = ReopenCase(reason=body.reason, actor=principal.actor())
    stage = await reopen(temporal, settings, session, woman=woman, command=command)
    return Reopened(stage=stage)


async def reopen(
    temporal: Client,
    settings: Settings,
    session: AsyncSession,
    *,
    woman: Woman,
    command: ReopenCase,
) -> Stage:
    """Start a new run of her pathway from the state her closed one ended with, reopening it
    (the API's route and the page both come here)."""
    if woman.stage != Stage.CLOSED.value:
        raise Conflict("her case is open: there is nothing to reopen")
    if woman.merged_into_id is not None:
        raise Conflict("this record was merged into another: her care goes on there")
    stage: Stage = await commands.reopen(
        temporal, settings, session, REOPEN_CASE, workflow_id(woman.id), command
    )
    return stage
