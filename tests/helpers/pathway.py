"""Builders for starting the pathway workflow directly (no API in between)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowHandle

from forms.common import Actor, Nation, Role
from forms.pathway import ConfirmIntake, PathwayInput, PathwayState
from forms.referral import ReferralForm
from tests.helpers.referrals import referral_body
from waymark.db.models import User
from workflows.pathway import WomanPathway, workflow_id


async def actor_for(sessions: async_sessionmaker[AsyncSession], username: str) -> Actor:
    async with sessions() as session:
        user = await session.scalar(select(User).where(User.username == username))
    assert user is not None
    return Actor(user_id=user.id, role=Role(user.role), organisation_id=user.organisation_id)


def pathway_input(
    actor: Actor, form_fields: dict[str, Any] | None = None, **state: Any
) -> PathwayInput:
    form = ReferralForm.model_validate(referral_body(**(form_fields or {})))
    fields: dict[str, Any] = {
        "woman_id": uuid.uuid4(),
        "referral_id": uuid.uuid4(),
        "area": "northmoor",
        "nation": Nation.ENGLAND,
        "edd": form.pregnancy.due_date,
        "intake_fingerprint": hashlib.sha256(form.model_dump_json().encode()).hexdigest(),
    }
    fields.update(state)
    return PathwayInput(state=PathwayState(**fields), referral=form, referral_actor=actor)


async def start_pathway(
    client: Client, task_queue: str, inp: PathwayInput, *, confirm: bool = True
) -> WorkflowHandle[WomanPathway, Any]:
    """Start her pathway and (by default) wait until the referral is on record, as the API does."""
    handle = await client.start_workflow(
        WomanPathway.run, inp, id=workflow_id(inp.state.woman_id), task_queue=task_queue
    )
    if confirm:
        await handle.execute_update(
            WomanPathway.confirm_intake,
            ConfirmIntake(intake_fingerprint=inp.state.intake_fingerprint),
        )
    return handle
