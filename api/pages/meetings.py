"""Meetings about her as pages: schedule, reschedule, cancel. Each is the API's own Update to
her pathway, which tells everyone invited and withdraws stale reminders."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.responses import Response

from api.declared import CANCEL_MEETING, RESCHEDULE_MEETING, SCHEDULE_MEETING
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import command_page, given, open_for_form, pathway, run_command
from api.pages.fields import Errors, Values, local_datetime, text, ticked, values_of
from api.pages.guard import CheckedForm, page_role
from api.pages.render import label
from forms.common import Role
from forms.languages import needs_interpreter, sorted_languages
from forms.meeting import (
    MeetingFormat,
    MeetingKind,
    kind_fits_nation,
)
from services.invitees import invitable
from waymark.areas import get_area
from waymark.db.models import Meeting, Notice, Organisation, Woman
from waymark.errors import NotFound
from waymark.localtime import UK
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: meetings"], include_in_schema=False)

Organiser = Annotated[Principal, Depends(page_role(Role.SOCIAL_WORKER, action="arrange_meetings"))]
VENUE_FLAGS = ("details.venue.private_room", "details.venue.accessible")


def _meeting_page(
    request: Request,
    woman: Woman,
    agencies: list[Organisation],
    values: Values,
    errors: Errors,
    *,
    meeting: Meeting | None,
    status: int = 200,
) -> Response:
    nation = get_area(woman.area_code).nation
    return command_page(
        request,
        "meeting_form.html.j2",
        "Change the meeting" if meeting else "Schedule a meeting",
        woman,
        status,
        meeting=meeting,
        kinds=[
            (k.value, label(k.value, nation)) for k in MeetingKind if kind_fits_nation(k, nation)
        ],
        formats=[(f.value, label(f.value)) for f in MeetingFormat],
        agencies=[(str(o.id), o.name) for o in agencies if o.id != woman.team_id],
        interpreters=[("", "She does not need an interpreter"), *sorted_languages()],
        values=values,
        errors=errors,
    )


async def _invited(session: Session, meeting: Meeting) -> list[str]:
    """The agencies told about this meeting (to tick them again when it is changed)."""
    rows = await session.scalars(
        select(Notice.recipient_organisation_id)
        .where(Notice.meeting_id == meeting.id, Notice.recipient_organisation_id.is_not(None))
        .distinct()
    )
    return [str(org) for org in rows]


async def meeting_of(session: Session, woman: Woman, meeting_id: uuid.UUID) -> Meeting:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None or meeting.woman_id != woman.id:
        raise NotFound("no such meeting for her")
    return meeting


def _values_of_meeting(meeting: Meeting) -> Values:
    """A meeting's details as the form's fields (UK local time)."""
    starts, venue = meeting.starts_at.astimezone(UK), meeting.venue or {}
    values: Values = {
        "kind": meeting.kind,
        "details.starts_at": starts.date().isoformat(),
        "details.starts_at_time": f"{starts:%H:%M}",
        "details.duration_minutes": str(
            int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
        ),
        "details.format": meeting.format,
        "details.venue.name": venue.get("name", ""),
        "details.venue.address": venue.get("address") or "",
        "details.travel_support": "yes" if meeting.travel_support else "",
        "details.interpreter": meeting.interpreter or "",
    }
    for flag in VENUE_FLAGS:
        values[flag] = "yes" if venue.get(flag.rsplit(".", 1)[1]) else ""
    return values


def _schedule_data(form: FormData) -> dict[str, Any]:
    venue_name = text(form, "details.venue.name")
    venue = given(
        name=venue_name,
        address=text(form, "details.venue.address"),
        private_room=ticked(form, VENUE_FLAGS[0]),
        accessible=ticked(form, VENUE_FLAGS[1]),
    )
    details = given(
        starts_at=local_datetime(
            text(form, "details.starts_at"), text(form, "details.starts_at_time")
        ),
        duration_minutes=text(form, "details.duration_minutes"),
        format=text(form, "details.format"),
        venue=venue if venue_name or text(form, "details.venue.address") else None,
        travel_support=ticked(form, "details.travel_support"),
        interpreter=text(form, "details.interpreter"),
    )
    return given(
        kind=text(form, "kind"),
        details=details,
        late_reason=text(form, "late_reason"),
        also_invite=form.getlist("also_invite"),
    )


def _venue_errors(errors: Errors) -> Errors:
    """'An in-person meeting needs a venue' belongs next to the venue."""
    moved = {}
    for name, message in errors.items():
        moved["details.venue.name" if "venue" in message else name] = message
    return moved


@router.get("/women/{woman_id}/meetings/new")
async def new_meeting_form(
    request: Request, woman_id: uuid.UUID, principal: Organiser, session: Session
) -> Response:
    """The form to schedule a meeting."""
    woman = await open_for_form(session, principal, woman_id, "meeting")
    defaults = {
        "details.duration_minutes": "90",
        "details.format": "in_person",
        "details.interpreter": needs_interpreter(woman.contact or {}) or "",
    }
    agencies = await invitable(session, woman)
    return _meeting_page(request, woman, agencies, defaults, {}, meeting=None)


@router.get("/women/{woman_id}/meetings/{meeting_id}/change")
async def change_meeting_form(
    request: Request,
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID,
    principal: Organiser,
    session: Session,
) -> Response:
    """The form to move a meeting, filled in with its details."""
    woman = await open_for_form(session, principal, woman_id, "meeting")
    meeting = await meeting_of(session, woman, meeting_id)
    values = {**_values_of_meeting(meeting), "also_invite[]": await _invited(session, meeting)}
    agencies = await invitable(session, woman)
    return _meeting_page(request, woman, agencies, values, {}, meeting=meeting)


async def _schedule(
    request: Request,
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID | None,
    principal: Principal,
    form: FormData,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    woman = await visible_woman(session, principal, woman_id, action=SCHEDULE_MEETING.action)
    meeting = await meeting_of(session, woman, meeting_id) if meeting_id else None
    values = values_of(form)
    data = {**_schedule_data(form), "meeting_id": meeting_id, "actor": principal.actor()}

    agencies = await invitable(session, woman)
    chosen = [i for i in form.getlist("also_invite") if isinstance(i, str)]

    def page(errors: Errors, status: int) -> Response:
        return _meeting_page(
            request, woman, agencies, values, _venue_errors(errors), meeting=meeting, status=status
        )

    allowed = {str(o.id) for o in agencies}
    if any(i not in allowed for i in chosen):
        return page({"also_invite": "Choose only agencies in her area"}, 422)

    return await run_command(
        temporal,
        settings,
        session,
        RESCHEDULE_MEETING if meeting_id else SCHEDULE_MEETING,
        woman_id=woman_id,
        data=data,
        target=pathway(woman_id),
        page=page,
    )


@router.post("/women/{woman_id}/meetings/new")
async def schedule_meeting(
    request: Request,
    woman_id: uuid.UUID,
    principal: Organiser,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Schedule a meeting; everyone invited is told and reminders are set."""
    return await _schedule(request, woman_id, None, principal, form, session, temporal, settings)


