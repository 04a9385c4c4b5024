"""A woman's record: reading it, and recording the screening decision on her referral."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from api.commands import issue
from api.declared import SCREENING
from api.deps import AppSettings, CurrentPrincipal, Session, Temporal, require_role
from forms.common import Reason, Role
from forms.pathway import ScreeningCommand, ScreeningDecision, ScreeningOutcome
from forms.women import WomanListItem, WomanSummary
from services import women
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal
from workflows.pathway import workflow_id

router = APIRouter(prefix="/api/v1/women", tags=["women"])

DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

SocialWorker = Annotated[
    Principal, Depends(require_role(Role.SOCIAL_WORKER, action="record_screening"))
]


class ScreeningRequest(BaseModel):
    decision: ScreeningDecision
    reason: Reason


@router.get("")
async def list_women(principal: CurrentPrincipal, session: Session) -> list[WomanListItem]:
    """The women you may see."""
    return await women.list_women(session, principal)


@router.get("/{woman_id}")
async def get_woman(
    woman_id: uuid.UUID, principal: CurrentPrincipal, session: Session
) -> WomanSummary:
    """Her summary, current stage and timeline."""
    return await women.woman_summary(session, principal, woman_id)


@router.get("/{woman_id}/documents/{document_id}", response_class=HTMLResponse)
async def get_document(
    woman_id: uuid.UUID, document_id: uuid.UUID, principal: CurrentPrincipal, session: Session
) -> HTMLResponse:
    """One of her documents (a letter, invitation, minutes or information pack) as HTML."""
    html = await women.document_html(session, principal, woman_id, document_id)
    # A stored document carries its own print styles and never any script.
    return HTMLResponse(html, headers={"content-security-policy": DOCUMENT_CSP})


@router.post("/{woman_id}/screening")
async def record_screening(
    woman_id: uuid.UUID,
    body: ScreeningRequest,
    principal: SocialWorker,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> ScreeningOutcome:
    """Record the screening decision on her referral."""
    await visible_woman(session, principal, woman_id, action=SCREENING.action)
    command = ScreeningCommand(decision=body.decision, reason=body.reason, actor=principal.actor())
    outcome: ScreeningOutcome = await issue(
        temporal, settings, session, SCREENING, workflow_id(woman_id), command
    )
    return outcome
