"""An advocate's answer to an offer of a woman's case, as pages: what the offer is and how long
is left, then accept or decline. The page sends the API's own answer (api.advocates.answer_offer):
the same checks, audit and `respond` Update to her AdvocateAllocation workflow. Until she
accepts, the advocate sees her name only on the offer (to check for a conflict of interest,
each view audited), never her record."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from api import advocates as advocates_api
from api.commands import Pending
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import NOT_FORM_ERRORS, given, her_name, sentence, validated
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import Advocate, CheckedForm
from api.pages.render import render
from forms.advocacy import AdvocateResponseRequest, AllocationStatus
from waymark import audit
from waymark.db.models import AdvocateAllocation, Woman
from waymark.errors import DomainError, NotFound
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: advocate"], include_in_schema=False)

REPLY = {"reply": "whether you will be her advocate", "reason": "why you cannot take this on"}
REPLIES = [
    ("accept", "Yes, I will be her advocate"),
    ("decline", "No, I cannot take this on"),
]
OFFERED = AllocationStatus.OFFERED.value


@dataclass
class Offer:
    """An offer waiting for this advocate's answer: why, where, and how long is left."""

    id: uuid.UUID
    status: str
    after_removal: bool
    area: str
    offered_at: datetime | None
    accept_by: datetime | None
    left: str


def time_left(until: datetime | None, now: datetime) -> str:
    """'1 day and 3 hours left', '5 hours left', '40 minutes left', or that time is up."""
    if until is None:
        return ""
    minutes = int((until - now).total_seconds() // 60)
    if minutes <= 0:
        return "The time to answer has passed"
    days, hours = minutes // (24 * 60), minutes // 60 % 24
    if days:
        hours_part = f" and {_plural(hours, 'hour')}" if hours else ""
        return f"{_plural(days, 'day')}{hours_part} left"
    if hours:
        return f"{_plural(hours, 'hour')} left"
    return f"{_plural(minutes, 'minute')} left"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _offer(row: AdvocateAllocation, area: str, now: datetime) -> Offer:
    return Offer(
        id=row.id,
        status=row.status,
        after_removal=row.after_removal,
        area=area,
        offered_at=row.offered_at,
        accept_by=row.accept_by,
        left=time_left(row.accept_by, now),
    )


async def pending_offers(session: Session, principal: Principal, now: datetime) -> list[Offer]:
    """Offers waiting for this advocate's answer, the most pressing first."""
    rows = await session.execute(
        select(AdvocateAllocation, Woman.area_code)
        .join(Woman, Woman.id == AdvocateAllocation.woman_id)
        .where(
            AdvocateAllocation.advocate_user_id == principal.user_id,
            AdvocateAllocation.status == OFFERED,
            AdvocateAllocation.ended_at.is_(None),
        )
        .order_by(AdvocateAllocation.accept_by, AdvocateAllocation.id)
    )
    return [_offer(row, area, now) for row, area in rows]


async def _my_offer(
    session: Session, principal: Principal, allocation_id: uuid.UUID, action: str
) -> tuple[AdvocateAllocation, Woman]:
    """An offer made to this advocate; anyone else's is a 404, with the denial on record."""
    found = (
        await session.execute(
            select(AdvocateAllocation, Woman)
            .join(Woman, Woman.id == AdvocateAllocation.woman_id)
            .where(AdvocateAllocation.id == allocation_id)
        )
    ).first()
    if found is None or found[0].advocate_user_id != principal.user_id:
        audit.record(
            session,
            principal.actor(),
            action=action,
            record_type="allocation",
            record_id=allocation_id,
            outcome="denied",
        )
        raise NotFound("no such offer for you")
    return found[0], found[1]


def _offer_page(
    request: Request,
    offer: Offer,
    woman: Woman,
    values: Values,
    errors: Errors,
    status: int = 200,
) -> Response:
    return render(
        request,
        "advocacy_answer.html.j2",
        status=status,
        title="Will you be her advocate?",
        offer=offer,
        name=her_name(woman),
        replies=REPLIES,
        ready=offer.status == OFFERED,
        values=values,
        errors=errors,
    )


@router.get("/advocate/offers/{allocation_id}")
async def offer_page(
    request: Request, allocation_id: uuid.UUID, principal: Advocate, session: Session
) -> Response:
    """An offer of a woman's case: why, where, how long is left; accept or decline."""
    row, woman = await _my_offer(session, principal, allocation_id, "view_offer")
    audit.record(
        session, principal.actor(), action="view_offer", record_type="woman", record_id=woman.id
    )
    offer = _offer(row, woman.area_code, datetime.now(UTC))
    return _offer_page(request, offer, woman, {}, {})


@router.post("/advocate/offers/{allocation_id}")
async def answer_offer(
    request: Request,
    allocation_id: uuid.UUID,
    principal: Advocate,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Accept or decline: the API's answer, whose `respond` Update returns once it is recorded."""
    row, woman = await _my_offer(session, principal, allocation_id, "answer_offer")
    offer, values = _offer(row, woman.area_code, datetime.now(UTC)), values_of(form)
    reply, reason = text(form, "reply"), text(form, "reason")
    body, errors = validated(AdvocateResponseRequest, given(reply=reply, reason=reason), REPLY)
    if reply == "decline" and reason is None:
        body, errors = None, {"reason": "Say why you cannot take this on"}
    if body is None:
        return _offer_page(request, offer, woman, values, errors, 422)
    try:
        answered = await advocates_api.answer_offer(
            allocation_id, body, principal, session, temporal, settings
        )
    except Pending:
        return RedirectResponse("/advocate?done=pending", status_code=303)
    except DomainError as exc:
        if exc.status_code in NOT_FORM_ERRORS:
            raise
        refusal = {"reply": sentence(exc.message)}
        return _offer_page(request, offer, woman, values, refusal, exc.status_code)
    return RedirectResponse(f"/advocate?done={answered.status.value}", status_code=303)
