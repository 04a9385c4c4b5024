"""The audit trail over HTTP: who viewed her record (JSON and CSV), who may ask, and the chain."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from datetime import UTC, datetime

import pytest

from services.audit_trail import verify_chain
from tests.api.conftest import SignIn
from tests.helpers.api import Sessions, audit_of, audit_rows, glenbrae_referral_body, make_referral
from tests.services.test_audit_trail import tamper
from waymark import audit


@pytest.fixture
async def her(sign_in: SignIn) -> str:
    """A woman referred in Northmoor by its midwife."""
    return await make_referral(await sign_in("mia.midwife"))


async def test_the_chain_is_intact_after_many_writes_through_the_api(
    sign_in: SignIn, sessions: Sessions, her: str
) -> None:
    other = await make_referral(await sign_in("ewan.midwife"), glenbrae_referral_body())
    sam, iona = await sign_in("sam.social"), await sign_in("iona.social")
    for _ in range(3):
        assert (await sam.get(f"/api/v1/women/{her}")).status_code == 200
        assert (await sam.get(f"/api/v1/women/{other}")).status_code == 404
        assert (await iona.get("/api/v1/women")).status_code == 200
    written = len(await audit_rows(sessions))

    for reviewer in ("lee.lead", "ada.admin"):
        response = await (await sign_in(reviewer)).get("/api/v1/audit/verify")
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["intact"], body["problems"]) == (True, [])
        [row] = await audit_of(sessions, response)
        assert (row.action, row.record_type, row.detail) == (
            "verify_audit",
            "audit_trail",
            "intact",
        )
    # Ada walked every row but her own check (sign-ins and Lee's check included).
    assert written < body["rows"] == len(await audit_rows(sessions)) - 1


async def test_concurrent_views_still_make_one_unbroken_chain(
    sign_in: SignIn, sessions: Sessions, her: str
) -> None:
    sam = await sign_in("sam.social")
    responses = await asyncio.gather(*(sam.get(f"/api/v1/women/{her}") for _ in range(30)))
    assert [response.status_code for response in responses] == [200] * 30

    views = await audit_rows(sessions, action="view_woman", record_id=her)
    assert len(views) == 30
    async with sessions() as session:
        report = await verify_chain(session)
    assert (report.intact, report.problems) == (True, [])
    assert [row.seq for row in await audit_rows(sessions)] == list(range(1, report.rows + 1))


async def test_verify_reports_tampering(
    sign_in: SignIn, sessions: Sessions, database_url: str, her: str
) -> None:
    tamper(database_url, "UPDATE audit_events SET outcome = 'denied' WHERE seq = 2")
    response = await (await sign_in("lee.lead")).get("/api/v1/audit/verify")
    assert response.status_code == 200
    assert response.json()["intact"] is False
    assert response.json()["problems"] == ["row 2 was edited"]


async def test_only_admins_and_leads_may_verify(sign_in: SignIn, sessions: Sessions) -> None:
    response = await (await sign_in("sam.social")).get("/api/v1/audit/verify")
    assert response.status_code == 403
    [row] = await audit_of(sessions, response)
    assert (row.action, row.outcome) == ("verify_audit", "denied")


async def test_her_lead_sees_who_viewed_her_record_and_only_hers(
    sign_in: SignIn, sessions: Sessions, her: str
) -> None:
    other = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await sam.get(f"/api/v1/women/{her}")
    await sam.get(f"/api/v1/women/{other}")
    await (await sign_in("iona.social")).get(f"/api/v1/women/{her}")

    lee = await sign_in("lee.lead")
    response = await lee.get(f"/api/v1/women/{her}/audit")
    assert response.status_code == 200, response.text
    entries = response.json()
    assert [entry["seq"] for entry in entries] == sorted(entry["seq"] for entry in entries)
    assert {entry["action"] for entry in entries} >= {"create_referral", "view_woman"}
    assert [(e["name"], e["role"], e["organisation"], e["outcome"]) for e in entries][-2:] == [
        ("Sam Okafor", "social_worker", "Northmoor Children's Social Care", "allowed"),
        ("Iona MacLeod", "social_worker", "Glenbrae Children and Families Social Work", "denied"),
    ]
    assert all(entry["request_id"] for entry in entries)
    mine = {row.seq for row in await audit_rows(sessions, record_id=her)}
    assert {entry["seq"] for entry in entries} < mine  # plus the lead's own look, below

    [row] = await audit_of(sessions, response)
    assert (row.action, row.record_type, row.record_id) == ("view_audit", "woman", her)


async def test_the_period_is_a_range_of_uk_days(
    sign_in: SignIn, sessions: Sessions, her: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sam = await sign_in("sam.social")
    for at in (datetime(2026, 3, 1, 10, tzinfo=UTC), datetime(2026, 3, 3, 10, tzinfo=UTC)):
        monkeypatch.setattr(audit, "utcnow", lambda at=at: at)
        await sam.get(f"/api/v1/women/{her}")
    monkeypatch.undo()

    lee = await sign_in("lee.lead")
    response = await lee.get(f"/api/v1/women/{her}/audit?from=2026-03-02&to=2026-03-04")
    assert [entry["at"] for entry in response.json()] == ["2026-03-03T10:00:00Z"]
    response = await lee.get(f"/api/v1/women/{her}/audit?to=2026-03-01")
    assert [entry["at"] for entry in response.json()] == ["2026-03-01T10:00:00Z"]
    assert (
        await lee.get(f"/api/v1/women/{her}/audit?from=2026-03-04&to=2026-03-01")
    ).status_code == 422
    assert (await lee.get(f"/api/v1/women/{her}/audit?from=March")).status_code == 422


async def test_csv_by_accept_header_or_format(sign_in: SignIn, her: str) -> None:
    lee = await sign_in("lee.lead")
    as_json = (await lee.get(f"/api/v1/women/{her}/audit")).json()
    for response in (
        await lee.get(f"/api/v1/women/{her}/audit", headers={"accept": "text/csv"}),
        await lee.get(f"/api/v1/women/{her}/audit?format=csv"),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        table = list(csv.DictReader(io.StringIO(response.text)))
        # Each export lists what was there before it (and the JSON look came first).
        assert [row["action"] for row in table][: len(as_json)] == [e["action"] for e in as_json]
        assert table[0]["name"] == "Mia Hughes"


async def test_a_social_worker_may_not_read_the_audit_trail(
    sign_in: SignIn, sessions: Sessions, her: str
) -> None:
    response = await (await sign_in("sam.social")).get(f"/api/v1/women/{her}/audit")
    assert response.status_code == 403
    [row] = await audit_of(sessions, response)
    assert (row.action, row.outcome) == ("view_audit", "denied")


@pytest.mark.parametrize("woman", ["hers", "nobody's"])
async def test_a_lead_of_another_area_gets_not_found(
    sign_in: SignIn, sessions: Sessions, her: str, woman: str
) -> None:
    woman_id = her if woman == "hers" else str(uuid.uuid4())
    response = await (await sign_in("fiona.lead")).get(f"/api/v1/women/{woman_id}/audit")
    assert response.status_code == 404
    assert response.json() == {"detail": "no such woman's record"}
    [row] = await audit_of(sessions, response)
    assert (row.action, row.record_id, row.outcome) == ("view_audit", woman_id, "denied")
