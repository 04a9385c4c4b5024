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
        if sessions is None:
            engine = make_engine(settings.sqlalchemy_url, pool_size=settings.database_pool_size)
            app.state.sessions = make_sessionmaker(engine)
        else:
            app.state.sessions = sessions
        # Lazy: the app starts (and /health says so) even while Temporal is down.
        app.state.temporal = temporal or await connect(
            settings, lazy=True, interceptors=[temporal_interceptor(app.state.tracer_provider)]
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
    app.state.settings = settings
    app.state.codec = codec_from_settings(settings)
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
