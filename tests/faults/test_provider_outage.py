"""The notification provider (GOV.UK Notify, here a local stand-in speaking its API) down, then
back: messages are tried again with backoff; those that run out of tries become a task for a
person; the rest are sent once the provider is back, each exactly once."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, or_, select

from tests.delivery.conftest import add_notice
from tests.delivery.fakes import FakeNotify, NotifyServer
from tests.faults.checks import assert_all_agree
from tests.faults.processes import waymark_worker
from tests.faults.service import BY_EMAIL, Service, make_service, refer, running, sqlite_copy
from tests.faults.waiting import eventually
from tests.helpers.referrals import referral_body
from waymark.db.models import Delivery, Task

pytestmark = pytest.mark.faults

TRIES = 3
DOWN = [(500, "Exception")] * 1000
GROUP = 3


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with NotifyServer() as fake:
        fake.refusals = list(DOWN)  # down until the test brings it back
        yield fake


async def due_notice(service: Service, woman_id: uuid.UUID) -> uuid.UUID:
    """A message to her in the outbox, due now."""
    return await add_notice(service.sessions, woman_id, send_at=datetime.now(UTC))


async def deliveries(service: Service, notices: list[uuid.UUID]) -> list[Delivery]:
    async with service.sessions() as session:
        return list(await session.scalars(select(Delivery).where(Delivery.notice_id.in_(notices))))


async def failure_tasks(service: Service, notices: list[uuid.UUID]) -> int:
    """Open tasks, each with someone to do it (her worker, else her team), asking that these
    messages be passed on another way: one per delivery."""
    keys = [f"delivery:{row.id}:failed" for row in await deliveries(service, notices)]
    someone = or_(Task.assignee_user_id.is_not(None), Task.assignee_organisation_id.is_not(None))
    async with service.sessions() as session:
        found = await session.scalar(
            select(func.count()).where(
                Task.kind == "delivery_failed", Task.key.in_(keys), Task.status == "open", someone
            )
        )
    return int(found or 0)


async def test_a_provider_outage_sends_each_message_once_or_asks_a_person(
    notify: FakeNotify, seeded_sqlite: Path, tmp_path: Path
) -> None:
    settings = {
        "delivery": "notify",
        "notify_api_key": notify.api_key,
        "notify_base_url": notify.url,
        "notify_templates": json.dumps({"email": "template-email", "sms": "template-sms"}),
        "delivery_interval_seconds": "1",
        "delivery_retry_seconds": "1",
        "delivery_max_attempts": str(TRIES),
    }
    url = sqlite_copy(seeded_sqlite, tmp_path)
    async with running(make_service(tmp_path, url, **settings)) as service:
        worker = waymark_worker(service.env, service.root / "worker.log").start()
        client = await service.client()
        await service.ready(client, worker)
        try:
            async with service.api("mia.midwife", client) as midwife:
                body = referral_body(woman={**referral_body()["woman"], "contact": BY_EMAIL})
                woman_id = await refer(midwife, body)
            given_up = [await due_notice(service, woman_id) for _ in range(GROUP)]

            async def all_tries_failed() -> bool:
                return await failure_tasks(service, given_up) == GROUP

            await eventually("every try fails and a person is asked", all_tries_failed, 40)
            waiting = [await due_notice(service, woman_id) for _ in range(GROUP)]

            async def tried_once() -> bool:
                rows = await deliveries(service, waiting)
                return len(rows) == GROUP and all(row.attempts >= 1 for row in rows)

            await eventually("the later messages are tried while it is down", tried_once, 20)
            notify.refusals.clear()  # the provider is back

            async def sent() -> bool:
                rows = await deliveries(service, waiting)
                return all(row.status == "created" for row in rows)

            await eventually("the later messages are sent once it is back", sent, 30)
        finally:
            worker.stop()
        failed = await deliveries(service, given_up)
        assert {(row.status, row.attempts) for row in failed} == {("technical-failure", TRIES)}
        accepted = Counter(str(sent["reference"]).split(".")[0] for sent in notify.sent)
        assert all(times == 1 for times in accepted.values()), accepted  # one send per message
        assert {str(row.id) for row in await deliveries(service, waiting)} <= set(accepted)
        assert not {str(row.id) for row in failed} & set(accepted)
        await assert_all_agree(service)
