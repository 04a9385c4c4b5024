"""GET /health: is the database reachable, is Temporal reachable."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

router = APIRouter(tags=["health"])
log = logging.getLogger("waymark.health")

CHECK_TIMEOUT_SECONDS = 3.0


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    """200 when every part is up; 503 naming each part that is down."""
    parts = {
        "database": await _check(_database(request), "database"),
        "temporal": await _check(_temporal(request), "temporal"),
    }
    status = 200 if all(v == "ok" for v in parts.values()) else 503
    return JSONResponse(parts, status_code=status)


async def _check(probe: Coroutine[Any, Any, None], name: str) -> str:
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # any failure means the part is down; say which, log why
        log.warning("health check of %s failed: %s", name, type(exc).__name__)
        return "down"
    return "ok"


async def _database(request: Request) -> None:
    async with request.app.state.sessions() as session:
        await session.execute(text("SELECT 1"))


async def _temporal(request: Request) -> None:
    client = request.app.state.temporal
    if not await client.service_client.check_health():
        raise ConnectionError("Temporal reports it is not serving")
