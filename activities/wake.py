"""Urgent notices are delivered, not only queued: an activity that writes one does so in a
`waking_transaction`, which wakes the delivery dispatcher (its `dispatch_now` signal) once the
notice is committed, rather than leaving it to the next round."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session
from temporalio import activity
from temporalio.service import RPCError

from waymark.db.models import Notice
from waymark.db.session import transaction
from workflows.delivery import DISPATCHER_ID

# Session.info key: this transaction has written an urgent notice.
URGENT_WRITTEN = "waymark.urgent_notice_written"


async def wake_dispatcher() -> None:
    """Signal the dispatcher after the notice is committed; if it cannot be reached, its next
    round delivers the notice (nothing is lost, only later)."""
    try:
        await activity.client().get_workflow_handle(DISPATCHER_ID).signal("dispatch_now")
    except (RPCError, RuntimeError) as error:
        activity.logger.info("the delivery dispatcher was not woken: %s", type(error).__name__)


@asynccontextmanager
async def waking_transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """`transaction`, and then, only once it has committed and only if it wrote an urgent
    notice, the dispatcher woken. A transaction that rolls back wakes nobody: the dispatcher
    would find nothing to send."""
    async with transaction(sessions) as session:
        event.listen(session.sync_session, "before_flush", _note_urgent)
        event.listen(session.sync_session, "do_orm_execute", _note_urgent_inserted)
        yield session
    if session.info.pop(URGENT_WRITTEN, False):
        await wake_dispatcher()


def _note_urgent(session: Session, _context: Any, _instances: Any) -> None:
    """Every flush (the commit's own included) sees the notices it is about to insert."""
    if any(isinstance(row, Notice) and row.urgent for row in session.new):
        session.info[URGENT_WRITTEN] = True


def _note_urgent_inserted(state: ORMExecuteState) -> None:
    """Notices inserted many at a time by one statement (the sweep's repeats), not by a flush."""
    mapper = state.bind_mapper
    if not state.is_insert or mapper is None or mapper.class_ is not Notice:
        return
    params = state.parameters or {}
    rows = [params] if isinstance(params, Mapping) else params
    if any(row.get("urgent") for row in rows):
        state.session.info[URGENT_WRITTEN] = True
