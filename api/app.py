"""The web application: the JSON API now, the pages later, one set of services behind both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from api import (
    advocates,
    audit,
    auth,
    birth,
    calendar_feed,
    clocks,
    codec,
    compliance,
    conferences,
    contact_triage,
    duties,
    health,
    ledger,
    meetings,
    merging,
    notify,
    pages,
    pathway,
    possible_matches,
    referrals,
    reopen,
    search,
    support,
    transfers,
    women,
)
from api.deps import json_bodies
from api.errors import install_error_handlers
from api.middleware import BodyLimit, RequestContext
from api.telemetry import install_telemetry
from waymark.db.session import make_engine, make_sessionmaker
from waymark.observability.logs import configure_logging
from waymark.observability.tracing import temporal_interceptor
from waymark.settings import Settings, get_settings
from waymark.temporal.client import codec_from_settings, connect


def create_app(
    settings: Settings | None = None,
    *,
    sessions: async_sessionmaker[AsyncSession] | None = None,
    temporal: Client | None = None,
    tracing: TracerProvider | None = None,
) -> FastAPI:
    """Build the app; tests pass their own database, Temporal client and tracer provider."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = None
        app.state.sessions = app.state.given_sessions
        if app.state.sessions is None:
            engine = make_engine(
                app.state.settings.sqlalchemy_url, pool_size=app.state.settings.database_pool_size
            )
            app.state.sessions = make_sessionmaker(engine)
        # Lazy: the app starts (and /health says so) even while Temporal is down.
        app.state.temporal = app.state.given_temporal or await connect(
            app.state.settings,
            lazy=True,
            interceptors=[temporal_interceptor(app.state.tracer_provider)],
        )
        yield
        if engine is not None:
            await engine.dispose()
        if tracing is None:  # ours: send what is left
            app.state.tracer_provider.shutdown()

    configure_logging("web", settings.log_format)
    app = FastAPI(
        title="Waymark",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(json_bodies)],
    )
    bind(app, settings, sessions=sessions, temporal=temporal)
    install_error_handlers(app)
    for module in (
        health,
        auth,
        referrals,
        merging,
        possible_matches,
        search,
        women,
        pathway,
        meetings,
        conferences,
        clocks,
        advocates,
        birth,
        reopen,
        support,
        notify,
        contact_triage,
        calendar_feed,
        audit,
        compliance,
        ledger,
        duties,
        transfers,
    ):
        app.include_router(module.router)
    app.include_router(duties.me)  # GET /api/v1/me/duties: what the signed-in person owes
    if settings.serve_codec:
        app.include_router(codec.router)
    pages.install(app)  # the pages: their routes, /static, and error pages in HTML
    codec.allow_temporal_ui(app, settings)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContext)
    install_telemetry(app, settings, tracing)  # last: outermost, it sees every answer
    return app


def bind(
    app: FastAPI,
    settings: Settings,
    *,
    sessions: async_sessionmaker[AsyncSession] | None = None,
    temporal: Client | None = None,
) -> None:
    """What the app serves from: its settings, and the database and Temporal client given
    (when None, its lifespan opens its own from the settings). The tests bind one app's routes
    to each test's database and server, rather than build them all again for every test."""
    app.state.settings = settings
    app.state.codec = codec_from_settings(settings)
    app.state.given_sessions = sessions
    app.state.given_temporal = temporal
