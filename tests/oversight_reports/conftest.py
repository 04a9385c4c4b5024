"""Oversight report fixtures: the API's signed-in clients, and the real dev server (visibility)."""

from __future__ import annotations

from tests.api.conftest import app_client, demo, sign_in, worker
from tests.e2e.conftest import dev_server

__all__ = ["app_client", "demo", "dev_server", "sign_in", "worker"]
