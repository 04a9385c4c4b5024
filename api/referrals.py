"""Referral intake: any agency refers; the referral finds her record and reaches her pathway."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response

from api import intake
from api.deps import AppSettings, Session, Temporal, require_role
from forms.area import AreaRules
from forms.common import Problem, Role
from forms.referral import ReferralForm, ReferralReceipt, check_referral
from services import organisations
from waymark.areas import UnknownAreaError, get_area
from waymark.errors import Invalid
from waymark.localtime import today_in_uk
from waymark.security.principal import Principal

router = APIRouter(prefix="/api/v1/referrals", tags=["referrals"])

# Ids derived from (referrer, Idempotency-Key) are stable, so a retried request finds its pathway.
IDEMPOTENCY_NAMESPACE = uuid.UUID("5d0c7c55-6a1e-4f7e-9d55-2f1b8a4f7a10")

Referrer = Annotated[
    Principal, Depends(require_role(Role.SOCIAL_WORKER, Role.PRACTITIONER, action="make_referral"))
]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post("", status_code=201)
async def make_referral(
    form: ReferralForm,
    response: Response,
    principal: Referrer,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
    idempotency_key: IdempotencyKey = None,
) -> ReferralReceipt:
    """Refer a pregnant woman to children's social care. A referral for a woman already on
    record joins her record and pathway; `outcome` says which happened."""
    await _check_referral(session, form)
    receipt, response.status_code = await intake.receive(
        form,
        principal.actor(),
        _ids(principal, idempotency_key),
        session=session,
        temporal=temporal,
        settings=settings,
    )
    return receipt


async def _check_referral(session: Session, form: ReferralForm) -> AreaRules:
    problems = check_referral(form, today_in_uk())
    try:
        area = get_area(form.area)
    except UnknownAreaError as exc:
        problems.append(Problem("area", str(exc)))
        area = None
    if area is not None and await organisations.receiving_team(session, area.code) is None:
        problems.append(Problem("area", f"no team receives referrals for area {area.code} yet"))
    code = form.referrer.organisation_code
    if code is not None and await organisations.by_code(session, code) is None:
        problems.append(
            Problem("referrer.organisation_code", f"the referring agency '{code}' is not known")
        )
    if problems or area is None:
        raise Invalid("; ".join(p.problem for p in problems), problems)
    return area


def _ids(principal: Principal, key: str | None) -> tuple[uuid.UUID, uuid.UUID]:
    if not key:
        return uuid.uuid4(), uuid.uuid4()
    base = f"{principal.user_id}:{key}"
    return (
        uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"woman:{base}"),
        uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"referral:{base}"),
    )
