"""Reconciliation: the read model and Temporal must agree, both ways, and meetings need notices.

Every open record (a woman's pathway, a conference, an active support episode) has a running
workflow; every running workflow of those types has an open record; every future scheduled
meeting has a notice still to come for each person told about it. Records and workflows that
changed within the grace period are left for the next sweep: a workflow writes its record a
moment after it starts, and closes a moment after it records the close.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from forms.oversight_reports import Discrepancy, DiscrepancyKind, RecordType
from services.duty_reconcile import duties_against_facts
from waymark.db.models import Conference, Meeting, Notice, SupportEpisode, Woman
from workflows import search
from workflows.delivery import DISPATCHER_ID

DEFAULT_GRACE = timedelta(minutes=2)
PATHWAY_PREFIX = "pathway-"
CONFERENCE_PREFIX = "conference-"
FINISHED_PHASES = ("closed", "cancelled")
# The last reminder goes on the morning of the meeting: after it, nothing is left to send.
LAST_REMINDER_WINDOW = timedelta(hours=24)
# How many workflows are described at once.
CONCURRENCY = 20
RUNNING = WorkflowExecutionStatus.RUNNING.name

# What an open workflow's record looks like: (record type, record id, is it open, changed at).
Found = tuple[RecordType, str | None, bool, datetime | None]
Lookup = Callable[[AsyncSession, str], Awaitable[Found]]


async def reconcile(
    session: AsyncSession,
    client: Client,
    *,
    now: datetime | None = None,
    grace: timedelta = DEFAULT_GRACE,
) -> list[Discrepancy]:
    """Every discrepancy between the database and Temporal (ids only), in a stable order."""
    now = now or datetime.now(UTC)
    settled = now - grace
    found = await _records_without_workflows(session, client, settled)
    found += await _workflows_without_records(session, client, settled)
    found += await meetings_without_notices(session, now=now)
    found += await _dispatcher(session, client, settled)
    found += await stages_behind(session, client, settled)
    found += await duties_against_facts(session, settled)
    return found


async def _records_without_workflows(
    session: AsyncSession, client: Client, settled: datetime
) -> list[Discrepancy]:
    """Open records (older than the grace period) whose workflow is not running."""
    limit = asyncio.Semaphore(CONCURRENCY)

    async def check(
        record_type: RecordType, record_id: str, workflow_id: str
    ) -> Discrepancy | None:
        async with limit:
            status = await workflow_status(client, workflow_id)
        if status == RUNNING:
            return None
        return Discrepancy(
            kind=DiscrepancyKind.NO_RUNNING_WORKFLOW,
            record_type=record_type,
            record_id=record_id,
            workflow_id=workflow_id,
            detail=f"workflow {_words(status)}",
        )

    expected = await _open_records(session, settled)
    results = await asyncio.gather(*(check(*item) for item in expected))
    return [item for item in results if item is not None]


async def _open_records(
    session: AsyncSession, settled: datetime
) -> list[tuple[RecordType, str, str]]:
    """Each open record's type, id and the id of the workflow that should be running for it."""
    women = await session.scalars(
        select(Woman.id)
        .where(Woman.stage != "closed", Woman.created_at <= settled)
        .order_by(Woman.id)
    )
    conferences = await session.scalars(
        select(Conference.id)
        .where(Conference.phase.not_in(FINISHED_PHASES), Conference.created_at <= settled)
        .order_by(Conference.id)
    )
    episodes = await session.execute(
        select(SupportEpisode.id, SupportEpisode.workflow_id)
        .where(SupportEpisode.status == "active", SupportEpisode.created_at <= settled)
        .order_by(SupportEpisode.id)
    )
    return [
        *(("woman", str(i), f"{PATHWAY_PREFIX}{i}") for i in women),
        *(("conference", str(i), f"{CONFERENCE_PREFIX}{i}") for i in conferences),
        *(("support_episode", str(i), wf) for i, wf in episodes),
    ]


def _words(status: str) -> str:
    return status.lower().replace("_", " ")


async def workflow_status(client: Client, workflow_id: str) -> str:
    """The latest run's status name (RUNNING, COMPLETED, TERMINATED, ...) or NOT_FOUND."""
    try:
        described = await client.get_workflow_handle(workflow_id).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return "NOT_FOUND"
        raise
    status = described.status
    return status.name if status is not None else "UNKNOWN"


async def pathway_stage(client: Client, workflow_id: str) -> str | None:
    """The stage her running pathway is at (its search attribute); None when it is not running
    (reported as a record without a running workflow) or has no stage yet."""
    try:
        described = await client.get_workflow_handle(workflow_id).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    if described.status != WorkflowExecutionStatus.RUNNING:
        return None
    return described.typed_search_attributes.get(search.STAGE)


async def stages_behind(
    session: AsyncSession, client: Client, settled: datetime
) -> list[Discrepancy]:
    """Open women whose recorded stage is not the stage of their running pathway."""
    women = (
        await session.execute(
            select(Woman.id, Woman.stage)
            .where(Woman.stage != "closed", Woman.updated_at <= settled)
            .order_by(Woman.id)
        )
    ).all()
    limit = asyncio.Semaphore(CONCURRENCY)

    async def check(woman_id: uuid.UUID, recorded: str) -> Discrepancy | None:
        workflow_id = f"{PATHWAY_PREFIX}{woman_id}"
        async with limit:
            current = await pathway_stage(client, workflow_id)
        if current is None or current == recorded:
            return None
        return Discrepancy(
            kind=DiscrepancyKind.STAGE_DIFFERS,
            record_type="woman",
            record_id=str(woman_id),
            workflow_id=workflow_id,
            detail=f"record says {recorded}, pathway says {current}",
        )

    results = await asyncio.gather(*(check(*row) for row in women))
    return [item for item in results if item is not None]


