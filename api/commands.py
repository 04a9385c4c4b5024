"""Sending people's commands to pathway workflows, and turning refusals into clear 4xx errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.declared import Declared
from services.closed_case import closed_pathway_command
from waymark.errors import Conflict, DomainError, Invalid, NotFound, Unavailable
from waymark.settings import Settings
from workflows.pathway import is_pathway, woman_of

T = TypeVar("T")

# Refusals raised by workflow validators, by ApplicationError type.
REFUSALS: dict[str, type[DomainError]] = {
    "IdempotencyConflict": Invalid,
    "InvalidInput": Invalid,
    "InvalidTransition": Conflict,
    "NotReady": Conflict,
    "Refused": Conflict,
}

# How the SDK words a lazy client's failure to make its first connection.
LAZY_CONNECT_FAILED = "Failed client connect"


class Pending(Unavailable):
    """The command reached Temporal but no worker confirmed it in time."""


async def send(
    command: Awaitable[T],
    *,
    session: AsyncSession,
    timeout: float,
    handle: WorkflowHandle[Any, Any] | None = None,
    name: str | None = None,
) -> T:
    """Await a workflow command; a refusal becomes a DomainError with its own message.
    `name` is the command's (its Update's) name: a command to her finished pathway is refused
    here, for every route and page, saying that her case is closed and what cannot be done.

    The request's transaction is committed first: its checks and audit rows are kept, and no
    lock is held while the workflow's activities write (on SQLite that would deadlock).
    """
    await session.commit()
    try:
        return await asyncio.wait_for(command, timeout)
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        if isinstance(cause, ApplicationError):
            raise REFUSALS.get(cause.type or "", Conflict)(cause.message) from exc
        raise Conflict("the command could not be carried out") from exc
    except RPCError as exc:
        raise await _rpc_error(exc, handle, name, session) from exc
    except RuntimeError as exc:
        # The app's client is lazy: while it has never reached the server, a call fails to
        # connect (the SDK raises a plain RuntimeError), which is the service being down.
        if not str(exc).startswith(LAZY_CONNECT_FAILED):
            raise
        raise Unavailable("the pathway service is not available; try again shortly") from exc
    except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError) as exc:
        raise Pending(
            "the pathway service did not answer in time; the command may still complete, "
            "so check her record before trying again"
        ) from exc


async def issue(
    temporal: Client,
    settings: Settings,
    session: AsyncSession,
    declared: Declared,
    target: str,
    command: BaseModel,
) -> Any:
    """Send a declared command to the workflow `target` as its Update, answering what the
    declaration says: the one way both the JSON routes and the pages send a command."""
    handle = temporal.get_workflow_handle(target)
    return await send(
        handle.execute_update(declared.update, command, result_type=declared.answers),
        session=session,
        timeout=settings.command_timeout_seconds,
        handle=handle,
        name=declared.update,
    )


async def _rpc_error(
    exc: RPCError,
    handle: WorkflowHandle[Any, Any] | None,
    name: str | None,
    session: AsyncSession,
) -> DomainError:
    if exc.status != RPCStatusCode.NOT_FOUND:
        return Unavailable("the pathway service is not available; try again shortly")
    if handle is not None:
        # Ask Temporal rather than read its error wording: has this process finished?
        try:
            status = (await handle.describe()).status
        except RPCError:
            return NotFound("that process is not running")
        if status is not None and status != WorkflowExecutionStatus.RUNNING:
            # Her pathway ends only when her case is closed (a new run reopens it).
            if is_pathway(handle.id):
                return await closed_pathway_command(session, woman_of(handle.id), name)
            return Conflict("that process is closed, so it takes no more commands")
    return NotFound("that process is not running")
