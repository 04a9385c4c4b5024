"""Offering her an independent advocate, and her answer, as a page for her social worker. It
goes through the API's own routes (api/advocates.py): the offer is recorded, and if she says
yes her allocation workflow starts; if she says no, a running one is withdrawn."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.advocates import offer_advocacy, record_advocacy_response
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import carry_out, command_page, open_for_form, sentence, validated
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm, page_role
from forms.advocacy import OFFER_TRIGGERS, OfferRequest, ResponseRequest, Trigger
from forms.common import Role
from services.advocacy_records import TRIGGER_WORDS, pending_offer
from waymark.db.models import AdvocacyOffer, Woman
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: offering her an advocate"], include_in_schema=False)

Offerer = Annotated[Principal, Depends(page_role(Role.SOCIAL_WORKER, action="offer_advocacy"))]

FIELDS = {"trigger": "when she was offered an advocate", "response": "what she said"}
NOT_YET = "pending"
ANSWERED = frozenset({"accepted", "declined"})
ANSWERS = [
    ("accepted", "She would like an independent advocate"),
    ("declined", "She does not want an independent advocate"),
]


def _offer_page(
    request: Request,
    woman: Woman,
    offer: AdvocacyOffer | None,
    values: Values,
    errors: Errors,
    status: int = 200,
) -> Response:
    """With an offer waiting, only her answer is asked; otherwise when it was made, too (and
    she may not have answered yet)."""
    triggers = [(t.value, sentence(TRIGGER_WORDS[t])) for t in OFFER_TRIGGERS]
    return command_page(
        request,
        "advocacy_offer.html.j2",
        "Her answer to the offer of an advocate" if offer else "Offer her an independent advocate",
        woman,
        status,
        offer=offer,
        offered=TRIGGER_WORDS[Trigger(offer.trigger)] if offer else "",
        triggers=triggers,
        answers=ANSWERS if offer else [*ANSWERS, (NOT_YET, "She has not answered yet")],
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/advocacy-offer")
async def offer_form(
    request: Request, woman_id: uuid.UUID, principal: Offerer, session: Session
) -> Response:
    """The form to record the offer of an advocate and her answer."""
    woman = await open_for_form(session, principal, woman_id, "advocacy_offer")
    offer = await pending_offer(session, woman.id)
    return _offer_page(request, woman, offer, {}, {})


def _field(name: str, value: str | None) -> dict[str, Any]:
    """The field as the contract takes it (left out when blank, so it is 'missing')."""
    return {name: value} if value is not None else {}


def _checked(
    offer: AdvocacyOffer | None, trigger: str | None, answer: str | None
) -> tuple[OfferRequest | None, ResponseRequest | None, Errors]:
    """The API's request bodies built from the form (the offer only if none waits; her answer
    unless she has not given one), or the errors to show."""
    offer_body, errors = (
        (None, {}) if offer else validated(OfferRequest, _field("trigger", trigger), FIELDS)
    )
    answer_body: ResponseRequest | None = None
    if offer is not None or answer != NOT_YET:
        # Only her two answers are answers: the radios offer nothing else.
        said = _field("response", answer if answer in ANSWERED else None)
        answer_body, answer_errors = validated(ResponseRequest, said, FIELDS)
        errors = {**errors, **answer_errors}
    return offer_body, answer_body, errors


@router.post("/women/{woman_id}/advocacy-offer")
async def record_offer(
    request: Request,
    woman_id: uuid.UUID,
    principal: Offerer,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Record the offer (unless one waits) and her answer, through the API's routes."""
    woman = await visible_woman(session, principal, woman_id, action="offer_advocacy")
    offer = await pending_offer(session, woman.id)
    values = values_of(form)
    offer_body, answer_body, errors = _checked(offer, text(form, "trigger"), text(form, "response"))

    async def refused(errors: Errors, status: int) -> Response:
        # Looked up again: the offer may have been recorded before her answer was refused.
        waiting = await pending_offer(session, woman.id)
        return _offer_page(request, woman, waiting, values, errors, status)

    if errors:
        return await refused(errors, 422)

    async def record() -> None:
        if offer_body is not None:
            await offer_advocacy(woman_id, offer_body, principal, session)
        if answer_body is not None:
            await record_advocacy_response(
                woman_id, answer_body, principal, session, temporal, settings
            )

    return await carry_out(record(), woman_id, "advocacy", refused, "response")
