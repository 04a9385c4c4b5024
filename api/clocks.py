"""Pausing, restarting or extending one of her clocks: always with the reason on record."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from api.commands import issue
from api.declared_tracks import CLOCK_COMMANDS, PAUSE_CLOCK
from api.deps import AppSettings, Session, Temporal, require_role
from forms.clock import Clock, ExtendClock, PauseClock
from forms.common import Reason, Role
from services.clock_owner import clock_workflow_id
from waymark.db.models import Deadline
from waymark.errors import Invalid, NotFound
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(prefix="/api/v1/women/{woman_id}/deadlines/{deadline_id}", tags=["clocks"])

Owner = Annotated[
    Principal,
    Depends(require_role(Role.SOCIAL_WORKER, Role.SAFEGUARDING_LEAD, action="change_deadlines")),
]


class ClockRequest(BaseModel):
    action: Literal["pause", "resume", "extend"]
    reason: Reason
    new_due: date | None = None


@router.post("")
async def change_clock(
    woman_id: uuid.UUID,
    deadline_id: uuid.UUID,
    body: ClockRequest,
    principal: Owner,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Clock:
    """Pause, restart or extend a deadline's clock."""
    await visible_woman(session, principal, woman_id, action=PAUSE_CLOCK.action)
    row = await session.get(Deadline, deadline_id)
    if row is None or row.woman_id != woman_id:
        raise NotFound("no such deadline for her")
    target = await clock_workflow_id(session, row)
    command: PauseClock
    if body.action == "extend":
        if body.new_due is None:
            raise Invalid("say the new date (new_due) to extend a deadline")
        command = ExtendClock(
            key=row.key, reason=body.reason, new_due=body.new_due, actor=principal.actor()
        )
    else:
        command = PauseClock(key=row.key, reason=body.reason, actor=principal.actor())
    clock: Clock = await issue(
        temporal, settings, session, CLOCK_COMMANDS[body.action], target, command
    )
    return clock
