"""The referral form: the API's `ReferralForm` and the very same intake (api.referrals), with
errors shown next to each field and in a summary. A per-form nonce is the Idempotency-Key."""

from __future__ import annotations

import secrets
import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api import referrals
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import NOT_FORM_ERRORS, validated
from api.pages.fields import Errors, Values, values_of
from api.pages.guard import CheckedForm, page_role
from api.pages.referral_form import CHANNELS, FIELDS, FORMATS, problem_errors, referral_data
from api.pages.render import render
from forms.common import Role
from forms.intake import OUTCOME_WORDS, IntakeOutcome
from forms.languages import LANGUAGES
from forms.referral import LawfulBasis, ReferralForm
from services import organisations
from waymark.areas import load_areas
from waymark.errors import DomainError, Invalid
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: referral"], include_in_schema=False)

Referrer = Annotated[
    Principal, Depends(page_role(Role.SOCIAL_WORKER, Role.PRACTITIONER, action="make_referral"))
]
NONCE = "nonce"


async def _areas(session: Session) -> list[tuple[str, str]]:
    """Areas that have a team receiving referrals, as (code, name)."""
    found = []
    for code, rules in sorted(load_areas().items()):
        if await organisations.receiving_team(session, code) is not None:
            found.append((code, rules.name))
    return found


async def _form_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    values: Values,
    errors: Errors | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "referral_form.html.j2",
        status=status,
        title="Make a referral",
        areas=await _areas(session),
        channels=CHANNELS,
        formats=FORMATS,
        languages=list(LANGUAGES.items()),
        bases=[(b.value, b.value.replace("_", " ").capitalize()) for b in LawfulBasis],
        values=values,
        errors=errors or {},
    )


@router.get("/referrals/new")
async def referral_form(request: Request, principal: Referrer, session: Session) -> Response:
    """A blank referral form (a new nonce, so this form's referral is made once)."""
    values: Values = {
        NONCE: secrets.token_urlsafe(16),
        "area": principal.area_code,
        "referrer.practitioner_name": principal.display_name,
        "woman.contact.language": "en",
        "pregnancy.babies_expected": "1",
    }
    return await _form_page(request, session, principal, values=values)


@router.post("/referrals/new")
async def make_referral(
    request: Request,
    principal: Referrer,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Send the referral through the API's intake; on success, the confirmation page."""
    values = values_of(form)

    async def again(errors: Errors, status: int) -> Response:
        return await _form_page(
            request, session, principal, values=values, errors=errors, status=status
        )

    referral, errors = validated(ReferralForm, referral_data(form), FIELDS)
    if referral is None:
        return await again(errors, 422)
    nonce = str(form.get(NONCE) or "")[:100]
    outcome = Response()
    try:
        receipt = await referrals.make_referral(
            referral,
            outcome,
            principal,
            session,
            temporal,
            settings,
            idempotency_key=f"page-{nonce}" if nonce else None,
        )
    except Invalid as exc:
        return await again(problem_errors(exc.problems or [("area", exc.message)]), 422)
    except DomainError as exc:
        if exc.status_code in NOT_FORM_ERRORS:
            raise
        return await again(
            {"area": f"The referral could not be sent: {exc.message}"}, exc.status_code
        )
    if receipt.woman_id is None:
        # Held by another area, or to be checked against a record: nothing of hers to link to.
        return RedirectResponse(f"/referrals/received?outcome={receipt.outcome}", 303)
    query = urlencode(
        {"outcome": receipt.outcome} | ({"waiting": 1} if outcome.status_code == 202 else {})
    )
    return RedirectResponse(f"/referrals/sent/{receipt.woman_id}?{query}", status_code=303)


@router.get("/referrals/sent/{woman_id}")
async def referral_sent(
    request: Request,
    woman_id: uuid.UUID,
    principal: Referrer,
    waiting: str | None = None,
    outcome: str | None = None,
) -> Response:
    """The confirmation: what happens next (it shows nothing from her record)."""
    return render(
        request,
        "referral_sent.html.j2",
        title="Referral sent",
        woman_id=woman_id,
        waiting=waiting == "1",
        joined=outcome == IntakeOutcome.JOINED.value,
    )


@router.get("/referrals/received")
async def referral_received(request: Request, principal: Referrer, outcome: str = "") -> Response:
    """The confirmation when her record is not for the referrer to see."""
    known = {o.value: o for o in IntakeOutcome}
    words = OUTCOME_WORDS.get(known.get(outcome, IntakeOutcome.POSSIBLE_MATCH), "")
    return render(request, "referral_received.html.j2", title="Referral sent", words=words)
