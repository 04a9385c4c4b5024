"""Recording that a meeting took place (every core group after the first, a pre-discharge
meeting, an appointment): the API's own Update, refused for a conference (its outcome records
it) or a meeting that has not started."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.declared import MEETING_HELD
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import command_page, open_for_form, pathway, run_command
from api.pages.guard import CheckedForm
from api.pages.meetings import Organiser, meeting_of
from waymark.db.models import Meeting, Woman
from waymark.security.policy import visible_woman

router = APIRouter(tags=["pages: meetings"], include_in_schema=False)


def _held_page(
    request: Request, woman: Woman, meeting: Meeting, errors: dict[str, str], status: int = 200
) -> Response:
    return command_page(
        request,
        "meeting_held.html.j2",
        "Record that the meeting took place",
        woman,
        status,
        meeting=meeting,
        values={},
        errors=errors,
    )


@router.get("/women/{woman_id}/meetings/{meeting_id}/held")
async def held_form(
    request: Request,
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID,
    principal: Organiser,
    session: Session,
) -> Response:
    """Confirm that the meeting took place."""
    woman = await open_for_form(session, principal, woman_id, "record_meeting_held")
    return _held_page(request, woman, await meeting_of(session, woman, meeting_id), {})


@router.post("/women/{woman_id}/meetings/{meeting_id}/held")
async def record_held(
    request: Request,
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID,
    principal: Organiser,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """The meeting took place: it is on her record as held."""
    woman = await visible_woman(session, principal, woman_id, action=MEETING_HELD.action)
    meeting = await meeting_of(session, woman, meeting_id)
    return await run_command(
        temporal,
        settings,
        session,
        MEETING_HELD,
        woman_id=woman_id,
        data={"meeting_id": meeting.id, "actor": principal.actor()},
        target=pathway(woman_id),
        page=lambda errors, status: _held_page(request, woman, meeting, errors, status),
    )
