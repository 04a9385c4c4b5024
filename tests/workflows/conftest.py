"""Workflow tests run the real workflow and activities on the time-skipping server."""

from tests.api.conftest import demo, worker

__all__ = ["demo", "worker"]
