"""A worker whose clock runs days ahead of, or behind, the Temporal server's: the deadlines it
writes follow the workflow's time, so the same referral makes the same deadlines either way.
(Rows it stamps with its own clock, such as audit rows, show the skew: that is how the test
knows the clock really was moved.)"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from rules.uktime import uk_date
from tests.faults.checks import assert_all_agree
from tests.faults.processes import fault_worker
from tests.faults.service import Service, refer
from waymark.db.models import AuditEvent, Deadline, Referral, TimelineEvent

pytestmark = pytest.mark.faults

SKEW = timedelta(days=3)
CLOSE = timedelta(minutes=2)


async def refer_with_skewed_worker(service: Service, skew: timedelta) -> uuid.UUID:
    """Refer a woman and decide on a strategy discussion, which starts her statutory clocks (the
    web app on the true clock), while only a skewed worker runs."""
    worker = fault_worker(
        service.env,
        service.root / f"worker{skew.days:+d}.log",
        "--skew-seconds",
        str(skew.total_seconds()),
    ).start()
    client = await service.client()
    try:
        await service.ready(client, worker)
        async with (
            service.api("mia.midwife", client) as midwife,
            service.api("sam.social", client) as social_worker,
        ):
            woman_id = await refer(midwife)
            decided = await social_worker.post(
                f"/api/v1/women/{woman_id}/screening",
                json={"decision": "strategy_discussion", "reason": "Concerns about her safety"},
            )
            assert decided.status_code == 200, decided.text
            return woman_id
    finally:
        worker.kill()  # the next worker must not share the queue with this one


async def facts(service: Service, woman_id: uuid.UUID) -> dict[str, object]:
    async with service.sessions() as session:
        referral = await session.scalar(select(Referral).where(Referral.woman_id == woman_id))
        received = await session.scalar(
            select(TimelineEvent.occurred_at).where(
                TimelineEvent.woman_id == woman_id, TimelineEvent.kind == "referral_received"
            )
        )
        deadlines = await session.execute(
            select(Deadline.deadline, Deadline.due).where(Deadline.woman_id == woman_id)
        )
        audited = await session.scalar(
            select(AuditEvent.occurred_at).where(
                AuditEvent.record_id == str(woman_id), AuditEvent.action == "create_referral"
            )
        )
    assert referral is not None
    return {
        "received_at": referral.received_at,
        "timeline_at": received,
        "deadlines": sorted(deadlines.all()),
        "worker_clock": audited,
    }


async def test_deadlines_follow_workflow_time_whatever_the_workers_clock(
    sqlite_service: Service,
) -> None:
    service = sqlite_service
    now = datetime.now(UTC)
    ahead = await facts(service, await refer_with_skewed_worker(service, SKEW))
    behind = await facts(service, await refer_with_skewed_worker(service, -SKEW))
    for seen, skew in ((ahead, SKEW), (behind, -SKEW)):
        assert abs(seen["worker_clock"] - (now + skew)) < CLOSE  # type: ignore[operator]
        assert abs(seen["received_at"] - now) < CLOSE  # type: ignore[operator]
        assert seen["timeline_at"] == seen["received_at"]
    assert uk_date(ahead["received_at"]) == uk_date(behind["received_at"])  # type: ignore[arg-type]
    assert ahead["deadlines"], "her referral plans deadlines"
    assert ahead["deadlines"] == behind["deadlines"]
    await assert_all_agree(service)
