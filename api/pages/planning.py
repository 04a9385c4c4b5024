"""Planning her care as pages: a new expected date of delivery (her clocks follow it) and
naming her care co-ordinator. Each sends the API's own Update to her pathway."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from api.declared import ASSIGN_COORDINATOR, CHANGE_EDD, RECORD_ASSESSMENT
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import command_page, given, open_for_form, pathway, run_command
from api.pages.command_form import CommandForm, serve
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm, page_role
from forms.common import Role
from services.organisations import team_social_workers
from waymark.db.models import User, Woman
from waymark.localtime import today_in_uk
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: planning her care"], include_in_schema=False)

Assigner = Annotated[Principal, Depends(page_role(Role.SOCIAL_WORKER, action="assign_coordinator"))]

NOT_IN_TEAM = "Choose her care co-ordinator from the social workers in her team"


# Her expected date of delivery (EDD).


def _edd(form: FormData) -> dict[str, Any]:
    return given(edd=text(form, "edd"), reason=text(form, "reason"))


async def _her_edd(session: AsyncSession, woman: Woman) -> dict[str, Any]:
    return {"edd": woman.edd}


serve(
    router,
    "/women/{woman_id}/edd",
    page_role(Role.SOCIAL_WORKER, action="change_edd"),
    CommandForm(
        CHANGE_EDD,
        "edd.html.j2",
        "Change the expected date of delivery",
        read=_edd,
        shows=_her_edd,
    ),
    names=("edd_form", "change_edd"),
    docs=(
        "The form to change her EDD, with the reason.",
        "A new EDD: every deadline counted from it is worked out again.",
    ),
)


# Her care co-ordinator: one social worker in her team who holds the whole picture.


def _coordinator_page(
    request: Request,
    woman: Woman,
    workers: list[User],
    values: Values,
    errors: Errors,
    status: int = 200,
) -> Response:
    title = "Change" if woman.coordinator_user_id else "Name"
    return command_page(
        request,
        "coordinator.html.j2",
        f"{title} her care co-ordinator",
        woman,
        status,
        options=[(str(u.id), u.display_name) for u in workers],
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/coordinator")
async def coordinator_form(
    request: Request, woman_id: uuid.UUID, principal: Assigner, session: Session
) -> Response:
    """The form to name (or change) her care co-ordinator."""
    woman = await open_for_form(session, principal, woman_id, "coordinator")
    workers = await team_social_workers(session, woman)
    current = {"user_id": str(woman.coordinator_user_id or "")}
    return _coordinator_page(request, woman, workers, current, {})


def _chosen(worker: str | None, workers: list[User]) -> uuid.UUID | None:
    """The social worker chosen, if she is one of the team's (anything else is not)."""
    return next((u.id for u in workers if str(u.id) == worker), None)


@router.post("/women/{woman_id}/coordinator")
async def assign_coordinator(
    request: Request,
    woman_id: uuid.UUID,
    principal: Assigner,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Name her care co-ordinator: a social worker in her team (the API's check)."""
    woman = await visible_woman(session, principal, woman_id, action=ASSIGN_COORDINATOR.action)
    workers = await team_social_workers(session, woman)
    values = values_of(form)

    def page(errors: Errors, status: int) -> Response:
        return _coordinator_page(request, woman, workers, values, errors, status)

    chosen = _chosen(text(form, "user_id"), workers)
    if chosen is None:
        return page({"user_id": NOT_IN_TEAM}, 422)
    return await run_command(
        temporal,
        settings,
        session,
        ASSIGN_COORDINATOR,
        woman_id=woman_id,
        data={"user_id": chosen, "actor": principal.actor()},
        target=pathway(woman_id),
        page=page,
    )


# The pre-birth assessment: recording that it is complete meets its clock.


def _assessment(form: FormData) -> dict[str, Any]:
    return given(completed_on=text(form, "completed_on"))


serve(
    router,
    "/women/{woman_id}/assessment",
    page_role(Role.SOCIAL_WORKER, action="record_assessment"),
    CommandForm(
        RECORD_ASSESSMENT,
        "assessment.html.j2",
        "The pre-birth assessment is complete",
        read=_assessment,
        blank=lambda: {"completed_on": today_in_uk().isoformat()},
    ),
    names=("assessment_form", "record_assessment"),
    docs=(
        "The form to record that her pre-birth assessment is complete (today unless changed).",
        "The assessment is complete: its deadline is met (the API's own Update).",
    ),
)
