"""Driving a pathway to a birth and a removal, for workflow tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from forms.birth import BabyAtBirth, Exposure, LegalBasis, Placement, RecordBirth, RecordPlacement
from forms.common import Actor
from workflows.pathway import WomanPathway


async def born(handle: Any, actor: Actor, now: datetime, babies: int = 1) -> list[Any]:
    """Record a birth an hour ago; returns the baby records."""
    return list(await handle.execute_update(WomanPathway.record_birth, RecordBirth(
        born_at=now - timedelta(hours=1), gestation_weeks=38,
        babies=[BabyAtBirth() for _ in range(babies)], exposure=Exposure.OPIOIDS_OR_POLYDRUG,
        actor=actor)))


async def removed(handle: Any, actor: Actor, baby_id: Any,
                  basis: LegalBasis = LegalBasis.INTERIM_CARE_ORDER) -> Any:
    """Record the baby's placement in care."""
    return await handle.execute_update(WomanPathway.record_placement, RecordPlacement(
        baby_id=baby_id, placement=Placement.CARE, legal_basis=basis,
        reason="Order made by the family court", actor=actor))
