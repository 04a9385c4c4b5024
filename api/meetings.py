"""Meetings about her: schedule, reschedule, cancel (through her pathway, which knows them all)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.commands import issue
from api.declared import CANCEL_MEETING, SCHEDULE_MEETING
from api.deps import AppSettings, Session, Temporal, require_role
from forms.common import Reason, Role
from forms.meeting import (
    CancelMeeting,
    MeetingDetails,
    MeetingKind,
    MeetingReceipt,
    ScheduleMeeting,
)
from services.closed_case import refuse_if_closed
from services.invitees import check_invitable
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal
from workflows.pathway import workflow_id

router = APIRouter(prefix="/api/v1/women/{woman_id}/meetings", tags=["meetings"])

Organiser = Annotated[
    Principal, Depends(require_role(Role.SOCIAL_WORKER, action="arrange_meetings"))
]


class MeetingRequest(BaseModel):
    kind: MeetingKind
    details: MeetingDetails
    late_reason: Reason | None = None
    also_invite: list[uuid.UUID] = Field(default_factory=list, max_length=20)


class CancelRequest(BaseModel):
    reason: Reason


async def _schedule(
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID | None,
    body: MeetingRequest,
    principal: Principal,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> MeetingReceipt:
    woman = await visible_woman(session, principal, woman_id, action=SCHEDULE_MEETING.action)
    await refuse_if_closed(session, woman, "no meeting can be arranged for her")
    await check_invitable(session, woman, body.also_invite)
    command = ScheduleMeeting(
        kind=body.kind,
        details=body.details,
        meeting_id=meeting_id,
        late_reason=body.late_reason,
        actor=principal.actor(),
        also_invite=body.also_invite,
    )
    receipt: MeetingReceipt = await issue(
        temporal, settings, session, SCHEDULE_MEETING, workflow_id(woman_id), command
    )
    return receipt


@router.post("", status_code=201)
async def schedule_meeting(
    woman_id: uuid.UUID,
    body: MeetingRequest,
    principal: Organiser,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> MeetingReceipt:
    """Schedule a meeting; everyone invited is told, reminders are set."""
    return await _schedule(woman_id, None, body, principal, session, temporal, settings)


@router.put("/{meeting_id}")
async def reschedule_meeting(
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID,
    body: MeetingRequest,
    principal: Organiser,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> MeetingReceipt:
    """Move a meeting; everyone is told at once and earlier reminders are withdrawn."""
    return await _schedule(woman_id, meeting_id, body, principal, session, temporal, settings)


@router.post("/{meeting_id}/cancel")
async def cancel_meeting(
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID,
    body: CancelRequest,
    principal: Organiser,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> MeetingReceipt:
    """Cancel a meeting, with the reason; everyone is told at once."""
    await visible_woman(session, principal, woman_id, action=CANCEL_MEETING.action)
    command = CancelMeeting(meeting_id=meeting_id, reason=body.reason, actor=principal.actor())
    receipt: MeetingReceipt = await issue(
        temporal, settings, session, CANCEL_MEETING, workflow_id(woman_id), command
    )
    return receipt
