"""Spans leave the process by OTLP when a collector is configured, with exceptions reduced to
their type (a message can quote personal data)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from waymark.observability.tracing import TRACER_NAME, tracer_provider
from waymark.settings import Settings

SECRET = "Zebedee-Canary-Quintrell"


class _Collector(BaseHTTPRequestHandler):
    """Stands in for an OpenTelemetry collector: keeps what is posted to /v1/traces."""

    received: list[tuple[str, bytes]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    received: list[tuple[str, bytes]] = []
    handler = type("Handler", (_Collector,), {"received": received})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    thread.join()


def test_spans_go_to_the_configured_collector_without_exception_messages(
    collector: tuple[str, list[tuple[str, bytes]]], tmp_path: Path
) -> None:
    endpoint, received = collector
    settings = Settings(environment="test", state_dir=tmp_path, otlp_endpoint=endpoint)
    provider = tracer_provider(settings, "worker")
    with provider.get_tracer(TRACER_NAME).start_as_current_span(
        "RunActivity:record_referral"
    ) as span:
        span.record_exception(ValueError(f"duplicate key for {SECRET}"))
    provider.shutdown()  # flushes the batch

    assert [path for path, _ in received] == ["/v1/traces"]
    request = ExportTraceServiceRequest.FromString(received[0][1])
    exported = [s for rs in request.resource_spans for ss in rs.scope_spans for s in ss.spans]
    assert [s.name for s in exported] == ["RunActivity:record_referral"]
    service = request.resource_spans[0].resource.attributes
    assert any(
        a.key == "service.name" and a.value.string_value == "waymark-worker" for a in service
    )
    (event,) = exported[0].events
    kept = {a.key: a.value for a in event.attributes}
    assert set(kept) == {"exception.type", "exception.escaped"}
    assert kept["exception.type"].string_value == "ValueError"
    assert SECRET.encode() not in received[0][1]
