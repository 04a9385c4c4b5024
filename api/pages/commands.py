"""Her pathway's planning commands as pages: the screening decision and the strategy
discussion (IRD in Scotland). Each sends the API's own Update to her pathway."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.declared import SCREENING, STRATEGY
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import command_page, given, open_for_form, pathway, run_command
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm, page_role
from api.pages.render import label
from forms.common import Nation, Role
from forms.pathway import (
    ALLOWED_DECISIONS,
    ScreeningDecision,
    Stage,
)
from waymark.areas import get_area
from waymark.db.models import Woman
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: her pathway"], include_in_schema=False)

Screener = Annotated[Principal, Depends(page_role(Role.SOCIAL_WORKER, action="record_screening"))]
Planner = Annotated[Principal, Depends(page_role(Role.SOCIAL_WORKER, action="plan_pre_birth_care"))]


# The screening decision.


def _screening_page(
    request: Request, woman: Woman, values: Values, errors: Errors, status: int = 200
) -> Response:
    allowed = ALLOWED_DECISIONS.get(Stage(woman.stage), frozenset())
    nation = get_area(woman.area_code).nation
    options = [(d.value, label(d.value, nation)) for d in ScreeningDecision if d in allowed]
    return command_page(
        request,
        "screening.html.j2",
        "Record the screening decision",
        woman,
        status,
        options=options,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/screening")
async def screening_form(
    request: Request, woman_id: uuid.UUID, principal: Screener, session: Session
) -> Response:
    """The screening decision form."""
    woman = await open_for_form(session, principal, woman_id, "screening")
    return _screening_page(request, woman, {}, {})


@router.post("/women/{woman_id}/screening")
async def record_screening(
    request: Request,
    woman_id: uuid.UUID,
    principal: Screener,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Record the screening decision on her referral (the API's Update)."""
    woman = await visible_woman(session, principal, woman_id, action=SCREENING.action)
    values = values_of(form)
    data = given(decision=text(form, "decision"), reason=text(form, "reason"))
    return await run_command(
        temporal,
        settings,
        session,
        SCREENING,
        woman_id=woman_id,
        data={**data, "actor": principal.actor()},
        target=pathway(woman_id),
        page=lambda errors, status: _screening_page(request, woman, values, errors, status),
    )


# The strategy discussion (IRD in Scotland).


def _strategy_page(
    request: Request, woman: Woman, values: Values, errors: Errors, status: int = 200
) -> Response:
    nation = get_area(woman.area_code).nation
    return command_page(
        request,
        "strategy.html.j2",
        f"Record the {label('strategy_discussion', nation)}"
        if nation is Nation.SCOTLAND
        else "Record the strategy discussion",
        woman,
        status,
        nation=nation.value,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/strategy-discussion")
async def strategy_form(
    request: Request, woman_id: uuid.UUID, principal: Planner, session: Session
) -> Response:
    """The strategy discussion form."""
    woman = await open_for_form(session, principal, woman_id, "strategy")
    return _strategy_page(request, woman, {}, {})


@router.post("/women/{woman_id}/strategy-discussion")
async def record_strategy(
    request: Request,
    woman_id: uuid.UUID,
    principal: Planner,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Record the strategy discussion; a decision to confer starts a conference."""
    woman = await visible_woman(session, principal, woman_id, action=STRATEGY.action)
    values = values_of(form)
    data = given(
        held_on=text(form, "held_on"),
        concern_on=text(form, "concern_on"),
        outcome=text(form, "outcome"),
    )
    return await run_command(
        temporal,
        settings,
        session,
        STRATEGY,
        woman_id=woman_id,
        data={**data, "actor": principal.actor()},
        target=pathway(woman_id),
        page=lambda errors, status: _strategy_page(request, woman, values, errors, status),
    )
