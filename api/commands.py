"""Sending people's commands to workflows, each as its declaration in `api/declared.py` says, and
turning refusals into clear 4xx errors. The only module of `api/` that reaches Temporal
(`tests/api/test_declared.py` holds every other to that)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.declared import Declared
from forms.pathway import ReopenCase
from services.closed_case import closed_pathway_command
from waymark.errors import Conflict, DomainError, Invalid, NotFound, Unavailable
from waymark.settings import Settings
from waymark.temporal.reopen import start_reopened_run
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
    """Send a declared command to the workflow `target` as its Update (answering what the
    declaration says) or its signal: the one way both the JSON routes and the pages send a
    command to a running workflow."""
    handle = temporal.get_workflow_handle(target)
    if declared.via == "signal":
        sent: Awaitable[Any] = handle.signal(declared.name, command)
    elif declared.via == "update":
        sent = handle.execute_update(declared.name, command, result_type=declared.answers)
    else:
        raise ValueError(f"{declared.name} is sent {declared.via!r}, not to a running workflow")
    return await send(
        sent,
        session=session,
        timeout=settings.command_timeout_seconds,
        handle=handle,
        name=declared.name,
    )


async def issue_with_start(
    temporal: Client,
    settings: Settings,
    session: AsyncSession,
    declared: Declared,
    command: BaseModel,
    start: WithStartWorkflowOperation[Any, Any],
) -> Any:
    """Send a declared Update with the start of its workflow (which joins the run going, as
    `start` says): one round trip."""
    return await send(
        temporal.execute_update_with_start_workflow(
            declared.name, command, start_workflow_operation=start, result_type=declared.answers
        ),
        session=session,
        timeout=settings.command_timeout_seconds,
    )


async def start(
    temporal: Client,
    settings: Settings,
    session: AsyncSession,
    declared: Declared,
    target: str,
    inp: BaseModel,
) -> None:
    """Start the declared workflow as `target` with its contract as input, or join the run
    already going."""
    assert declared.via == "start", declared.name
    await send(
        temporal.start_workflow(
            declared.name,
            inp,
            id=target,
            task_queue=settings.temporal_task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        ),
        session=session,
        timeout=settings.command_timeout_seconds,
    )


async def reopen(
    temporal: Client,
    settings: Settings,
    session: AsyncSession,
    declared: Declared,
    target: str,
    command: ReopenCase,
) -> Any:
    """Her closed pathway `target` reopened: a new run starts from the state it ended with and
    the command, and the declared Update confirms it, answering what the declaration says."""
    assert declared.via == "reopen", declared.name
    handle = temporal.get_workflow_handle(target)
    timeout = settings.command_timeout_seconds
    started = await send(
        start_reopened_run(temporal, settings.temporal_task_queue, handle, command),
        session=session,
        timeout=timeout,
        handle=handle,
    )
    return await send(
        started.execute_update(declared.name, result_type=declared.answers),
        session=session,
        timeout=timeout,
        handle=started,
    )


async def tell(temporal: Client, declared: Declared, target: str, signal: BaseModel) -> None:
    """A declared signal sent from outside anyone's request (a text from her): nothing is
    committed first and Temporal's own errors reach the caller, who decides what then."""
    assert declared.via == "signal", declared.name
    await temporal.get_workflow_handle(target).signal(declared.name, signal)


async def query(temporal: Client, target: str, name: str, result_type: type[T]) -> T:
    """A workflow's answer to the query `name`: a read, so no declaration and no commit."""
    answer: T = await temporal.get_workflow_handle(target).query(name, result_type=result_type)
    return answer


async def is_running(temporal: Client, target: str, timeout: float) -> bool:
    """Whether Temporal says the workflow `target` is running (False when it does not know it,
    or does not answer within `timeout` seconds)."""
    try:
        described = await asyncio.wait_for(temporal.get_workflow_handle(target).describe(), timeout)
    except (RPCError, TimeoutError, RuntimeError):
        return False
    return described.status == WorkflowExecutionStatus.RUNNING


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
