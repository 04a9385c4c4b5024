"""The end of her baby's case as pages: a baby leaving hospital, closing the case (her own
support episode carries on) and reopening it. Each goes the API's own way to her pathway."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from api.declared import CLOSE_CASE, RECORD_DISCHARGE, REOPEN_CASE
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import (
    carry_out,
    command_page,
    given,
    open_for_form,
    pathway,
    run_command,
    validated,
)
from api.pages.birth import her_baby
from api.pages.command_form import CommandForm, serve
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm, page_role
from api.reopen import reopen
from forms.common import Role
from forms.pathway import ReopenCase
from waymark.db.models import Baby, SupportEpisode, Woman
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: discharge and closing the case"], include_in_schema=False)

Discharger = Annotated[
    Principal,
    Depends(page_role(Role.SOCIAL_WORKER, Role.PRACTITIONER, action="record_discharge")),
]
Closer = Annotated[Principal, Depends(page_role(Role.SOCIAL_WORKER, action="close_case"))]


# A baby leaves hospital (refused until a required pre-discharge meeting is held).


def _discharge_page(
    request: Request, woman: Woman, baby: Baby, values: Values, errors: Errors, status: int = 200
) -> Response:
    return command_page(
        request,
        "discharge.html.j2",
        f"Record that baby {baby.number} has left hospital",
        woman,
        status,
        baby=baby,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/babies/{baby_id}/discharge")
async def discharge_form(
    request: Request,
    woman_id: uuid.UUID,
    baby_id: uuid.UUID,
    principal: Discharger,
    session: Session,
) -> Response:
    """The page to confirm a baby has left hospital."""
    woman = await open_for_form(session, principal, woman_id, "discharge")
    baby = await her_baby(session, woman, baby_id)
    return _discharge_page(request, woman, baby, {}, {})


@router.post("/women/{woman_id}/babies/{baby_id}/discharge")
async def record_discharge(
    request: Request,
    woman_id: uuid.UUID,
    baby_id: uuid.UUID,
    principal: Discharger,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """The baby has left hospital on the day given, or today (her pathway refuses it before a
    required meeting, before the birth or in the future)."""
    woman = await visible_woman(session, principal, woman_id, action=RECORD_DISCHARGE.action)
    baby = await her_baby(session, woman, baby_id)
    values = values_of(form)
    day = given(discharged_on=text(form, "discharged_on"))
    return await run_command(
        temporal,
        settings,
        session,
        RECORD_DISCHARGE,
        woman_id=woman_id,
        data={**day, "baby_id": baby.id, "actor": principal.actor()},
        target=pathway(woman_id),
        page=lambda errors, status: _discharge_page(request, woman, baby, values, errors, status),
    )


# Closing her baby's case.


async def _support_continues(session: Session, woman: Woman) -> bool:
    """Whether she has her own support episode open (it does not close with the case)."""
    found = await session.scalar(
        select(SupportEpisode.id).where(
            SupportEpisode.woman_id == woman.id, SupportEpisode.status != "closed"
        )
    )
    return found is not None


async def _support(session: AsyncSession, woman: Woman) -> dict[str, Any]:
    return {"support": await _support_continues(session, woman)}


def _close(form: FormData) -> dict[str, Any]:
    return given(reason=text(form, "reason"))


serve(
    router,
    "/women/{woman_id}/close-case",
    page_role(Role.SOCIAL_WORKER, action="close_case"),
    CommandForm(
        CLOSE_CASE,
        "close_case.html.j2",
        "Close her baby's case",
        read=_close,
        shows=_support,
        form_name="close_case",
    ),
    names=("close_case_form", "close_case"),
    docs=(
        "The form to close her baby's case, with the reason.",
        "Close her baby's case. Her own support episode is not affected.",
    ),
)


# Reopening her closed case: a command of its own, with its reason on her record.


def _reopen_page(
    request: Request, woman: Woman, values: Values, errors: Errors, status: int = 200
) -> Response:
    return command_page(
        request,
        "reopen_case.html.j2",
        "Reopen her case",
        woman,
        status,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/reopen")
async def reopen_case_form(
    request: Request, woman_id: uuid.UUID, principal: Closer, session: Session
) -> Response:
    """The form to reopen her closed case, with the reason."""
    woman = await open_for_form(session, principal, woman_id, "reopen_case")
    return _reopen_page(request, woman, {}, {})


@router.post("/women/{woman_id}/reopen")
async def reopen_case(
    request: Request,
    woman_id: uuid.UUID,
    principal: Closer,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Reopen her closed case: a new run of her pathway, the reason on her record."""
    woman = await visible_woman(session, principal, woman_id, action=REOPEN_CASE.action)
    values = values_of(form)
    data = given(reason=text(form, "reason"))
    command, errors = validated(
        ReopenCase, {**data, "actor": principal.actor()}, REOPEN_CASE.fields
    )
    if command is None:
        return _reopen_page(request, woman, values, errors, 422)

    async def refused(errors: Errors, status: int) -> Response:
        return _reopen_page(request, woman, values, errors, status)

    sent = reopen(temporal, settings, session, woman=woman, command=command)
    return await carry_out(sent, woman_id, REOPEN_CASE.done_as, refused, REOPEN_CASE.focus)
