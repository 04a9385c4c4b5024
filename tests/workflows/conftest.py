"""Workflow tests run the real workflows and activities on the time-skipping server.

Tests that move virtual time get a server of their own (`clock_env`, from tests/conftest.py),
because a shared server's clock only ever moves forward."""

from __future__ import annotations

from tests.api.conftest import demo, worker
from tests.conftest import clock_env, clock_worker

__all__ = ["clock_env", "clock_worker", "demo", "worker"]
