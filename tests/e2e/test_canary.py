"""Personal data sent through the API never reaches Temporal's storage in the clear, nor any
metric, span or log line."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from tests.helpers.referrals import referral_body
from waymark.demo import DEMO_PASSWORD
from waymark.observability.logs import JsonFormatter
from waymark.observability.tracing import temporal_interceptor, tracer_provider
from waymark.settings import Settings
from waymark.temporal.worker import build_worker

CANARY_NAME = "Zebedee-Canary-Quintrell"
CANARY_NHS = "4010232137"


async def test_a_canary_name_never_appears_in_the_temporal_database(
    dev_server: tuple[WorkflowEnvironment, Path],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    demo: None,
) -> None:
    env, db_file = dev_server
    async with _waymark(settings, sessions, env.client) as client:
        woman_id = await _refer_the_canary(client)
    await env.shutdown()  # flush the server's SQLite file (and its write-ahead log) to disk

    stored = b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))
    assert f"pathway-{woman_id}".encode() in stored  # the right file: her workflow is in it
    for secret in (CANARY_NAME, CANARY_NHS, "1 High Street", "07700 900123"):
        assert secret.encode() not in stored, f"{secret!r} is stored in the clear"
        assert secret.encode("utf-16-le") not in stored


async def test_a_canary_name_never_appears_in_metrics_traces_or_logs(
    dev_server: tuple[WorkflowEnvironment, Path],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    demo: None,
) -> None:
    env, _ = dev_server
    spans = InMemorySpanExporter()
    provider = tracer_provider(settings, "web", exporter=spans)
    traced = Client(
        env.client.service_client,
        namespace=env.client.namespace,
        data_converter=env.client.data_converter,
        interceptors=[temporal_interceptor(provider)],
    )
    with _captured_logs() as logs:
        async with _waymark(settings, sessions, traced, provider) as client:
            woman_id = await _refer_the_canary(client)
            metrics_text = (await client.get("/metrics")).text
        logging.getLogger("waymark.test").exception(
            "a failure", exc_info=ValueError(f"refused row for {CANARY_NAME}")
        )

    _assert_one_trace_from_request_to_activity(spans.get_finished_spans())
    exported = "\n".join(span.to_json() for span in spans.get_finished_spans())
    assert f"pathway-{woman_id}" in exported  # the right spans: her workflow is in them
    assert "/api/v1/referrals" in metrics_text
    assert "waymark_outbox_depth" in metrics_text
    assert '"route": "/api/v1/referrals"' in logs.getvalue()
    assert '"type": "ValueError"' in logs.getvalue()  # the failure is logged, by type
    for where, text in {
        "traces": exported,
        "metrics": metrics_text,
        "logs": logs.getvalue(),
    }.items():
        for secret in (CANARY_NAME, CANARY_NHS, "1 High Street", "07700 900123"):
            assert secret not in text, f"{secret!r} is in the {where}"


async def _refer_the_canary(client: httpx.AsyncClient) -> str:
    token = await client.post(
        "/api/v1/auth/token", data={"username": "mia.midwife", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    body = referral_body()
    body["woman"] = {**body["woman"], "family_name": CANARY_NAME, "nhs_number": CANARY_NHS}
    created = await client.post("/api/v1/referrals", json=body, headers=headers)
    assert created.status_code == 201, created.text
    woman_id = str(created.json()["woman_id"])
    woman = await client.get(f"/api/v1/women/{woman_id}", headers=headers)
    assert woman.json()["family_name"] == CANARY_NAME  # it went all the way through
    # A refused body that quotes her: the refusal must not carry her name anywhere but to her.
    bad = {**body, "woman": {**body["woman"], "date_of_birth": CANARY_NAME}}
    assert (await client.post("/api/v1/referrals", json=bad, headers=headers)).status_code == 422
    return woman_id


@asynccontextmanager
async def _waymark(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    temporal: Client,
    tracing: TracerProvider | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    """The app and a worker on `temporal` (its interceptors serve both); a client for the app."""
    app = create_app(settings, sessions=sessions, temporal=temporal, tracing=tracing)
    async with (
        build_worker(temporal, sessions, settings.temporal_task_queue),
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client,
    ):
        yield client


def _assert_one_trace_from_request_to_activity(spans: Sequence[ReadableSpan]) -> None:
    by_id = {span.context.span_id: span for span in spans}
    request = next(s for s in spans if s.name == "POST /api/v1/referrals")
    activity = next(s for s in spans if s.name == "RunActivity:record_referral")
    chain = [activity.name]
    current = activity
    while current.parent is not None and current.parent.span_id in by_id:
        current = by_id[current.parent.span_id]
        chain.append(current.name)
    assert current is request, f"the activity's span does not lead back to the request: {chain}"
    # Her pathway is started and her referral's Update sent in one call (update-with-start).
    assert "StartUpdateWithStartWorkflow:WomanPathway" in chain, chain


@contextmanager
def _captured_logs() -> Iterator[io.StringIO]:
    """Every log line of the block, formatted as the service writes them."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter("test"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield out
    finally:
        root.removeHandler(handler)
