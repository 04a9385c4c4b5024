"""The birth and where a baby lives, as pages: a placement in care is a removal, and her own
support starts at once. Each sends the API's own Update to her pathway."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.declared import MOVE_BABY, RECORD_BIRTH, RECORD_PLACEMENT
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import command_page, given, open_for_form, pathway, run_command
from api.pages.command_form import CommandForm, serve
from api.pages.fields import Errors, Values, local_datetime, text, values_of
from api.pages.guard import CheckedForm, page_role
from api.pages.render import label
from forms.birth import (
    BabyLocation,
    LegalBasis,
    Placement,
    basis_fits_nation,
)
from forms.common import Role
from waymark.areas import get_area
from waymark.db.models import Baby, Woman
from waymark.errors import NotFound
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: birth and placement"], include_in_schema=False)

Mover = Annotated[
    Principal, Depends(page_role(Role.SOCIAL_WORKER, Role.PRACTITIONER, action="move_baby"))
]
Placer = Annotated[Principal, Depends(page_role(Role.SOCIAL_WORKER, action="record_placement"))]

# Where a baby can be in hospital, in the words of the move page.
PLACES = [
    (BabyLocation.NEONATAL_UNIT.value, "The neonatal unit"),
    (BabyLocation.TRANSITIONAL_CARE.value, "Transitional care"),
    (BabyLocation.WITH_MOTHER.value, "With her on the ward"),
]


# The birth (maternity or the social worker).


def _birth_data(form: FormData) -> dict[str, Any]:
    count = text(form, "babies") or "1"
    location = text(form, "location") or "with_mother"
    babies = [{"location": location}] * int(count) if count.isdigit() and 0 < int(count) < 5 else []
    return given(
        born_at=local_datetime(text(form, "born_on"), text(form, "born_time")),
        gestation_weeks=text(form, "gestation_weeks"),
        gestation_days=text(form, "gestation_days"),
        babies=babies if babies or not count else count,
        exposure=text(form, "exposure"),
    )


serve(
    router,
    "/women/{woman_id}/birth",
    page_role(Role.SOCIAL_WORKER, Role.PRACTITIONER, action="record_birth"),
    CommandForm(
        RECORD_BIRTH,
        "birth.html.j2",
        "Record the birth",
        read=_birth_data,
        blank=lambda: {
            "babies": "1",
            "gestation_days": "0",
            "location": "with_mother",
            "exposure": "none_known",
        },
    ),
    names=("birth_form", "record_birth"),
    docs=(
        "The birth form.",
        "Record the birth: the unborn record becomes a baby and her clocks are re-planned.",
    ),
)


# Where a baby lives (a placement in care is a removal: her own support starts).


async def her_baby(session: Session, woman: Woman, baby_id: uuid.UUID) -> Baby:
    """One of her babies (any other id is not found)."""
    baby = await session.get(Baby, baby_id)
    if baby is None or baby.woman_id != woman.id:
        raise NotFound("no such baby for her")
    return baby


def _placement_page(
    request: Request, woman: Woman, baby: Baby, values: Values, errors: Errors, status: int = 200
) -> Response:
    nation = get_area(woman.area_code).nation
    bases = [(b.value, label(b.value)) for b in LegalBasis if basis_fits_nation(b, nation)]
    return command_page(
        request,
        "placement.html.j2",
        "Record where the baby lives",
        woman,
        status,
        baby=baby,
        placements=[(p.value, label(p.value)) for p in Placement],
        bases=bases,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/babies/{baby_id}/placement")
async def placement_form(
    request: Request, woman_id: uuid.UUID, baby_id: uuid.UUID, principal: Placer, session: Session
) -> Response:
    """The placement form."""
    woman = await open_for_form(session, principal, woman_id, "placement")
    baby = await her_baby(session, woman, baby_id)
    return _placement_page(request, woman, baby, {"placement": baby.placement}, {})


@router.post("/women/{woman_id}/babies/{baby_id}/placement")
async def record_placement(
    request: Request,
    woman_id: uuid.UUID,
    baby_id: uuid.UUID,
    principal: Placer,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Record where the baby lives; a placement in care starts her own support at once."""
    woman = await visible_woman(session, principal, woman_id, action=RECORD_PLACEMENT.action)
    baby = await her_baby(session, woman, baby_id)
    values = values_of(form)
    data = given(
        placement=text(form, "placement"),
        legal_basis=text(form, "legal_basis"),
        reason=text(form, "reason"),
    )
    return await run_command(
        temporal,
        settings,
        session,
        RECORD_PLACEMENT,
        woman_id=woman_id,
        data={**data, "baby_id": baby.id, "actor": principal.actor()},
        target=pathway(woman_id),
        page=lambda errors, status: _placement_page(request, woman, baby, values, errors, status),
    )


# A baby moves within hospital: the neonatal unit, transitional care, the ward with her.


def _move_page(
    request: Request, woman: Woman, baby: Baby, values: Values, errors: Errors, status: int = 200
) -> Response:
    return command_page(
        request,
        "baby_move.html.j2",
        f"Record where in hospital baby {baby.number} is",
        woman,
        status,
        baby=baby,
        places=PLACES,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/babies/{baby_id}/location")
async def move_form(
    request: Request, woman_id: uuid.UUID, baby_id: uuid.UUID, principal: Mover, session: Session
) -> Response:
    """The page to record that a baby has moved within hospital."""
    woman = await open_for_form(session, principal, woman_id, "move")
    baby = await her_baby(session, woman, baby_id)
    return _move_page(request, woman, baby, {"location": baby.location}, {})


@router.post("/women/{woman_id}/babies/{baby_id}/location")
async def move_baby(
    request: Request,
    woman_id: uuid.UUID,
    baby_id: uuid.UUID,
    principal: Mover,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """The baby has moved within hospital (her pathway refuses a baby no longer there)."""
    woman = await visible_woman(session, principal, woman_id, action=MOVE_BABY.action)
    baby = await her_baby(session, woman, baby_id)
    values = values_of(form)
    return await run_command(
        temporal,
        settings,
        session,
        MOVE_BABY,
        woman_id=woman_id,
        data={
            **given(location=text(form, "location")),
            "baby_id": baby.id,
            "actor": principal.actor(),
        },
        target=pathway(woman_id),
        page=lambda errors, status: _move_page(request, woman, baby, values, errors, status),
    )
