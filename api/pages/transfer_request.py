"""Asking another area to take her record on, as a page: her social worker names the area and
gives a reason; the page runs the API's own request (api.transfers.ask). While the other area
has not answered, the same social worker may take it back, saying why (api.transfers.take_back)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import Session
from api.pages.actions import carry_out, command_page, given, open_for_form, validated
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm, page_role
from api.transfers import ask, take_back
from forms.common import Role
from forms.transfer import TransferRequest, TransferWithdrawal
from services import transfers
from waymark.areas import get_area, load_areas
from waymark.db.models import Woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: transfers"], include_in_schema=False)

SocialWorker = Annotated[
    Principal, Depends(page_role(Role.SOCIAL_WORKER, action="transfer_record"))
]
FIELDS = {"to_area": "the area to transfer her record to", "reason": "the reason"}
WITHDRAW_FIELDS = {"reason": "why the transfer is withdrawn"}


def _page(
    request: Request,
    woman: Woman,
    values: Values,
    errors: Errors,
    status: int = 200,
    waiting: str | None = None,
) -> Response:
    others = [(code, a.name) for code, a in load_areas().items() if code != woman.area_code]
    areas = sorted(others, key=lambda option: option[1])
    return command_page(
        request,
        "transfer_request.html.j2",
        "Transfer her record to another area",
        woman,
        status,
        values=values,
        errors=errors,
        areas=areas,
        waiting=waiting,
    )


@router.get("/women/{woman_id}/transfer")
async def transfer_form(
    request: Request, woman_id: uuid.UUID, principal: SocialWorker, session: Session
) -> Response:
    """The transfer form: the receiving area and the reason."""
    woman = await open_for_form(session, principal, woman_id, "transfer")
    row = await transfers.waiting(session, woman.id)
    waiting = get_area(row.to_area).name if row is not None else None
    return _page(request, woman, {}, {}, waiting=waiting)


@router.post("/women/{woman_id}/transfer")
async def transfer(
    request: Request,
    woman_id: uuid.UUID,
    principal: SocialWorker,
    form: CheckedForm,
    session: Session,
) -> Response:
    """Ask: her record stays with your team until the other area's team accepts."""
    woman = await open_for_form(session, principal, woman_id, "transfer")
    values = values_of(form)
    data = given(to_area=text(form, "to_area"), reason=text(form, "reason"))
    body, errors = validated(TransferRequest, data, FIELDS)

    async def again(found: Errors, status: int) -> Response:
        return _page(request, woman, values, found, status)

    if body is None:
        return await again(errors, 422)
    command = ask(session, principal, woman_id, body)
    return await carry_out(command, woman_id, "transfer_asked", again, "to_area")


def _withdraw_page(
    request: Request, woman: Woman, values: Values, errors: Errors, status: int = 200
) -> Response:
    return command_page(
        request,
        "transfer_withdraw.html.j2",
        "Withdraw the transfer of her record",
        woman,
        status,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/transfer/withdraw")
async def withdraw_form(
    request: Request, woman_id: uuid.UUID, principal: SocialWorker, session: Session
) -> Response:
    """The withdrawal form: why the transfer is no longer wanted."""
    woman = await open_for_form(session, principal, woman_id, "transfer_withdraw")
    return _withdraw_page(request, woman, {}, {})


@router.post("/women/{woman_id}/transfer/withdraw")
async def withdraw(
    request: Request,
    woman_id: uuid.UUID,
    principal: SocialWorker,
    form: CheckedForm,
    session: Session,
) -> Response:
    """Take the transfer back: her record stays with your team, as it was."""
    woman = await open_for_form(session, principal, woman_id, "transfer_withdraw")
    values = values_of(form)
    body, errors = validated(
        TransferWithdrawal, given(reason=text(form, "reason")), WITHDRAW_FIELDS
    )

    async def again(found: Errors, status: int) -> Response:
        return _withdraw_page(request, woman, values, found, status)

    if body is None:
        return await again(errors, 422)
    command = take_back(session, principal, woman_id, body)
    return await carry_out(command, woman_id, "transfer_withdrawn", again, "reason")
