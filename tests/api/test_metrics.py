"""GET /metrics on the web app: requests by route template, commands by outcome, the outbox and
overdue duties from the read model, and who may read them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from api.app import create_app
from tests.api.conftest import SignIn
from tests.helpers.api import serve
from tests.helpers.referrals import referral_body
from tests.oversight_reports import rows
from waymark.db.models import Duty, Woman
from waymark.db.session import transaction
from waymark.settings import Settings

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
async def app_client(
    demo: None,
    worker: Worker,
    temporal_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> AsyncIterator[httpx.AsyncClient]:
    """A new app, not the tests' shared one (tests/helpers/apps.py): each app counts its own
    requests, so the counts here are this test's alone."""
    async with serve(
        create_app(settings, sessions=sessions, temporal=temporal_env.client)
    ) as client:
        yield client


def samples(text: str) -> Samples:
    """Every sample as (name, labels) -> value."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def test_requests_are_counted_by_route_template_and_commands_by_outcome(
    app_client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    mia = await sign_in("mia.midwife")
    stranger = uuid.uuid4()
    assert (await mia.get(f"/api/v1/women/{stranger}")).status_code == 404
    created = await mia.post("/api/v1/referrals", json=referral_body())
    assert created.status_code == 201, created.text
    refused = await mia.post("/api/v1/referrals", json=referral_body(area="atlantis"))
    assert refused.status_code == 422, refused.text

    response = await app_client.get("/metrics")
    assert response.status_code == 200
    assert str(stranger) not in response.text  # the template, never the address asked for
    found = samples(response.text)
    woman = {"method": "GET", "route": "/api/v1/women/{woman_id}", "status": "404"}
    assert value(found, "waymark_http_requests_total", **woman) == 1
    duration = {"method": "GET", "route": "/api/v1/women/{woman_id}"}
    assert value(found, "waymark_http_request_duration_seconds_count", **duration) == 1
    referrals = "/api/v1/referrals"
    assert value(found, "waymark_commands_total", command=referrals, outcome="done") == 1
    assert value(found, "waymark_commands_total", command=referrals, outcome="invalid") == 1


async def test_the_outbox_backlog_and_overdue_duties_by_area_are_read_from_the_database(
    app_client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> None:
    now = datetime.now(UTC)
    async with transaction(sessions) as session:
        her = await rows.woman(session)
        meeting = rows.meeting(her, now + timedelta(days=10))
        session.add(meeting)
        await session.flush()
        session.add(rows.notice(meeting, "woman", "meeting_notice", now - timedelta(hours=2)))
        session.add(rows.notice(meeting, "woman", "meeting_reminder", now + timedelta(days=9)))
        for name, late, chased in (("a", 1, True), ("b", 9, False), ("ahead", -3, False)):
            session.add(_duty(her, name, now - timedelta(days=late), chased, now))

    found = samples((await app_client.get("/metrics")).text)
    assert value(found, "waymark_outbox_depth") == 1  # the reminder is not due yet
    assert 7200 <= value(found, "waymark_outbox_oldest_undelivered_age_seconds") < 7300
    northmoor = {"area": "northmoor"}
    assert value(found, "waymark_overdue_duties", kind="contact", **northmoor) == 2
    assert value(found, "waymark_overdue_duties", kind="dropped", **northmoor) == 1
    glenbrae = (
        "waymark_overdue_duties",
        frozenset({"area": "glenbrae", "kind": "dropped"}.items()),
    )
    assert found[glenbrae] == 0  # every area is reported, 0 when nothing is overdue


def _duty(her: Woman, name: str, due: datetime, chased: bool, now: datetime) -> Duty:
    """A contact duty owed to her; `chased`: its escalation's next step is still ahead."""
    return Duty(
        key=f"test:{her.id}:{name}",
        woman_id=her.id,
        area_code=her.area_code,
        kind="contact",
        label=name,
        owed_by_organisation_id=her.team_id,
        opened_at=due - timedelta(days=7),
        due_at=due,
        status="open",
        escalation_level=1 if chased else 0,
        next_escalation_at=now + timedelta(days=1) if chased else None,
    )


@pytest.mark.parametrize(
    ("environment", "token", "sent", "status"),
    [
        ("development", None, None, 200),
        ("production", None, None, 404),
        ("production", "s3cret-metrics", None, 401),
        ("production", "s3cret-metrics", "Bearer wrong", 401),
        ("production", "s3cret-metrics", "Bearer s3cret-metrics", 200),
    ],
)
async def test_metrics_are_open_only_in_development_and_otherwise_need_the_token(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    environment: str,
    token: str | None,
    sent: str | None,
    status: int,
) -> None:
    configured = settings.model_copy(
        update={"environment": environment, "metrics_token": token, "secret_key": "k" * 64}
    )
    app = create_app(configured, sessions=sessions, temporal=object())  # type: ignore[arg-type]
    headers = {"Authorization": sent} if sent else {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        response = await client.get("/metrics", headers=headers)
    assert response.status_code == status
    assert ("waymark_outbox_depth" in response.text) == (status == 200)
