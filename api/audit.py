"""The audit trail over HTTP: who viewed a woman's record, and whether the chain is intact."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.deps import AppSettings, Session, require_role
from forms.common import Role
from services.audit_trail import AccessEntry, ChainReport, verify_and_anchor, who_viewed
from waymark import audit
from waymark.audit_anchor import anchor_book
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(prefix="/api/v1", tags=["audit"])

Lead = Annotated[Principal, Depends(require_role(Role.SAFEGUARDING_LEAD, action="view_audit"))]
Reviewer = Annotated[
    Principal, Depends(require_role(Role.ADMIN, Role.SAFEGUARDING_LEAD, action="verify_audit"))
]

# `from` is a Python keyword, so the parameters take their names from aliases.
FromDay = Annotated[date | None, Query(alias="from", description="First UK day, YYYY-MM-DD.")]
ToDay = Annotated[date | None, Query(alias="to", description="Last UK day, YYYY-MM-DD.")]
Format = Annotated[
    Literal["json", "csv"] | None, Query(alias="format", description="Or send Accept: text/csv.")
]

CSV_COLUMNS = [
    "seq",
    "at",
    "name",
    "role",
    "organisation",
    "action",
    "outcome",
    "request_id",
    "detail",
    "reason",
    "user_id",
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@router.get(
    "/women/{woman_id}/audit",
    response_model=list[AccessEntry],
    responses={200: {"content": {"text/csv": {}}}},
)
async def her_audit_trail(
    woman_id: uuid.UUID,
    request: Request,
    principal: Lead,
    session: Session,
    since: FromDay = None,
    until: ToDay = None,
    output: Format = None,
) -> Response | list[AccessEntry]:
    """Who viewed or changed her record, and who was refused: for reviews and access requests."""
    await visible_woman(session, principal, woman_id, action="view_audit")
    entries = await who_viewed(session, woman_id=woman_id, since=since, until=until)
    audit.record(
        session, principal.actor(), action="view_audit", record_type="woman", record_id=woman_id
    )
    wants_csv = output == "csv" or (
        output is None and "text/csv" in request.headers.get("accept", "")
    )
    if wants_csv:
        return Response(
            _csv(entries),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="audit-{woman_id}.csv"'},
        )
    return entries


@router.get("/audit/verify")
async def verify_audit_trail(
    principal: Reviewer, session: Session, settings: AppSettings
) -> ChainReport:
    """Walk the audit trail's hash chain and check it against its anchors: list anything
    edited, missing, out of order or cut from the end; if all is well, anchor its head."""
    report = await verify_and_anchor(session, anchor_book(settings))
    audit.record(
        session,
        principal.actor(),
        action="verify_audit",
        record_type="audit_trail",
        record_id=None,
        detail="intact" if report.intact else f"{len(report.problems)} problems",
    )
    return report


def _csv(entries: list[AccessEntry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        values = entry.model_dump(mode="json")
        writer.writerow([_cell(values[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