async def _workflows_without_records(
    session: AsyncSession, client: Client, settled: datetime
) -> list[Discrepancy]:
    """Running workflows (started before the grace period) whose record is missing or closed."""
    lookups: dict[str, Lookup] = {
        "WomanPathway": _woman_for,
        "CaseConference": _conference_for,
        "MotherSupport": _episode_for,
    }
    found: list[Discrepancy] = []
    for workflow_type, lookup in lookups.items():
        query = f"WorkflowType = '{workflow_type}' AND ExecutionStatus = 'Running'"
        async for execution in client.list_workflows(query):
            if execution.start_time > settled:
                continue
            record_type, record_id, is_open, changed = await lookup(session, execution.id)
            if is_open or (changed is not None and changed > settled):
                continue
            found.append(
                Discrepancy(
                    kind=DiscrepancyKind.NO_OPEN_RECORD,
                    record_type=record_type,
                    record_id=record_id,
                    workflow_id=execution.id,
                    detail="record missing" if changed is None else "record closed",
                )
            )
    return found


def _uuid_after(prefix: str, workflow_id: str) -> uuid.UUID | None:
    try:
        return (
            uuid.UUID(workflow_id.removeprefix(prefix)) if workflow_id.startswith(prefix) else None
        )
    except ValueError:
        return None


async def _woman_for(session: AsyncSession, workflow_id: str) -> Found:
    woman_id = _uuid_after(PATHWAY_PREFIX, workflow_id)
    woman = await session.get(Woman, woman_id) if woman_id else None
    if woman is None:
        return "woman", str(woman_id) if woman_id else None, False, None
    return "woman", str(woman.id), woman.stage != "closed", woman.updated_at


async def _conference_for(session: AsyncSession, workflow_id: str) -> Found:
    conference_id = _uuid_after(CONFERENCE_PREFIX, workflow_id)
    row = await session.get(Conference, conference_id) if conference_id else None
    if row is None:
        return "conference", str(conference_id) if conference_id else None, False, None
    return "conference", str(row.id), row.phase not in FINISHED_PHASES, row.updated_at


async def _episode_for(session: AsyncSession, workflow_id: str) -> Found:
    row = await session.scalar(
        select(SupportEpisode).where(SupportEpisode.workflow_id == workflow_id)
    )
    if row is None:
        return "support_episode", None, False, None
    return "support_episode", str(row.id), row.status == "active", row.updated_at


async def meetings_without_notices(session: AsyncSession, *, now: datetime) -> list[Discrepancy]:
    """Future scheduled meetings where her, or someone told of it, has no notice still to come."""
    meetings = list(
        await session.scalars(
            select(Meeting)
            .where(Meeting.status == "scheduled", Meeting.starts_at > now)
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    if not meetings:
        return []
    rows = await session.scalars(
        select(Notice).where(Notice.meeting_id.in_([meeting.id for meeting in meetings]))
    )
    notices: dict[uuid.UUID, list[Notice]] = defaultdict(list)
    for notice in rows:
        if notice.meeting_id is not None:
            notices[notice.meeting_id].append(notice)
    found = []
    for meeting in meetings:
        missing = uncovered(meeting, notices[meeting.id], now=now)
        if missing:
            found.append(
                Discrepancy(
                    kind=DiscrepancyKind.MISSING_NOTICES,
                    record_type="meeting",
                    record_id=str(meeting.id),
                    detail=f"no pending notice for {', '.join(missing)}",
                )
            )
    return found


def uncovered(meeting: Meeting, notices: Iterable[Notice], *, now: datetime) -> list[str]:
    """Recipients (her, and everyone sent the change notice) with nothing pending for it."""
    current = [notice for notice in notices if notice.sequence == meeting.sequence]
    told = {_recipient(n) for n in current if n.kind.startswith("meeting_")}
    pending = {_recipient(n) for n in current if n.status == "pending"}
    if meeting.starts_at - now <= LAST_REMINDER_WINDOW:
        # Close to the meeting the last reminder may be gone already: sent is enough.
        pending |= {_recipient(n) for n in current if n.status != "superseded"}
    return sorted(({"woman"} | told) - pending)


def _recipient(notice: Notice) -> str:
    if notice.recipient_kind == "woman":
        return "woman"
    if notice.recipient_user_id is not None:
        return f"{notice.recipient_kind}:user:{notice.recipient_user_id}"
    return f"{notice.recipient_kind}:org:{notice.recipient_organisation_id}"


async def _dispatcher(
    session: AsyncSession, client: Client, settled: datetime
) -> list[Discrepancy]:
    """Notices waiting since before the grace period, and no dispatcher running to send them."""
    waiting = await session.scalar(
        select(func.count(Notice.id)).where(Notice.status == "pending", Notice.send_at <= settled)
    )
    if not waiting:
        return []
    status = await workflow_status(client, DISPATCHER_ID)
    if status == RUNNING:
        return []
    return [
        Discrepancy(
            kind=DiscrepancyKind.DISPATCHER_NOT_RUNNING,
            record_type="notices",
            workflow_id=DISPATCHER_ID,
            detail=f"{waiting} notices due; dispatcher {_words(status)}",
        )
    ]
