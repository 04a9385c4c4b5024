"""After a conference's decision, as pages for the chair: its minutes, and the first meeting
of the core group. Each is one form field sent as the API's own Update to the conference, so
both are described once (`FollowUp`) and served by the same two handlers."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.declared import Declared
from api.declared_tracks import RECORD_CORE_GROUP, RECORD_MINUTES
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import command_page, given, open_for_form, run_command
from api.pages.conference import conference_target, her_conference
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm, page_role
from forms.common import Nation, Role
from forms.labels import label as words
from waymark.areas import get_area
from waymark.db.models import Conference, Woman
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: after a conference"], include_in_schema=False)

Chair = Annotated[Principal, Depends(page_role(Role.SOCIAL_WORKER, action="run_conferences"))]


@dataclass(frozen=True)
class FollowUp:
    """One step after the decision: its address, form and declared command (one field); its
    title and the name of its field are forms/labels.py keys (Scotland keeps a record, not
    minutes)."""

    path: str
    template: str
    title: str
    command: Declared


FOLLOW_UPS = (
    FollowUp(
        path="minutes",
        template="minutes.html.j2",
        title="minutes_title",
        command=RECORD_MINUTES,
    ),
    FollowUp(
        path="core-group",
        template="core_group.html.j2",
        title="core_group_title",
        command=RECORD_CORE_GROUP,
    ),
)


def her_nation(woman: Woman) -> Nation:
    return get_area(woman.area_code).nation


def _page(
    request: Request,
    step: FollowUp,
    woman: Woman,
    conference: Conference,
    values: Values,
    errors: Errors,
    status: int = 200,
) -> Response:
    return command_page(
        request,
        step.template,
        words(step.title, her_nation(woman)),
        woman,
        status,
        conference=conference,
        values=values,
        errors=errors,
    )


def _form(step: FollowUp) -> Callable[..., Awaitable[Response]]:
    async def form(
        request: Request,
        woman_id: uuid.UUID,
        conference_id: uuid.UUID,
        principal: Chair,
        session: Session,
    ) -> Response:
        woman = await open_for_form(session, principal, woman_id, step.command.done_as)
        conference = await her_conference(session, woman, conference_id)
        return _page(request, step, woman, conference, {}, {})

    form.__doc__ = f"The form: {words(step.title, Nation.ENGLAND).lower()}."
    return form


def _record(step: FollowUp) -> Callable[..., Awaitable[Response]]:
    async def record(
        request: Request,
        woman_id: uuid.UUID,
        conference_id: uuid.UUID,
        principal: Chair,
        form: CheckedForm,
        session: Session,
        temporal: Temporal,
        settings: AppSettings,
    ) -> Response:
        woman = await visible_woman(session, principal, woman_id, action=step.command.action)
        conference = await her_conference(session, woman, conference_id)
        values, field = values_of(form), step.command.focus
        nation = her_nation(woman)

        def page(errors: Errors, status: int) -> Response:
            return _page(request, step, woman, conference, values, errors, status)

        return await run_command(
            temporal,
            settings,
            session,
            step.command,
            woman_id=woman_id,
            data={**given(**{field: text(form, field)}), "actor": principal.actor()},
            target=conference_target(conference),
            page=page,
            fields={name: words(key, nation) for name, key in step.command.fields.items()},
        )

    title = words(step.title, Nation.ENGLAND)
    record.__doc__ = f"{title}: sent to the conference, kept on her record and shared."
    return record


for _step in FOLLOW_UPS:
    _address = f"/women/{{woman_id}}/conferences/{{conference_id}}/{_step.path}"
    router.add_api_route(_address, _form(_step), methods=["GET"])
    router.add_api_route(_address, _record(_step), methods=["POST"])
