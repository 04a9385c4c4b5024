"""Intake: a referral finds the woman's record (or makes one) and reaches her one pathway.

Every referral goes the same way, in one call (update-with-start): start her pathway if it is
not running (the start is ignored when it is) and send it the `receive_referral` Update, which
confirms her first referral or joins a further one to her record. Referrals arriving together
agree on her record through the unique claim on her number (services.matching), so she keeps
one record and one pathway.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.commands import Pending, is_running, issue_with_start
from api.declared import RECEIVE_REFERRAL
from forms.area import AreaRules
from forms.common import Actor
from forms.intake import OUTCOME_WORDS, IntakeOutcome, ReceiveReferral
from forms.pathway import PathwayInput, PathwayState
from forms.referral import ReferralForm, ReferralReceipt
from rules.calendar import with_closed_days
from services import matching, organisations
from waymark.areas import get_area
from waymark.db.models import PossibleMatch, Referral
from waymark.errors import Invalid, Unavailable
from waymark.localtime import today_in_uk
from waymark.settings import Settings
from workflows.pathway import WomanPathway, workflow_id

# How long to ask Temporal whether her pathway exists after the referral's call gave up.
STARTED_CHECK_SECONDS = 2.0


@dataclass(frozen=True)
class Delivery:
    """One referral on its way to a pathway: for whom, by whom, and its own ids."""

    form: ReferralForm
    actor: Actor
    woman_id: uuid.UUID
    referral_id: uuid.UUID
    fingerprint: str
    record_area: AreaRules


def fingerprint(form: ReferralForm) -> str:
    return hashlib.sha256(form.model_dump_json().encode()).hexdigest()


async def receive(
    form: ReferralForm,
    actor: Actor,
    ids: tuple[uuid.UUID, uuid.UUID],
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
) -> tuple[ReferralReceipt, int]:
    """Match the referral to her record and deliver it; the receipt and its HTTP status."""
    proposed, referral_id = ids
    fp = fingerprint(form)
    queued = await session.scalar(
        select(PossibleMatch.id).where(PossibleMatch.referral_id == referral_id)
    )
    if queued is not None:
        return possible_receipt(referral_id), 202
    found = await matching.match(session, form, proposed)
    if found.kind is matching.Kind.POSSIBLE:
        await _queue(session, form, actor, (proposed, referral_id), fp, found)
        return possible_receipt(referral_id), 202
    delivery = Delivery(form, actor, found.woman_id, referral_id, fp, get_area(found.area_code))
    try:
        return await deliver(delivery, session=session, temporal=temporal, settings=settings)
    except Unavailable:
        # Her pathway could not be started (the pathway service did not answer), so nothing of
        # the referral is kept: a new claim on her number goes too, while no record of hers
        # exists; a retry with the same Idempotency-Key claims it again for the same record.
        if found.kind is matching.Kind.NEW:
            await matching.release_claim(session, found.woman_id)
            await session.commit()
        raise


async def deliver(
    delivery: Delivery, *, session: AsyncSession, temporal: Client, settings: Settings
) -> tuple[ReferralReceipt, int]:
    """Hand her pathway the referral, starting it in the same call unless it runs
    (update-with-start: one round trip); a 202 when the pathway has it durably but has not
    yet confirmed."""
    recorded = await session.get(Referral, delivery.referral_id) is not None
    start = WithStartWorkflowOperation(
        WomanPathway.run,
        _start_input(delivery),
        id=workflow_id(delivery.woman_id),
        task_queue=settings.temporal_task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        # A referral already on record whose pathway has ended starts nothing again;
        # a new referral for a woman whose pathway has ended begins a new one.
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE
        if recorded
        else WorkflowIDReusePolicy.ALLOW_DUPLICATE,
    )
    command = ReceiveReferral(
        referral_id=delivery.referral_id,
        referral=delivery.form,
        actor=delivery.actor,
        fingerprint=delivery.fingerprint,
    )
    try:
        receipt: ReferralReceipt = await issue_with_start(
            temporal, settings, session, RECEIVE_REFERRAL, command, start
        )
    except WorkflowAlreadyStartedError:
        return _told(await _closed_receipt(session, delivery.referral_id), delivery), 201
    except Pending:
        if not await _started(start, temporal, workflow_id(delivery.woman_id)):
            raise
        # Started durably; the worker will record it. Say so rather than pretend it is done.
        waiting = ReferralReceipt(
            woman_id=delivery.woman_id, referral_id=delivery.referral_id, stage="received"
        )
        return _told(waiting, delivery), 202
    return _told(receipt, delivery), 201


async def _started(
    start: WithStartWorkflowOperation[Any, Any], temporal: Client, pathway: str
) -> bool:
    """Whether her pathway was started although the call gave up. Temporal answers the start
    only with the Update's acceptance, which waits for a worker: under load the start may be
    durable with no answer yet, so ask for her pathway before letting her claim go."""
    try:
        await start.workflow_handle()  # settled once the call has ended: never waits
        return True
    except (Exception, asyncio.CancelledError):
        pass
    # False when not found, or Temporal still not answering.
    return await is_running(temporal, pathway, STARTED_CHECK_SECONDS)


def _start_input(delivery: Delivery) -> PathwayInput:
    """Her pathway's start, with her area's rules as they are today (so it need not load them)."""
    state = PathwayState(
        woman_id=delivery.woman_id,
        referral_id=delivery.referral_id,
        area=delivery.record_area.code,
        nation=delivery.record_area.nation,
        edd=delivery.form.pregnancy.due_date,
        intake_fingerprint=delivery.fingerprint,
    )
    return PathwayInput(
        state=state,
        referral=delivery.form,
        referral_actor=delivery.actor,
        area_rules=with_closed_days(delivery.record_area, today_in_uk().year),
    )


def _told(receipt: ReferralReceipt, delivery: Delivery) -> ReferralReceipt:
    """What the referrer may know: from another area, only that a record exists."""
    if delivery.form.area != delivery.record_area.code:
        return ReferralReceipt(
            woman_id=None,
            referral_id=receipt.referral_id,
            stage="received",
            outcome=IntakeOutcome.HELD_ELSEWHERE.value,
            message=OUTCOME_WORDS[IntakeOutcome.HELD_ELSEWHERE],
        )
    outcome = IntakeOutcome(receipt.outcome)
    return receipt.model_copy(update={"message": OUTCOME_WORDS[outcome]})


def possible_receipt(referral_id: uuid.UUID) -> ReferralReceipt:
    outcome = IntakeOutcome.POSSIBLE_MATCH
    return ReferralReceipt(
        woman_id=None,
        referral_id=referral_id,
        stage="received",
        outcome=outcome.value,
        message=OUTCOME_WORDS[outcome],
    )


async def _queue(
    session: AsyncSession,
    form: ReferralForm,
    actor: Actor,
    ids: tuple[uuid.UUID, uuid.UUID],
    fp: str,
    found: matching.Match,
) -> None:
    """Hold the referral for her team's social workers to confirm or reject."""
    team = await organisations.receiving_team(session, form.area)
    if team is None:
        raise Invalid(f"no team receives referrals for area {form.area} yet")
    session.add(
        PossibleMatch(
            referral_id=ids[1],
            proposed_woman_id=ids[0],
            candidate_woman_id=found.woman_id,
            team_id=team.id,
            basis=found.basis,
            referral=form.model_dump(mode="json"),
            actor=actor.model_dump(mode="json"),
            fingerprint=fp,
        )
    )
    await session.flush()


async def _closed_receipt(session: AsyncSession, referral_id: uuid.UUID) -> ReferralReceipt:
    referral = await session.get(Referral, referral_id)
    if referral is None:
        raise Invalid("this Idempotency-Key was already used")
    return ReferralReceipt(woman_id=referral.woman_id, referral_id=referral.id, stage="closed")
