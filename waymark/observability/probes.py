"""Is each part up? The checks behind /health on the web app and on the worker."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from waymark.db.session import read_transaction

log = logging.getLogger("waymark.health")

CHECK_TIMEOUT_SECONDS = 3.0


async def parts_up(sessions: async_sessionmaker[AsyncSession], temporal: Client) -> dict[str, str]:
    """{"database": "ok" | "down", "temporal": "ok" | "down"}."""
    return {
        "database": await _check(_database(sessions), "database"),
        "temporal": await _check(_temporal(temporal), "temporal"),
    }


async def _check(probe: Coroutine[Any, Any, None], name: str) -> str:
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # any failure means the part is down; say which, log why
        log.warning("health check of %s failed: %s", name, type(exc).__name__)
        return "down"
    return "ok"


async def _database(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with read_transaction(sessions) as session:  # no write lock: never waits for writers
        await session.execute(text("SELECT 1"))


async def _temporal(client: Client) -> None:
    if not await client.service_client.check_health():
        raise ConnectionError("Temporal reports it is not serving")
