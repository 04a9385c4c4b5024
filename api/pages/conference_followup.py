"""After a conference's decision, as pages for the chair: its minutes, and the first meeting
of the core group. Each sends the API's own Update to the conference."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import AppSettings, Session, Temporal
from api.pages.actions import command_page, given, open_for_form, run_command
from api.pages.conference import conference_target, her_conference
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm, page_role
from forms.common import Role
from forms.conference import RecordCoreGroup, RecordMinutes
from waymark.db.models import Conference, Woman
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: after a conference"], include_in_schema=False)

Chair = Annotated[Principal, Depends(page_role(Role.SOCIAL_WORKER, action="run_conferences"))]

MINUTES = {"text": "the minutes"}
CORE_GROUP = {"held_on": "the date the core group met"}
MINUTES_TITLE = "Record the conference minutes"
CORE_GROUP_TITLE = "Record the first core group meeting"


def _page(
    request: Request,
    template: str,
    title: str,
    woman: Woman,
    conference: Conference,
    values: Values,
    errors: Errors,
    status: int = 200,
) -> Response:
    return command_page(
        request,
        template,
        title,
        woman,
        status,
        conference=conference,
        values=values,
        errors=errors,
    )


# The minutes.


@router.get("/women/{woman_id}/conferences/{conference_id}/minutes")
async def minutes_form(
    request: Request,
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    principal: Chair,
    session: Session,
) -> Response:
    """The form for the conference's minutes."""
    woman = await open_for_form(session, principal, woman_id, "minutes")
    conference = await her_conference(session, woman, conference_id)
    return _page(request, "minutes.html.j2", MINUTES_TITLE, woman, conference, {}, {})


@router.post("/women/{woman_id}/conferences/{conference_id}/minutes")
async def record_minutes(
    request: Request,
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    principal: Chair,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Record the minutes (once, after the decision): kept on her record and shared."""
    woman = await visible_woman(session, principal, woman_id, action="record_minutes")
    conference = await her_conference(session, woman, conference_id)
    values = values_of(form)
    data = given(text=text(form, "text"))

    def page(errors: Errors, status: int) -> Response:
        return _page(
            request, "minutes.html.j2", MINUTES_TITLE, woman, conference, values, errors, status
        )

    return await run_command(
        temporal,
        settings,
        session,
        woman_id=woman_id,
        model=RecordMinutes,
        data={**data, "actor": principal.actor()},
        fields=MINUTES,
        target=conference_target(conference),
        update_name="record_minutes",
        page=page,
        focus="text",
        done_as="minutes",
    )


# The first core group.


@router.get("/women/{woman_id}/conferences/{conference_id}/core-group")
async def core_group_form(
    request: Request,
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    principal: Chair,
    session: Session,
) -> Response:
    """The form for the date the first core group met."""
    woman = await open_for_form(session, principal, woman_id, "core_group")
    conference = await her_conference(session, woman, conference_id)
    return _page(request, "core_group.html.j2", CORE_GROUP_TITLE, woman, conference, {}, {})


@router.post("/women/{woman_id}/conferences/{conference_id}/core-group")
async def record_core_group(
    request: Request,
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    principal: Chair,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """The first core group has met: its deadline is met."""
    woman = await visible_woman(session, principal, woman_id, action="core_group")
    conference = await her_conference(session, woman, conference_id)
    values = values_of(form)
    data = given(held_on=text(form, "held_on"))

    def page(errors: Errors, status: int) -> Response:
        return _page(
            request,
            "core_group.html.j2",
            CORE_GROUP_TITLE,
            woman,
            conference,
            values,
            errors,
            status,
        )

    return await run_command(
        temporal,
        settings,
        session,
        woman_id=woman_id,
        model=RecordCoreGroup,
        data={**data, "actor": principal.actor()},
        fields=CORE_GROUP,
        target=conference_target(conference),
        update_name="record_core_group",
        page=page,
        focus="held_on",
        done_as="core_group",
    )
