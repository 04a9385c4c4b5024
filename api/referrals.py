"""Referral intake: any agency refers; the woman's pathway starts durably."""

from __future__ import annotations

import hashlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.commands import Pending, send
from api.deps import AppSettings, Session, Temporal, require_role
from forms.area import AreaRules
from forms.common import Problem, Role
from forms.pathway import ConfirmIntake, PathwayInput, PathwayState
from forms.referral import ReferralForm, ReferralReceipt, check_referral
from waymark.areas import UnknownAreaError, get_area
from waymark.db.models import Referral
from waymark.errors import Invalid
from waymark.localtime import today_in_uk
from waymark.security.principal import Principal
from waymark.services import organisations
from workflows.pathway import WomanPathway, workflow_id

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
    """Refer a pregnant woman to children's social care; starts her pathway."""
    area = await _check_referral(session, form)
    woman_id, referral_id = _ids(principal, idempotency_key)
    state = PathwayState(
        woman_id=woman_id,
        referral_id=referral_id,
        area=area.code,
        nation=area.nation,
        edd=form.pregnancy.due_date,
        intake_fingerprint=hashlib.sha256(form.model_dump_json().encode()).hexdigest(),
    )
    inp = PathwayInput(state=state, referral=form, referral_actor=principal.actor())
    try:
        handle = await send(
            temporal.start_workflow(
                WomanPathway.run,
                inp,
                id=workflow_id(woman_id),
                task_queue=settings.temporal_task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            ),
            session=session,
            timeout=settings.command_timeout_seconds,
        )
    except WorkflowAlreadyStartedError:
        # Her pathway already ran to its end: answer from the record, start nothing.
        return await _closed_receipt(session, referral_id)
    confirm = ConfirmIntake(intake_fingerprint=state.intake_fingerprint)
    try:
        return await send(
            handle.execute_update(WomanPathway.confirm_intake, confirm),
            session=session,
            timeout=settings.command_timeout_seconds,
        )
    except Pending:
        # Started durably; the worker will record it. Say so rather than pretend it is done.
        response.status_code = 202
        return ReferralReceipt(woman_id=woman_id, referral_id=referral_id, stage="received")


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


async def _closed_receipt(session: Session, referral_id: uuid.UUID) -> ReferralReceipt:
    referral = await session.get(Referral, referral_id)
    if referral is None:
        raise Invalid("this Idempotency-Key was already used")
    return ReferralReceipt(woman_id=referral.woman_id, referral_id=referral.id, stage="closed")
