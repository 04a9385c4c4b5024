"""Traces: one tracer provider per process, exported by OTLP over HTTP when configured.

The Temporal SDK's TracingInterceptor carries the trace from the request's span through the
start or Update to the workflow and each activity, in Temporal headers (ids only). Exception
messages can quote personal data (a refused row, a bad value), so every span leaves this process
with exceptions reduced to their type.
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Status
from temporalio.contrib.opentelemetry import TracingInterceptor

from waymark.settings import Settings

TRACER_NAME = "waymark"
# What an exception event may keep: its type, never its message or stack (with its values).
KEPT_EXCEPTION_ATTRIBUTES = ("exception.type", "exception.escaped")


def tracer_provider(
    settings: Settings, service: str, *, exporter: SpanExporter | None = None
) -> TracerProvider:
    """A provider naming this process (waymark-web, waymark-worker), exporting by OTLP when
    configured, and to `exporter` when given (tests)."""
    provider = TracerProvider(resource=Resource.create({"service.name": f"waymark-{service}"}))
    if settings.otlp_endpoint:
        # Imported only when used: the exporter is the optional extra waymark[otlp].
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otlp_endpoint.rstrip("/") + "/v1/traces"
        otlp = OTLPSpanExporter(endpoint=endpoint)
        provider.add_span_processor(BatchSpanProcessor(Redacting(otlp)))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(Redacting(exporter)))
    return provider


def temporal_interceptor(provider: TracerProvider) -> TracingInterceptor:
    """The SDK's interceptor, on the client (start, Update) and the worker (workflow, activity)."""
    return TracingInterceptor(provider.get_tracer(TRACER_NAME))


class Redacting(SpanExporter):
    """Passes spans on with exception messages and stacks removed."""

    def __init__(self, inner: SpanExporter) -> None:
        self.inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self.inner.export([redacted(span) for span in spans])

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


def redacted(span: ReadableSpan) -> ReadableSpan:
    """The span with each exception event reduced to its type, and its status likewise."""
    events = [_event(event) for event in span.events]
    description = span.status.description
    status = Status(span.status.status_code, description.split(":", 1)[0] if description else None)
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=span.attributes,
        events=events,
        links=span.links,
        kind=span.kind,
        status=status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


def _event(event: Event) -> Event:
    if event.name != "exception":
        return event
    attributes = {
        k: v for k, v in (event.attributes or {}).items() if k in KEPT_EXCEPTION_ATTRIBUTES
    }
    return Event(event.name, attributes, event.timestamp)
