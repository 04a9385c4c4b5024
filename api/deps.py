"""Request dependencies: the transaction, the signed-in person, role checks."""

from __future__ import annotations

import email.message
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request, params
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from forms.common import Role
from waymark import audit
from waymark.db.session import begin_read, take_deferred, write_deferred
from waymark.errors import DomainError, Forbidden, NotSignedIn, UnsupportedMediaType
from waymark.security.principal import Principal, principal_of
from waymark.security.tokens import user_for_token
from waymark.settings import Settings

# Refusals whose record (failed sign-ins, denials) must be kept although the request fails.
REFUSALS_KEPT = frozenset({401, 403, 404})
READ_METHODS = frozenset({"GET", "HEAD"})

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the response is sent.

    A refusal that was put on the record (a denial) is committed too, then re-raised:
    the audit of who tried to see what must survive the refusal. A GET or HEAD only reads:
    its transaction takes no write lock, and its audit rows are written straight after it in
    a short transaction of their own (`waymark.db.session.write_deferred`), still before the
    response is sent.
    """
    unit = _read_session if request.method in READ_METHODS else _write_session
    async with unit(request.app.state.sessions) as session:
        yield session


async def write_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A writing transaction for the rare GET that writes (an OIDC sign-in's callback)."""
    async with _write_session(request.app.state.sessions) as session:
        yield session


@asynccontextmanager
async def _write_session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessions() as session:
        await session.begin()
        try:
            yield session
        except DomainError as exc:
            await (session.commit() if exc.status_code in REFUSALS_KEPT else session.rollback())
            raise
        except BaseException:
            await session.rollback()
            raise
        await session.commit()


@asynccontextmanager
async def _read_session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessions() as session:
        await begin_read(session)
        try:
            yield session
        except DomainError as exc:
            kept = take_deferred(session) if exc.status_code in REFUSALS_KEPT else {}
            await session.rollback()
            await write_deferred(sessions, kept)
            raise
        except BaseException:
            await session.rollback()
            raise
        deferred = take_deferred(session)
        await session.commit()
    await write_deferred(sessions, deferred)


Session = Annotated[AsyncSession, Depends(db_session, scope="function")]
WriteSession = Annotated[AsyncSession, Depends(write_session, scope="function")]


# The dependencies below are `async def` though they never wait: FastAPI runs a plain `def`
# dependency in its thread pool, a thread switch (and a GIL hand-over) on every request.
async def json_bodies(request: Request) -> None:
    """Every operation's dependency: a body for a JSON operation must be sent as JSON
    (`application/json` or `+json`); anything else is a 415, never guessed at or parsed."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        return
    if isinstance(route.body_field.field_info, params.Form) or not _has_body(request):
        return
    declared = email.message.Message()
    declared["content-type"] = request.headers.get("content-type", "")
    subtype = declared.get_content_subtype()
    if not request.headers.get("content-type") or not (
        declared.get_content_maintype() == "application"
        and (subtype == "json" or subtype.endswith("+json"))
    ):
        raise UnsupportedMediaType(
            "send the body as application/json",
            [("Content-Type", "must be application/json")],
        )


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return (length is not None and length.strip() != "0") or (
        "transfer-encoding" in request.headers
    )


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_temporal(request: Request) -> Client:
    client: Client = request.app.state.temporal
    return client


AppSettings = Annotated[Settings, Depends(get_settings_dep)]
Temporal = Annotated[Client, Depends(get_temporal)]


async def current_principal(
    request: Request,
    session: Session,
    settings: AppSettings,
    token: Annotated[str | None, Depends(bearer)],
) -> Principal:
    """The person behind the bearer token; anything else is a 401."""
    if not token:
        raise NotSignedIn("sign in first: send a bearer token")
    user = await user_for_token(session, token, idle=timedelta(minutes=settings.token_idle_minutes))
    if user is None:
        raise NotSignedIn("the token is not valid or has expired; sign in again")
    return await principal_of(session, user, request.state.request_id)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: Role, action: str) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency that lets only these roles through; a refusal is audited."""

    async def check(principal: CurrentPrincipal, session: Session) -> Principal:
        if principal.role not in roles:
            audit.record(
                session,
                principal.actor(),
                action=action,
                record_type="function",
                record_id=None,
                outcome="denied",
            )
            raise Forbidden(f"your role ({principal.role.value}) cannot {action.replace('_', ' ')}")
        return principal

    return check
