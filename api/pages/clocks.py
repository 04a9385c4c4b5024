"""One of her deadlines as a page: pause its clock, restart it, or give it a later date, always
with the reason on her record. Each is the API's own Update to the workflow that owns the clock."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.declared_tracks import CLOCK_COMMANDS, CLOCK_FIELDS, PAUSE_CLOCK
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import (
    command_page,
    given,
    open_for_form,
    run_command,
    validated,
)
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm, page_role
from forms.common import Role
from services.clock_owner import clock_workflow_id
from waymark.db.models import Deadline, Woman
from waymark.errors import NotFound
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: her deadlines"], include_in_schema=False)

Owner = Annotated[
    Principal,
    Depends(page_role(Role.SOCIAL_WORKER, Role.SAFEGUARDING_LEAD, action="change_deadlines")),
]

CHOICES = {
    "pause": "Pause it: no reminders or escalations until it is restarted",
    "resume": "Restart it: reminders and escalations carry on from today",
    "extend": "Give it a later due date",
}


async def _deadline(session: Session, woman: Woman, deadline_id: uuid.UUID) -> Deadline:
    row = await session.get(Deadline, deadline_id)
    if row is None or row.woman_id != woman.id:
        raise NotFound("no such deadline for her")
    return row


def _choices(row: Deadline) -> list[tuple[str, str]]:
    """What may be done with it now (her workflow has the last word)."""
    first = "resume" if row.status == "paused" else "pause"
    return [(first, CHOICES[first]), ("extend", CHOICES["extend"])]


def _clock_page(
    request: Request,
    woman: Woman,
    row: Deadline,
    values: Values,
    errors: Errors,
    status: int = 200,
) -> Response:
    changeable = row.status in ("pending", "paused", "missed")
    return command_page(
        request,
        "deadline.html.j2",
        "Pause, restart or extend a deadline",
        woman,
        status,
        deadline=row,
        choices=_choices(row) if changeable else [],
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/deadlines/{deadline_id}")
async def deadline_form(
    request: Request,
    woman_id: uuid.UUID,
    deadline_id: uuid.UUID,
    principal: Owner,
    session: Session,
) -> Response:
    """The form to pause, restart or extend one of her deadlines."""
    woman = await open_for_form(session, principal, woman_id, "deadline")
    row = await _deadline(session, woman, deadline_id)
    return _clock_page(request, woman, row, {}, {})


@router.post("/women/{woman_id}/deadlines/{deadline_id}")
async def change_deadline(
    request: Request,
    woman_id: uuid.UUID,
    deadline_id: uuid.UUID,
    principal: Owner,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Pause, restart or extend the deadline's clock, with the reason."""
    woman = await visible_woman(session, principal, woman_id, action=PAUSE_CLOCK.action)
    row = await _deadline(session, woman, deadline_id)
    values = values_of(form)
    action = text(form, "action")
    extend = action == "extend"
    data = given(
        key=row.key,
        reason=text(form, "reason"),
        new_due=text(form, "new_due") if extend else None,
        actor=principal.actor(),
    )

    def page(errors: Errors, status: int) -> Response:
        return _clock_page(request, woman, row, values, errors, status)

    declared = CLOCK_COMMANDS.get(action or "")
    if declared is None:
        _, errors = validated(PAUSE_CLOCK.contract, data, CLOCK_FIELDS)
        return page({"action": f"Say {CLOCK_FIELDS['action']}", **errors}, 422)
    return await run_command(
        temporal,
        settings,
        session,
        declared,
        woman_id=woman_id,
        data=data,
        target=await clock_workflow_id(session, row),
        page=page,
    )
