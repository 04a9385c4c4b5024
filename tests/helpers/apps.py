"""One app for each kind of settings in a test worker, bound to each test's own database,
Temporal client and settings.

A new FastAPI app works out every route's dependencies and models again the first time a
request passes it (a fifth of a second for Waymark's routes), and nearly every API and page test
made one. The tests that only need an app to talk to now share its routes: `api.app.bind` gives
it the test's settings, database and Temporal client, as `create_app` does for a new app, and
the test runs it through its lifespan as before. Settings that shape the app when it is built
(the codec route, the body limit, sign-in with OpenID Connect...) key the apps apart; only the
places each test has of its own (its database, state folder and task queue) may differ. A test
about the app's own making (its metrics, headers, health, tracing) still builds a new one.
"""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from api.app import bind, create_app
from waymark.settings import Settings

PER_TEST = {"database_url", "state_dir", "temporal_task_queue"}

# Spans of the shared apps go nowhere: a tracer provider that outlives any one test's lifespan.
TRACING = TracerProvider()

_apps: dict[str, FastAPI] = {}


def app_for(
    settings: Settings,
    *,
    sessions: async_sessionmaker[AsyncSession],
    temporal: Client | None = None,
) -> FastAPI:
    """The worker's app for settings of this kind, bound to this test's."""
    key = settings.model_dump_json(exclude=PER_TEST)
    app = _apps.get(key)
    if app is None:
        app = _apps[key] = create_app(
            settings, sessions=sessions, temporal=temporal, tracing=TRACING
        )
    else:
        bind(app, settings, sessions=sessions, temporal=temporal)
    return app
