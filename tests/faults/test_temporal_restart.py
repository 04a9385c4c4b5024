"""The Temporal dev server killed with SIGKILL, then started again on the same file: a timer due
during the outage fires after the restart (the dispatcher's, which sends a notice that fell due
meanwhile); commands sent during the outage are answered 503 and change nothing; an Update sent
again afterwards is applied once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from temporalio.client import Client

from tests.delivery.conftest import add_notice
from tests.faults.checks import assert_all_agree
from tests.faults.processes import waymark_worker
from tests.faults.service import BY_EMAIL, Service, refer
from tests.faults.waiting import eventually
from tests.helpers.referrals import referral_body
from tests.helpers.snapshot import changed, snapshot
from waymark.db.models import Notice, TimelineEvent, Woman
from workflows.delivery import DISPATCHER_ID

pytestmark = pytest.mark.faults

NO_FURTHER_ACTION = {"decision": "no_further_action", "reason": "Needs met by universal services"}
OUTAGE_SECONDS = 8


async def count(service: Service, *where: Any) -> int:
    async with service.sessions() as session:
        return int(await session.scalar(select(func.count()).where(*where)) or 0)


@pytest.mark.settings(delivery_interval_seconds=2)
async def test_the_temporal_server_killed_and_restarted_loses_nothing(
    sqlite_service: Service,
) -> None:
    service = sqlite_service
    worker = waymark_worker(service.env, service.root / "worker.log").start()
    client = await service.client()
    await service.ready(client, worker)
    try:
        async with (
            service.api("mia.midwife", client) as midwife,
            service.api("sam.social", client) as social_worker,
        ):
            body = referral_body(woman={**referral_body()["woman"], "contact": BY_EMAIL})
            woman_id = await refer(midwife, body)
            notice = await add_notice(
                service.sessions, woman_id, send_at=datetime.now(UTC) + timedelta(seconds=3)
            )

            await between_rounds(client)
            killed_at = datetime.now(UTC)
            service.temporal.kill()
            before = await snapshot(service.sessions)
            women = await count(service, Woman.id.is_not(None))
            during = [
                await social_worker.post(
                    f"/api/v1/women/{woman_id}/screening", json=NO_FURTHER_ACTION
                ),
                await midwife.post("/api/v1/referrals", json=referral_body()),
            ]
            assert [answer.status_code for answer in during] == [503, 503]
            assert changed(before, await snapshot(service.sessions)) == []
            await asyncio.sleep(max(0.0, OUTAGE_SECONDS - elapsed(killed_at)))

            restarted_at = datetime.now(UTC)
            service.temporal.start()

            async def sent() -> bool:
                return await count(service, Notice.id == notice, Notice.status != "pending") == 1

            await eventually("the notice due during the outage is sent", sent, 30)
            await assert_a_timer_fired_after_the_restart(client, killed_at, restarted_at)

            again = await social_worker.post(
                f"/api/v1/women/{woman_id}/screening", json=NO_FURTHER_ACTION
            )
            assert again.status_code == 200, again.text
            once_more = await social_worker.post(
                f"/api/v1/women/{woman_id}/screening", json=NO_FURTHER_ACTION
            )
            assert once_more.status_code == 409  # her pathway has closed; nothing is done twice
            screenings = TimelineEvent.kind == "screening_decision"
            assert await count(service, screenings, TimelineEvent.woman_id == woman_id) == 1
            # The referral refused during the outage never started a pathway afterwards.
            assert await count(service, Woman.id.is_not(None)) == women
        await assert_all_agree(service)
    finally:
        worker.stop()


async def between_rounds(client: Client) -> None:
    """Wait until the dispatcher waits on its timer, no round in flight: a round that finishes
    while the server is down cannot report back, and is retried only after its heartbeat
    timeout (2 minutes; docs/reliability.md), longer than this test should take."""
    handle = client.get_workflow_handle(DISPATCHER_ID)

    async def waiting() -> bool:
        described = await handle.describe()
        if described.raw_description.pending_activities:
            return False
        history = await handle.fetch_history()
        last = history.events[-1]
        return last.HasField("timer_started_event_attributes") and (
            datetime.now(UTC) - last.event_time.ToDatetime(UTC) < timedelta(seconds=1)
        )

    await eventually("the dispatcher waits between rounds", waiting, 20)


def elapsed(since: datetime) -> float:
    return (datetime.now(UTC) - since).total_seconds()


async def assert_a_timer_fired_after_the_restart(
    client: Client, killed_at: datetime, restarted_at: datetime
) -> None:
    """In the dispatcher's history: a timer started before the kill (due during the outage),
    fired once the server was started again."""
    history = await client.get_workflow_handle(DISPATCHER_ID).fetch_history()
    started = {
        event.event_id: event.event_time.ToDatetime(UTC)
        for event in history.events
        if event.HasField("timer_started_event_attributes")
    }
    fired = [
        (started.get(event.timer_fired_event_attributes.started_event_id), event.event_time)
        for event in history.events
        if event.HasField("timer_fired_event_attributes")
    ]
    assert any(
        began is not None and began < killed_at and at.ToDatetime(UTC) >= restarted_at
        for began, at in fired
    ), f"no timer ran across the outage: {fired}"
