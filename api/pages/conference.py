"""A conference's commands as pages: the outcome (the chair, a social worker) and an invited
agency's report (a practitioner). Each sends the API's own Update to the conference."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.conferences import conference_target
from api.declared_tracks import RECORD_OUTCOME, SUBMIT_REPORT
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import command_page, given, open_for_form, run_command
from api.pages.fields import Errors, Values, text, values_of, yes_no
from api.pages.guard import CheckedForm, page_role
from api.pages.render import label
from forms.common import Role
from forms.conference import Category
from forms.labels import label as words
from waymark.areas import get_area
from waymark.db.models import Conference, Woman
from waymark.errors import NotFound
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: conferences"], include_in_schema=False)

Chair = Annotated[Principal, Depends(page_role(Role.SOCIAL_WORKER, action="run_conferences"))]
Reporter = Annotated[Principal, Depends(page_role(Role.PRACTITIONER, action="submit_report"))]

AGENCY_KINDS = [
    "children_social_care",
    "maternity",
    "drug_treatment",
    "health_visiting",
    "gp",
    "perinatal_mental_health",
    "police",
    "housing",
    "advocacy",
    "peer_support",
]


async def her_conference(session: Session, woman: Woman, conference_id: uuid.UUID) -> Conference:
    """One of her conferences (any other id is not found)."""
    conference = await session.get(Conference, conference_id)
    if conference is None or conference.woman_id != woman.id:
        raise NotFound("no such conference for her")
    return conference


# The outcome.


def _outcome_page(
    request: Request, woman: Woman, values: Values, errors: Errors, status: int = 200
) -> Response:
    nation = get_area(woman.area_code).nation
    return command_page(
        request,
        "outcome.html.j2",
        f"Record the {words('meeting', nation)} outcome",
        woman,
        status,
        nation=nation.value,
        agencies=[(kind, label(kind)) for kind in AGENCY_KINDS],
        categories=[(c.value, label(c.value)) for c in Category],
        values=values,
        errors=errors,
    )


def _outcome_data(form: FormData) -> dict[str, Any]:
    areas = [line.strip() for line in (text(form, "areas_of_concern") or "").splitlines()]
    return given(
        attended_agencies=form.getlist("attended_agencies"),
        woman_attended=yes_no(form, "woman_attended"),
        advocate_attended=yes_no(form, "advocate_attended"),
        plan=yes_no(form, "plan"),
        category=text(form, "category"),
        areas_of_concern=[a for a in areas if a],
    )


@router.get("/women/{woman_id}/conferences/{conference_id}/outcome")
async def outcome_form(
    request: Request,
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    principal: Chair,
    session: Session,
) -> Response:
    """The conference outcome form."""
    woman = await open_for_form(session, principal, woman_id, "outcome")
    await her_conference(session, woman, conference_id)
    return _outcome_page(request, woman, {}, {})


@router.post("/women/{woman_id}/conferences/{conference_id}/outcome")
async def record_outcome(
    request: Request,
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    principal: Chair,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Who attended and what was decided; an inquorate conference must be re-dated."""
    woman = await visible_woman(session, principal, woman_id, action=RECORD_OUTCOME.action)
    conference = await her_conference(session, woman, conference_id)
    values = values_of(form)
    data = {**_outcome_data(form), "actor": principal.actor()}
    return await run_command(
        temporal,
        settings,
        session,
        RECORD_OUTCOME,
        woman_id=woman_id,
        data=data,
        target=conference_target(conference),
        page=lambda errors, status: _outcome_page(request, woman, values, errors, status),
    )


# An invited agency's report.


def _report_page(
    request: Request, woman: Woman, values: Values, errors: Errors, status: int = 200
) -> Response:
    return command_page(
        request,
        "report.html.j2",
        "Submit your report for her conference",
        woman,
        status,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/conferences/{conference_id}/report")
async def report_form(
    request: Request,
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    principal: Reporter,
    session: Session,
) -> Response:
    """The report form for an invited agency."""
    woman = await open_for_form(session, principal, woman_id, "report")
    await her_conference(session, woman, conference_id)
    return _report_page(request, woman, {}, {})


@router.post("/women/{woman_id}/conferences/{conference_id}/report")
async def submit_report(
    request: Request,
    woman_id: uuid.UUID,
    conference_id: uuid.UUID,
    principal: Reporter,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Submit the agency's report (it is shared with her before the conference)."""
    woman = await visible_woman(session, principal, woman_id, action=SUBMIT_REPORT.action)
    conference = await her_conference(session, woman, conference_id)
    values = values_of(form)
    data = given(summary=text(form, "summary"))
    return await run_command(
        temporal,
        settings,
        session,
        SUBMIT_REPORT,
        woman_id=woman_id,
        data={**data, "organisation_id": principal.organisation_id, "actor": principal.actor()},
        target=conference_target(conference),
        page=lambda errors, status: _report_page(request, woman, values, errors, status),
    )
