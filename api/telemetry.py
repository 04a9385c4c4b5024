"""Watching the web app: a span, a log line and metrics for every request, and GET /metrics.

Everything is labelled by the route's template (`/api/v1/women/{woman_id}`), never the address
asked for, so no id, name or query string becomes a label, an attribute or a log field.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from fastapi import APIRouter, FastAPI, Request, Response
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from prometheus_client import CollectorRegistry
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from waymark.areas import load_areas
from waymark.db.session import read_transaction
from waymark.localtime import today_in_uk
from waymark.observability import metrics
from waymark.observability.tracing import TRACER_NAME, tracer_provider
from waymark.settings import Settings

log = logging.getLogger("waymark.requests")
router = APIRouter(tags=["operations"])
UNMATCHED = "unmatched"


def install_telemetry(app: FastAPI, settings: Settings, provider: TracerProvider | None) -> None:
    """Metrics and traces for this app; call last, so that its middleware sees every answer."""
    registry = metrics.new_registry()
    app.state.metrics_registry = registry
    app.state.store_metrics = metrics.StoreMetrics(registry)
    app.state.tracer_provider = provider or tracer_provider(settings, "web")
    app.include_router(router)
    app.add_middleware(
        RequestTelemetry,
        http=metrics.HttpMetrics(registry),
        tracer=app.state.tracer_provider.get_tracer(TRACER_NAME),
    )


@router.get("/metrics", include_in_schema=False)
async def metrics_endpoint(request: Request) -> Response:
    """Prometheus metrics; with WAYMARK_METRICS_TOKEN set, only for that bearer token."""
    settings: Settings = request.app.state.settings
    permitted = metrics.allowed(settings, request.headers.get("authorization"))
    if not permitted:
        # Plain answers, not the pages' sign-in redirect: the reader is a scraper, not a person.
        return Response(status_code=404 if permitted is None else 401)
    async with read_transaction(request.app.state.sessions) as session:
        await request.app.state.store_metrics.refresh(
            session,
            now=datetime.now(UTC),
            today=today_in_uk(),
            areas=load_areas(settings.areas_dir),
        )
    registry: CollectorRegistry = request.app.state.metrics_registry
    return Response(metrics.render(registry), media_type=metrics.CONTENT_TYPE)


def route_template(scope: Scope) -> str:
    """The matched route's path template, or "unmatched" (never the raw path)."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


class RequestTelemetry:
    """One server span, one log line and the request metrics for each HTTP request."""

    def __init__(self, app: ASGIApp, http: metrics.HttpMetrics, tracer: Tracer) -> None:
        self.app = app
        self.http = http
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        status = 500
        started = time.perf_counter()

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with self.tracer.start_as_current_span(
            f"HTTP {method}", kind=SpanKind.SERVER, record_exception=False
        ) as span:
            try:
                await self.app(scope, receive, capture)
            finally:
                route = route_template(scope)
                span.update_name(f"{method} {route}")
                span.set_attributes(
                    {
                        "http.request.method": method,
                        "http.route": route,
                        "http.response.status_code": status,
                    }
                )
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
                seconds = time.perf_counter() - started
                self.http.observe(method, route, status, seconds)
                _log_request(scope, method, route, status, seconds)


def _log_request(scope: Scope, method: str, route: str, status: int, seconds: float) -> None:
    request_id = scope.get("state", {}).get("request_id")
    log.info(
        "%s %s %s",
        method,
        route,
        status,
        extra={
            "request_id": request_id,
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
        },
    )
