"""Sending people's commands to pathway workflows, and turning refusals into clear 4xx errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from waymark.errors import Conflict, DomainError, Invalid, NotFound, Unavailable

T = TypeVar("T")

# Refusals raised by workflow validators, by ApplicationError type.
REFUSALS: dict[str, type[DomainError]] = {
    "IdempotencyConflict": Invalid,
    "InvalidTransition": Conflict,
    "NotReady": Conflict,
    "Refused": Conflict,
}


async def send(command: Awaitable[T], *, session: AsyncSession, timeout: float) -> T:
    """Await a workflow command; a refusal becomes a DomainError with its own message.

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
        raise _rpc_error(exc) from exc
    except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError) as exc:
        raise Pending(
            "the pathway service did not answer in time; the command may still complete, "
            "so check her record before trying again"
        ) from exc


class Pending(Unavailable):
    """The command reached Temporal but no worker confirmed it in time."""


def _rpc_error(exc: RPCError) -> DomainError:
    if exc.status == RPCStatusCode.NOT_FOUND:
        if "completed" in exc.message or "closed" in exc.message:
            return Conflict("her pathway is closed, so it takes no more commands")
        return NotFound("her pathway is not running")
    return Unavailable("the pathway service is not available; try again shortly")
