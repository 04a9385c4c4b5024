"""Merging two records that are one woman (a safeguarding lead, with a reason, audited).

The pathway that goes on takes over the merged pathway's clocks and meetings first, then the
merged pathway ends, then the merged record's rows move. Each step can be repeated, so a merge
interrupted part way is finished by sending it again."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from api.commands import issue, query
from api.declared import ABSORB_RECORD, MERGE_INTO
from api.deps import AppSettings, Session, Temporal, require_role
from forms.common import Role
from forms.merging import AbsorbRecord, MergeInto, MergeOutcome, MergeRequest
from forms.pathway import PathwayState, Stage
from services import merging
from waymark.errors import Conflict
from waymark.security.principal import Principal
from waymark.settings import Settings
from workflows.pathway import workflow_id

router = APIRouter(prefix="/api/v1/women", tags=["merging"])

Lead = Annotated[Principal, Depends(require_role(Role.SAFEGUARDING_LEAD, action="merge_records"))]


@router.post("/{woman_id}/merge")
async def merge(
    woman_id: uuid.UUID,
    body: MergeRequest,
    principal: Lead,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> MergeOutcome:
    """Merge another record into this one: both histories go on here; the other pathway ends."""
    return await merge_records(session, temporal, settings, principal, woman_id, body)


async def merge_records(
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    principal: Principal,
    woman_id: uuid.UUID,
    body: MergeRequest,
) -> MergeOutcome:
    pair = await merging.check(session, principal, woman_id, body)
    surviving = await pathway_state(temporal, pair.surviving.id)
    if surviving is None or surviving.stage is Stage.CLOSED:
        raise Conflict("the record that goes on must have an open pathway: merge the other way")
    other = await pathway_state(temporal, pair.merged.id)
    row = await merging.begin(session, principal, pair, body.reason)
    actor = principal.actor()
    open_other = other is not None and other.stage is not Stage.CLOSED
    absorb = AbsorbRecord(
        merge_id=row.id,
        merged_woman_id=pair.merged.id,
        clocks=other.clocks if open_other and other else {},
        meetings=other.meetings if other else {},
        coordinator_id=other.coordinator_id if other else None,
        reason=body.reason,
        actor=actor,
    )
    surviving_pathway = workflow_id(pair.surviving.id)
    await issue(temporal, settings, session, ABSORB_RECORD, surviving_pathway, absorb)
    if open_other:
        into = MergeInto(
            merge_id=row.id, into_woman_id=pair.surviving.id, reason=body.reason, actor=actor
        )
        await issue(temporal, settings, session, MERGE_INTO, workflow_id(pair.merged.id), into)
    moved = await merging.finish(session, pair, row)
    return MergeOutcome(
        merge_id=row.id, woman_id=pair.surviving.id, merged_woman_id=pair.merged.id, moved=moved
    )


async def pathway_state(temporal: Client, woman_id: uuid.UUID) -> PathwayState | None:
    """Her pathway's state, or None when no pathway of hers is known to Temporal."""
    try:
        return await query(temporal, workflow_id(woman_id), "state", PathwayState)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
