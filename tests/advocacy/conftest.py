"""Advocacy fixtures: demo people, a time-skipping server of our own, the app and sign-in."""

from __future__ import annotations

from tests.api.conftest import app_client, demo, sign_in, worker
from tests.conftest import clock_env, clock_worker

__all__ = ["app_client", "clock_env", "clock_worker", "demo", "sign_in", "worker"]
