"""Her pathway's planning commands as pages: the screening decision and the strategy
discussion (IRD in Scotland). Each sends the API's own Update to her pathway."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from api.declared import SCREENING, STRATEGY
from api.pages.actions import given
from api.pages.command_form import CommandForm, serve
from api.pages.fields import text
from api.pages.guard import page_role
from api.pages.render import label
from forms.common import Nation, Role
from forms.pathway import ALLOWED_DECISIONS, ScreeningDecision, Stage
from waymark.areas import get_area
from waymark.db.models import Woman

router = APIRouter(tags=["pages: her pathway"], include_in_schema=False)


# The screening decision.


async def _decisions(session: AsyncSession, woman: Woman) -> dict[str, Any]:
    """The decisions open to her at her stage, in her nation's words."""
    allowed = ALLOWED_DECISIONS.get(Stage(woman.stage), frozenset())
    nation = get_area(woman.area_code).nation
    return {
        "options": [(d.value, label(d.value, nation)) for d in ScreeningDecision if d in allowed]
    }


def _screening(form: FormData) -> dict[str, Any]:
    return given(decision=text(form, "decision"), reason=text(form, "reason"))


serve(
    router,
    "/women/{woman_id}/screening",
    page_role(Role.SOCIAL_WORKER, action="record_screening"),
    CommandForm(
        SCREENING,
        "screening.html.j2",
        "Record the screening decision",
        read=_screening,
        shows=_decisions,
    ),
    names=("screening_form", "record_screening"),
    docs=(
        "The screening decision form.",
        "Record the screening decision on her referral (the API's Update).",
    ),
)


# The strategy discussion (IRD in Scotland).


def _strategy_title(woman: Woman) -> str:
    nation = get_area(woman.area_code).nation
    if nation is Nation.SCOTLAND:
        return f"Record the {label('strategy_discussion', nation)}"
    return "Record the strategy discussion"


def _strategy(form: FormData) -> dict[str, Any]:
    return given(
        held_on=text(form, "held_on"),
        concern_on=text(form, "concern_on"),
        outcome=text(form, "outcome"),
    )


serve(
    router,
    "/women/{woman_id}/strategy-discussion",
    page_role(Role.SOCIAL_WORKER, action="plan_pre_birth_care"),
    CommandForm(STRATEGY, "strategy.html.j2", _strategy_title, read=_strategy),
    names=("strategy_form", "record_strategy"),
    docs=(
        "The strategy discussion form.",
        "Record the strategy discussion; a decision to confer starts a conference.",
    ),
)