@router.post("/women/{woman_id}/meetings/{meeting_id}/change")
async def reschedule_meeting(
    request: Request,
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID,
    principal: Organiser,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Move a meeting; everyone is told at once and earlier reminders are withdrawn."""
    return await _schedule(
        request, woman_id, meeting_id, principal, form, session, temporal, settings
    )


def _cancel_page(
    request: Request,
    woman: Woman,
    meeting: Meeting,
    values: Values,
    errors: Errors,
    status: int = 200,
) -> Response:
    return command_page(
        request,
        "meeting_cancel.html.j2",
        "Cancel the meeting",
        woman,
        status,
        meeting=meeting,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/meetings/{meeting_id}/cancel")
async def cancel_meeting_form(
    request: Request,
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID,
    principal: Organiser,
    session: Session,
) -> Response:
    """The form to cancel a meeting, with the reason."""
    woman = await open_for_form(session, principal, woman_id, "cancel_meeting")
    meeting = await meeting_of(session, woman, meeting_id)
    return _cancel_page(request, woman, meeting, {}, {})


@router.post("/women/{woman_id}/meetings/{meeting_id}/cancel")
async def cancel_meeting(
    request: Request,
    woman_id: uuid.UUID,
    meeting_id: uuid.UUID,
    principal: Organiser,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Cancel a meeting, with the reason; everyone is told at once."""
    woman = await visible_woman(session, principal, woman_id, action=CANCEL_MEETING.action)
    meeting = await meeting_of(session, woman, meeting_id)
    values = values_of(form)
    data = given(reason=text(form, "reason"))
    return await run_command(
        temporal,
        settings,
        session,
        CANCEL_MEETING,
        woman_id=woman_id,
        data={**data, "meeting_id": meeting.id, "actor": principal.actor()},
        target=pathway(woman_id),
        page=lambda errors, status: _cancel_page(request, woman, meeting, values, errors, status),
    )
