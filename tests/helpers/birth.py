"""Driving a pathway to a birth and a removal, for workflow tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from forms.birth import BabyAtBirth, Exposure, LegalBasis, Placement, RecordBirth, RecordPlacement
from forms.common import Actor
from workflows.pathway import WomanPathway


async def born(handle: Any, actor: Actor, now: datetime, babies: int = 1) -> list[Any]:
    """Record a birth an hour ago; returns the baby records."""
    return list(
        await handle.execute_update(
            WomanPathway.record_birth,
            RecordBirth(
                born_at=now - timedelta(hours=1),
                gestation_weeks=38,
                babies=[BabyAtBirth() for _ in range(babies)],
                exposure=Exposure.OPIOIDS_OR_POLYDRUG,
                actor=actor,
            ),
        )
    )


async def removed(
    handle: Any, actor: Actor, baby_id: Any, basis: LegalBasis = LegalBasis.INTERIM_CARE_ORDER
) -> Any:
    """Record the baby's placement in care."""
    return await handle.execute_update(
        WomanPathway.record_placement,
        RecordPlacement(
            baby_id=baby_id,
            placement=Placement.CARE,
            legal_basis=basis,
            reason="Order made by the family court",
            actor=actor,
        ),
    )


async def advocate_accepts(env: Any, sessions: Any, woman_id: Any) -> None:
    """The advocate offered to her after removal accepts, as the advocate's page would."""
    from sqlalchemy import select

    from forms.advocacy import AdvocateReply, RespondCommand, allocation_workflow_id
    from forms.common import Role
    from tests.helpers.planning import eventually
    from waymark.db.models import AdvocateAllocation, User

    async def offered() -> Any:
        async with sessions() as session:
            return await session.scalar(
                select(AdvocateAllocation).where(
                    AdvocateAllocation.woman_id == woman_id, AdvocateAllocation.status == "offered"
                )
            )

    async def has_offer() -> bool:
        return await offered() is not None

    await eventually(has_offer)
    allocation = await offered()
    async with sessions() as session:
        advocate = await session.get(User, allocation.advocate_user_id)
    actor = Actor(user_id=advocate.id, role=Role.ADVOCATE, organisation_id=advocate.organisation_id)
    handle = env.client.get_workflow_handle(allocation_workflow_id(woman_id))
    await handle.execute_update(
        "respond",
        RespondCommand(allocation_id=allocation.id, reply=AdvocateReply.ACCEPT, actor=actor),
    )
