"""The "no woman dropped" ledger over HTTP, for safeguarding leads (their own area only)."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.deps import Session, require_role
from forms.common import Role
from forms.ledger import Ledger, LedgerRow
from services.ledger import build_ledger
from waymark import audit
from waymark.db.models import Organisation
from waymark.errors import Forbidden, NotFound
from waymark.localtime import today_in_uk
from waymark.security.principal import Principal

router = APIRouter(prefix="/api/v1", tags=["ledger"])

Lead = Annotated[Principal, Depends(require_role(Role.SAFEGUARDING_LEAD, action="view_ledger"))]
Format = Annotated[
    Literal["json", "csv"] | None, Query(alias="format", description="Or send Accept: text/csv.")
]

CSV_COLUMNS = [
    "woman_id",
    "name",
    "breaches",
    "advocate_status",
    "advocate",
    "advocate_since",
    "advocate_reason",
    "episode_status",
    "closed_by",
    "close_reason",
    "handover_to",
    "named_worker",
    "last_contact_on",
    "next_contact_due",
    "missed_contacts",
    "contact_overdue",
    "heightened_risk_until",
    "open_referrals",
    "overdue_clocks",
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@router.get("/ledger", response_model=Ledger, responses={200: {"content": {"text/csv": {}}}})
async def ledger(
    request: Request,
    principal: Lead,
    session: Session,
    area: Annotated[str | None, Query(max_length=64, description="Your area (default).")] = None,
    team: Annotated[uuid.UUID | None, Query(description="One team's women only.")] = None,
    output: Format = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    after: Annotated[str | None, Query(max_length=100, description="`next` of a page.")] = None,
) -> Response | Ledger:
    """A page of the women in your area whose baby was placed in care: those owed something
    overdue first, longest overdue first; `next` continues (also a `Link` header)."""
    area = area or principal.area_code
    await _check_scope(session, principal, area, team)
    result = await build_ledger(
        session,
        area=area,
        team=team,
        today=today_in_uk(),
        actor=principal.actor(),
        limit=limit,
        after=after,
    )
    wants_csv = output == "csv" or (
        output is None and "text/csv" in request.headers.get("accept", "")
    )
    if wants_csv:
        return Response(
            ledger_csv(result.rows),
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="ledger-{result.today}.csv"',
                **_next_link(request, result),
            },
        )
    return result


def _next_link(request: Request, result: Ledger) -> dict[str, str]:
    """The next page of the CSV (RFC 8288), which has no body field to carry it."""
    if result.next is None:
        return {}
    url = request.url.include_query_params(after=result.next)
    return {"link": f'<{url}>; rel="next"'}


async def _check_scope(
    session: Session, principal: Principal, area: str, team: uuid.UUID | None
) -> None:
    """A lead sees her own area (and its teams) only; a refusal is on the record."""
    organisation = await session.get(Organisation, team) if team is not None else None
    if team is not None and organisation is None:
        raise NotFound("no such team")
    if area == principal.area_code and (organisation is None or organisation.area_code == area):
        return
    audit.record(
        session,
        principal.actor(),
        action="view_ledger",
        record_type="ledger",
        record_id=None,
        outcome="denied",
        detail=f"area {area}",
    )
    raise Forbidden("you can see the ledger of your own area only")


def ledger_csv(rows: list[LedgerRow]) -> str:
    """One line per woman, in the ledger's order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(value) for value in _csv_values(row)])
    return buffer.getvalue()


def _csv_values(row: LedgerRow) -> list[object]:
    episode, advocate = row.episode, row.advocate
    return [
        row.woman_id,
        row.name,
        "; ".join(f"{b.kind.value}: {b.detail}" for b in row.breaches),
        advocate.status.value,
        advocate.name,
        advocate.since.date().isoformat() if advocate.since else None,
        advocate.reason,
        episode.status if episode else None,
        episode.closed_by if episode else None,
        episode.close_reason if episode else None,
        episode.handover_to if episode else None,
        row.named_worker,
        row.last_contact_on,
        row.next_contact_due,
        row.missed_contacts,
        "yes" if row.contact_overdue else "no",
        row.heightened_risk_until,
        "; ".join(f"{r.item} (respond by {r.respond_by or '-'})" for r in row.open_referrals),
        "; ".join(f"{c.label} (due {c.due}, {c.status})" for c in row.overdue_clocks),
    ]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
