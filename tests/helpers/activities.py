"""Builders for the referral activities: real demo actors and valid activity inputs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.common import Actor, Role
from forms.pathway import (
    DECISION_STAGE,
    RecordReferral,
    RecordScreening,
    ScreeningCommand,
    ScreeningDecision,
)
from forms.referral import ReferralForm
from tests.helpers.referrals import referral_body
from waymark.db.models import AuditEvent, Involvement, Referral, TimelineEvent, User, Woman

RECEIVED_AT = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
# The tables the referral activities write, in the order a reader checks them.
WRITTEN_TABLES: dict[str, type] = {
    "women": Woman,
    "referrals": Referral,
    "involvements": Involvement,
    "timeline_events": TimelineEvent,
    "audit_events": AuditEvent,
}


async def actor_for(
    sessions: async_sessionmaker[AsyncSession], username: str, request_id: str = "req-test"
) -> Actor:
    """The Actor for a demo user, with the ids the database gave them."""
    async with sessions() as session:
        user = await session.scalar(select(User).where(User.username == username))
    assert user is not None, f"no demo user {username}: seed the demo data first"
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        organisation_id=user.organisation_id,
        request_id=request_id,
    )


def make_referral_form(**overrides: Any) -> ReferralForm:
    """A valid referral with a fixed EDD; top-level keys replaced as in `referral_body`."""
    return ReferralForm.model_validate(
        referral_body(**({"pregnancy": {"edd": "2027-03-01"}} | overrides))
    )


def make_record_referral(actor: Actor, **overrides: Any) -> RecordReferral:
    """Input for `record_referral`; form fields go in `referral=make_referral_form(...)`."""
    fields: dict[str, Any] = {
        "woman_id": uuid.uuid4(),
        "referral_id": uuid.uuid4(),
        "referral": make_referral_form(),
        "actor": actor,
        "received_at": RECEIVED_AT,
    }
    return RecordReferral(**(fields | overrides))


def make_record_screening(
    referral: RecordReferral,
    actor: Actor,
    decision: ScreeningDecision = ScreeningDecision.PRE_BIRTH_ASSESSMENT,
    *,
    sequence: int = 1,
    reason: str = "Heroin use in pregnancy with a previous child removed",
) -> RecordScreening:
    """Input for `record_screening` on the given referral, moving her to the decision's stage."""
    return RecordScreening(
        woman_id=referral.woman_id,
        referral_id=referral.referral_id,
        sequence=sequence,
        command=ScreeningCommand(decision=decision, reason=reason, actor=actor),
        new_stage=DECISION_STAGE[decision],
        decided_at=RECEIVED_AT + timedelta(days=sequence),
    )


async def row_counts(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """How many rows each table the referral activities write holds."""
    async with sessions() as session:
        return {
            name: int(await session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in WRITTEN_TABLES.items()
        }
