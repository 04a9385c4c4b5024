"""`GET /api/v1/ledger`: JSON or CSV for a safeguarding lead's own area; refused to anyone else."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import SignIn
from tests.helpers.planning import count, rows
from tests.oversight.builders import allocate, check, make_woman, open_episode, owe
from waymark.db.base import utcnow
from waymark.db.models import AuditEvent, Organisation

Sessions = async_sessionmaker[AsyncSession]


async def _two_women(sessions: Sessions) -> tuple[uuid.UUID, uuid.UUID]:
    held = await make_woman(sessions, given="Amy")
    await allocate(sessions, held)
    await open_episode(sessions, held)
    breached = await make_woman(sessions, given="=cmd|Bea")
    await open_episode(sessions, breached)
    await check(sessions, breached)
    await owe(sessions, breached, "advocate", utcnow() - timedelta(days=1))
    return held, breached


async def test_a_lead_sees_her_areas_ledger_most_urgent_first(
    sign_in: SignIn, sessions: Sessions
) -> None:
    held, breached = await _two_women(sessions)
    await make_woman(sessions, given="Isla", team="glenbrae-sw")
    lead = await sign_in("lee.lead")
    response = await lead.get("/api/v1/ledger")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["area"] == "northmoor"
    assert [row["woman_id"] for row in body["rows"]] == [str(breached), str(held)]
    assert body["rows"][0]["breaches"][0]["kind"] == "advocate"
    [viewed] = await rows(sessions, AuditEvent, action="view_ledger", outcome="allowed")
    assert viewed.listed == f"{breached.hex} {held.hex}"  # one row per view, naming whom


async def test_paged_by_cursor_in_json_and_csv(sign_in: SignIn, sessions: Sessions) -> None:
    held, breached = await _two_women(sessions)
    lead = await sign_in("lee.lead")
    first = (await lead.get("/api/v1/ledger", params={"limit": 1})).json()
    assert [row["woman_id"] for row in first["rows"]] == [str(breached)]
    second = await lead.get("/api/v1/ledger", params={"limit": 1, "after": first["next"]})
    assert [row["woman_id"] for row in second.json()["rows"]] == [str(held)]
    assert second.json()["next"] is None
    as_csv = await lead.get("/api/v1/ledger", params={"limit": 1, "format": "csv"})
    assert [line["woman_id"] for line in csv.DictReader(io.StringIO(as_csv.text))] == [
        str(breached)
    ]
    assert f"after={first['next']}" in as_csv.headers["link"]
    bad = await lead.get("/api/v1/ledger", params={"after": "o1.xyz"})
    assert bad.status_code == 422
    assert "cursor" in bad.text
    assert await count(sessions, AuditEvent, action="view_ledger", outcome="allowed") == 3


async def test_csv_by_query_or_accept_header(sign_in: SignIn, sessions: Sessions) -> None:
    held, breached = await _two_women(sessions)
    lead = await sign_in("lee.lead")
    by_query = await lead.get("/api/v1/ledger", params={"format": "csv"})
    by_header = await lead.get("/api/v1/ledger", headers={"Accept": "text/csv"})
    for response in (by_query, by_header):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        lines = list(csv.DictReader(io.StringIO(response.text)))
        assert [line["woman_id"] for line in lines] == [str(breached), str(held)]
        # A name that looks like a formula is not run by a spreadsheet.
        assert lines[0]["name"].startswith("'=cmd")
        assert lines[0]["breaches"].startswith("advocate: ")
        assert lines[1]["advocate"] == "Ava Lewis"


async def test_a_team_filter_within_her_area(sign_in: SignIn, sessions: Sessions) -> None:
    await _two_women(sessions)
    async with sessions() as session:
        team = await session.scalar(
            select(Organisation.id).where(Organisation.code == "northmoor-csc")
        )
    lead = await sign_in("lee.lead")
    response = await lead.get("/api/v1/ledger", params={"team": str(team)})
    assert response.status_code == 200
    assert len(response.json()["rows"]) == 2


async def test_refused_to_other_roles_and_other_areas(sign_in: SignIn, sessions: Sessions) -> None:
    await _two_women(sessions)
    social_worker = await sign_in("sam.social")
    assert (await social_worker.get("/api/v1/ledger")).status_code == 403
    other_lead = await sign_in("fiona.lead")
    refused = await other_lead.get("/api/v1/ledger", params={"area": "northmoor"})
    assert refused.status_code == 403
    assert "your own area" in refused.json()["detail"]
    async with sessions() as session:
        northmoor_team = await session.scalar(
            select(Organisation.id).where(Organisation.code == "northmoor-csc")
        )
    by_team = await other_lead.get("/api/v1/ledger", params={"team": str(northmoor_team)})
    assert by_team.status_code == 403
    own = await other_lead.get("/api/v1/ledger")
    assert (own.status_code, own.json()["rows"]) == (200, [])
    assert await count(sessions, AuditEvent, action="view_ledger", outcome="denied") == 3
    # Her own (empty) page is a view too, naming nobody.
    [own_view] = await rows(sessions, AuditEvent, action="view_ledger", outcome="allowed")
    assert (own_view.record_id, own_view.listed) == ("glenbrae", "")
