"""Structured logs: one JSON object a line, with the request and trace it belongs to.

A log line never carries personal data: messages name records by opaque id, and an exception is
written as its type and where it was raised, never its message (a database error can quote the
row it refused).
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

# Fields that callers may pass with `extra=`: each holds ids, route templates or numbers only.
EXTRA_FIELDS = ("request_id", "method", "route", "status", "duration_ms", "outcome")
HANDLER_NAME = "waymark-json"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, service, trace ids."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "service": self.service,
        }
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            entry["trace_id"] = format(context.trace_id, "032x")
            entry["span_id"] = format(context.span_id, "016x")
        entry.update({k: getattr(record, k) for k in EXTRA_FIELDS if hasattr(record, k)})
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = _error(record.exc_info[0], record.exc_info[2])
        return json.dumps(entry, default=str)


def _error(kind: type[BaseException], tb: Any) -> dict[str, Any]:
    """The exception's type and the frames it passed through, without its message."""
    frames = traceback.extract_tb(tb)
    return {
        "type": kind.__name__,
        "at": [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames[-8:]],
    }


def configure_logging(service: str, log_format: str = "json") -> None:
    """Send every logger's records to stderr, as JSON (or plain text); safe to call again."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    if any(handler.get_name() == HANDLER_NAME for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    if log_format == "json":
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
