"""Prometheus metrics: one registry per process, and who may read them.

Labels are route templates, outcomes, areas and kinds: never an id, a name or a raw address.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from datetime import date, datetime

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.operational import DUTY_KINDS, outbox_backlog, overdue_duties_by_area
from waymark.settings import Settings

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# A command's outcome by the status it was answered with.
OUTCOMES = {
    200: "done",
    201: "done",
    202: "pending",
    303: "done",
    409: "refused",
    503: "unavailable",
}


def new_registry() -> CollectorRegistry:
    """A registry with the process's own figures (memory, CPU, open files)."""
    registry = CollectorRegistry(auto_describe=True)
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    return registry


def allowed(settings: Settings, authorization: str | None) -> bool | None:
    """True to serve /metrics, False to refuse (401), None to act as if it were not there."""
    if settings.metrics_token is None:
        # Open on a developer's machine; in production only with a token.
        return None if settings.environment == "production" else True
    expected = f"Bearer {settings.metrics_token}".encode()
    return hmac.compare_digest((authorization or "").encode(), expected)


def outcome(status: int) -> str:
    """done, pending, refused, invalid, denied, unavailable or error."""
    if status in OUTCOMES:
        return OUTCOMES[status]
    if status in (400, 413, 422):
        return "invalid"
    if status in (401, 403, 404):
        return "denied"
    return "error" if status >= 500 else "other"


class HttpMetrics:
    """Requests by route template, their latency, and commands (changes) by outcome."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "waymark_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "waymark_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.commands = Counter(
            "waymark_commands",
            "Commands (requests that change something), by route template and outcome.",
            ["command", "outcome"],
            registry=registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)
        if method not in ("GET", "HEAD", "OPTIONS"):
            self.commands.labels(route, outcome(status)).inc()


class StoreMetrics:
    """What the read model says an operator must watch, read afresh at each scrape."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.outbox_depth = Gauge(
            "waymark_outbox_depth",
            "Notices due to be sent that no channel has taken yet.",
            registry=registry,
        )
        self.outbox_oldest = Gauge(
            "waymark_outbox_oldest_undelivered_age_seconds",
            "How long the oldest notice due has waited to be sent.",
            registry=registry,
        )
        self.overdue = Gauge(
            "waymark_overdue_duties",
            "Duties in the register overdue, by area and kind; kind=dropped: nobody chasing.",
            ["area", "kind"],
            registry=registry,
        )

    async def refresh(
        self, session: AsyncSession, *, now: datetime, today: date, areas: Iterable[str]
    ) -> None:
        backlog = await outbox_backlog(session, now=now)
        self.outbox_depth.set(backlog.depth)
        self.outbox_oldest.set(backlog.oldest_age_seconds)
        duties = await overdue_duties_by_area(session, now=now)
        # Every configured area reads 0 when nothing is overdue there, rather than vanishing.
        for area in areas:
            for kind in DUTY_KINDS:
                duties.setdefault((area, kind), 0)
        self.overdue.clear()
        for (area, kind), count in duties.items():
            self.overdue.labels(area, kind).set(count)


def render(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
