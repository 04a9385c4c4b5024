"""GET /health: is the database reachable, is Temporal reachable."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from waymark.observability.probes import parts_up

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    """200 when every part is up; 503 naming each part that is down."""
    parts = await parts_up(request.app.state.sessions, request.app.state.temporal)
    status = 200 if all(v == "ok" for v in parts.values()) else 503
    return JSONResponse(parts, status_code=status)
