"""The worker's own HTTP port: /health for probes, /metrics for Prometheus.

The Temporal SDK publishes its metrics (workflow task latency, activity failures, slots, polls)
on a loopback port of its own; /metrics here serves them together with the process's figures,
behind the same token as the web app's.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator

import httpx
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from waymark.observability import metrics
from waymark.observability.probes import parts_up
from waymark.settings import Settings


def sdk_runtime() -> tuple[Runtime, str]:
    """A Temporal runtime publishing the SDK's metrics on a free loopback port, and its address."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{sock.getsockname()[1]}"
    config = PrometheusConfig(
        bind_address=address, counters_total_suffix=True, durations_as_seconds=True
    )
    return Runtime(telemetry=TelemetryConfig(metrics=config)), address


def worker_app(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    client: Client,
    sdk_metrics_address: str | None,
) -> Starlette:
    """/health (200, or 503 naming what is down) and /metrics."""
    registry = metrics.new_registry()

    async def health(_request: Request) -> Response:
        parts = await parts_up(sessions, client)
        return JSONResponse(parts, status_code=200 if set(parts.values()) == {"ok"} else 503)

    async def metrics_page(request: Request) -> Response:
        permitted = metrics.allowed(settings, request.headers.get("authorization"))
        if not permitted:
            return PlainTextResponse("", status_code=404 if permitted is None else 401)
        body = metrics.render(registry)
        if sdk_metrics_address is not None:
            async with httpx.AsyncClient(timeout=5) as http:
                sdk = await http.get(f"http://{sdk_metrics_address}/metrics")
            body += sdk.content
        return Response(body, media_type=metrics.CONTENT_TYPE)

    return Starlette(routes=[Route("/health", health), Route("/metrics", metrics_page)])


class _Server(uvicorn.Server):
    """Leaves SIGINT and SIGTERM to the worker, which stops this server itself."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def serving(app: Starlette, host: str, port: int) -> AsyncIterator[None]:
    """Serve the app while the block runs."""
    config = uvicorn.Config(
        app, host=host, port=port, log_config=None, access_log=False, lifespan="off"
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    try:
        yield
    finally:
        server.should_exit = True
        await task
