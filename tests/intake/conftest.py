"""Intake tests use the API fixtures: demo people, a worker on the test server, the app."""

from tests.api.conftest import app_client, demo, sign_in, worker

__all__ = ["app_client", "demo", "sign_in", "worker"]
