"""A conference's commands: agency reports, the outcome, minutes, the first core group."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.commands import issue
from api.declared_tracks import RECORD_CORE_GROUP, RECORD_MINUTES, RECORD_OUTCOME, SUBMIT_REPORT
from api.deps import AppSettings, CurrentPrincipal, Session, Temporal, require_role
from forms.common import Role
from forms.conference import (
    Category,
    ConferenceOutcome,
    LongText,
    RecordCoreGroup,
    RecordMinutes,
    SubmitReport,
)
from waymark.db.models import Conference
from waymark.errors import Forbidden, NotFound
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(
    prefix="/api/v1/women/{woman_id}/conferences/{conference_id}", tags=["conferences"]
)

Chair = Annotated[Principal, Depends(require_role(Role.SOCIAL_WORKER, action="run_conferences"))]


class Done(BaseModel):
    ok: bool = True
    phase: str | None = None


class ReportRequest(BaseModel):
    summary: LongText


class OutcomeRequest(BaseModel):
    attended_agencies: list[str] = Field(default_factory=list, max_length=20)
    woman_attended: bool
    advocate_attended: bool = False
    plan: bool | None = None
    category: Category | None = None
    areas_of_concern: list[str] = Field(default_factory=list, max_length=20)


class MinutesRequest(BaseModel):
    text: LongText


class CoreGroupRequest(BaseModel):
    held_on: date


def conference_target(conference: Conference) -> str:
    """The conference's own workflow."""
    return f"conference-{conference.id}"


async def _conference(
    session: Session,
    principal: Principal,
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    action: str,
) -> Conference:
    await visible_woman(session, principal, woman_id, action=action)
    conference = await session.get(Conference, conference_id)
    if conference is None or conference.woman_id != woman_id:
        raise NotFound("no such conference for her")
    return conference


@router.post("/reports", status_code=201)
async def submit_report(
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    body: ReportRequest,
    principal: CurrentPrincipal,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Done:
    """An invited agency's report (it will be shared with her before the conference)."""
    if principal.role is not Role.PRACTITIONER:
        raise Forbidden("reports are submitted by the invited agencies' practitioners")
    conference = await _conference(
        session, principal, woman_id, conference_id, SUBMIT_REPORT.action
    )
    report = SubmitReport(
        organisation_id=principal.organisation_id, summary=body.summary, actor=principal.actor()
    )
    await issue(temporal, settings, session, SUBMIT_REPORT, conference_target(conference), report)
    return Done()


@router.post("/outcome")
async def record_outcome(
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    body: OutcomeRequest,
    principal: Chair,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Done:
    """Who attended and what was decided; an inquorate meeting must be re-dated."""
    conference = await _conference(
        session, principal, woman_id, conference_id, RECORD_OUTCOME.action
    )
    outcome = ConferenceOutcome(**body.model_dump(), actor=principal.actor())
    phase = await issue(
        temporal, settings, session, RECORD_OUTCOME, conference_target(conference), outcome
    )
    return Done(phase=phase.value)


@router.post("/minutes")
async def record_minutes(
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    body: MinutesRequest,
    principal: Chair,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Done:
    """The minutes of the conference."""
    conference = await _conference(
        session, principal, woman_id, conference_id, RECORD_MINUTES.action
    )
    command = RecordMinutes(text=body.text, actor=principal.actor())
    await issue(temporal, settings, session, RECORD_MINUTES, conference_target(conference), command)
    return Done()


@router.post("/core-group")
async def record_core_group(
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    body: CoreGroupRequest,
    principal: Chair,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Done:
    """The first core group has met."""
    conference = await _conference(session, principal, woman_id, conference_id, "core_group")
    command = RecordCoreGroup(held_on=body.held_on, actor=principal.actor())
    await issue(
        temporal, settings, session, RECORD_CORE_GROUP, conference_target(conference), command
    )
    return Done()
