"""Helpers for API tests: making referrals, finding people, reading the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.helpers.referrals import referral_body
from waymark.db.models import AuditEvent, User

Sessions = async_sessionmaker[AsyncSession]

# Nothing listens on port 1; a database in a directory that does not exist cannot be opened.
UNREACHABLE_POSTGRES_URL = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def unreachable_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'no-such-directory' / 'waymark.db'}"


@asynccontextmanager
async def serve(
    app: FastAPI, *, raise_app_exceptions: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    """A client for an app built by the test, run through its lifespan.

    raise_app_exceptions=False shows the 500 response a real client would get.
    """
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield client


def glenbrae_referral_body(**overrides: Any) -> dict[str, Any]:
    """A valid referral for the Scottish demo area, about a woman with her own name."""
    body = referral_body(area="glenbrae")
    body["woman"] = {
        **body["woman"],
        "given_name": "Morag",
        "family_name": "Glenexample",
        "preferred_name": None,
        "address": {"line1": "2 Kirk Wynd", "town": "Glenbrae", "postcode": "G12 8QQ"},
    }
    body["referrer"] = {"practitioner_name": "Ewan Stewart", "practitioner_role": "Midwife"}
    body.update(overrides)
    return body


async def make_referral(client: httpx.AsyncClient, body: dict[str, Any] | None = None) -> str:
    """Refer a woman and return her id, once her pathway has recorded the referral."""
    response = await client.post("/api/v1/referrals", json=body or referral_body())
    assert response.status_code == 201, response.text
    woman_id: str = response.json()["woman_id"]
    return woman_id


async def user_id(sessions: Sessions, username: str) -> uuid.UUID:
    async with sessions() as session:
        found = await session.scalar(select(User.id).where(User.username == username))
    assert found is not None, username
    return found


async def audit_rows(sessions: Sessions, **where: Any) -> list[AuditEvent]:
    """Audit rows matching every column=value given, oldest first."""
    query = select(AuditEvent).order_by(AuditEvent.seq)
    for column, value in where.items():
        query = query.where(getattr(AuditEvent, column) == value)
    async with sessions() as session:
        return list(await session.scalars(query))


async def audit_of(sessions: Sessions, response: httpx.Response) -> list[AuditEvent]:
    """The audit rows written by the request behind this response (matched by request id)."""
    return await audit_rows(sessions, request_id=response.headers["x-request-id"])
