"""Duty register fixtures: the demo people, the app and its worker, and a server of its own
for tests that move virtual time."""

from __future__ import annotations

from tests.api.conftest import app_client, demo, sign_in, worker
from tests.workflows.conftest import clock_env, clock_worker

__all__ = ["app_client", "clock_env", "clock_worker", "demo", "sign_in", "worker"]
