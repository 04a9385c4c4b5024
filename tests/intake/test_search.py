"""Search: by name (case, accents and hyphens ignored), number or date of birth; results are
what the record policy lets this person see; every search is audited, its terms kept for leads
and never in a URL or log line."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.search import SearchQuery
from services.search import statements, together
from tests.api.conftest import SignIn
from tests.helpers.api import audit_rows, glenbrae_referral_body, make_referral, user_id
from tests.helpers.referrals import fresh_nhs_number, referral_body
from waymark.db.models import Search, User
from waymark.security.principal import principal_of

Sessions = async_sessionmaker[AsyncSession]


def named(given: str, family: str, born: str = "1995-01-01", **more: Any) -> dict[str, Any]:
    body = referral_body()
    body["woman"] = {
        **body["woman"],
        "given_name": given,
        "family_name": family,
        "date_of_birth": born,
        **more,
    }
    return body


@pytest.mark.parametrize(
    "typed",
    ["smith-jones", "SMITH JONES", "Smíth-Jönes", "zoe smith-jones", "Smith Jones Zoë", "smith"],
)
async def test_her_name_is_found_however_it_is_typed(sign_in: SignIn, typed: str) -> None:
    sam = await sign_in("sam.social")
    zoe = await make_referral(sam, named("Zoë", "Smith-Jones"))
    await make_referral(sam, named("Zara", "Smithson-Hale"))
    await make_referral(sam, named("Ann", "Jones"))
    found = await sam.post("/api/v1/search", json={"name": typed})
    assert found.status_code == 200, found.text
    ids = [r["id"] for r in found.json()["results"]]
    assert zoe in ids
    if typed != "smith":
        assert len(ids) == 1


async def test_number_and_date_of_birth_find_her(sign_in: SignIn) -> None:
    sam = await sign_in("sam.social")
    nhs = fresh_nhs_number()
    her = await make_referral(sam, named("Jo", "Example", "1990-05-06", nhs_number=nhs))
    other = await make_referral(sam, named("Jo", "Example", "1991-05-06"))
    spaced = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
    by_number = (await sam.post("/api/v1/search", json={"number": spaced})).json()
    assert [r["id"] for r in by_number["results"]] == [her]
    by_birth = (await sam.post("/api/v1/search", json={"date_of_birth": "1990-05-06"})).json()
    assert [r["id"] for r in by_birth["results"]] == [her]
    both = {"name": "jo example", "date_of_birth": "1991-05-06"}
    found = (await sam.post("/api/v1/search", json=both)).json()
    assert [r["id"] for r in found["results"]] == [other]


async def test_results_are_only_the_women_the_record_policy_shows(sign_in: SignIn) -> None:
    sam, ewan = await sign_in("sam.social"), await sign_in("ewan.midwife")
    ours = await make_referral(sam, named("Morag", "Glenexample"))
    theirs = await make_referral(ewan, glenbrae_referral_body())
    for who, expected in ((sam, [ours]), (ewan, [theirs]), (await sign_in("ada.admin"), [])):
        found = (await who.post("/api/v1/search", json={"name": "glenexample"})).json()
        assert [r["id"] for r in found["results"]] == expected
        listed = {w["id"] for w in (await who.get("/api/v1/women")).json()}
        assert set(expected) <= listed


async def test_every_search_is_audited_and_its_terms_kept_for_the_lead_only(
    sign_in: SignIn, sessions: Sessions, caplog: pytest.LogCaptureFixture
) -> None:
    sam = await sign_in("sam.social")
    her = await make_referral(sam, named("Priya", "Quayle"))
    found = await sam.post("/api/v1/search", json={"name": "Quayle"})
    assert found.json()["results"][0]["id"] == her
    assert "Quayle" not in caplog.text
    sam_id = await user_id(sessions, "sam.social")
    async with sessions() as session:
        [row] = (await session.scalars(select(Search))).all()
    assert (row.user_id, row.result_count, row.terms) == (sam_id, 1, {"name": "Quayle"})
    [audited] = await audit_rows(sessions, action="search_women")
    assert (audited.actor_user_id, audited.record_id) == (sam_id, str(row.id))
    assert "Quayle" not in str(audited.detail)
    assert (audited.listed, audited.detail) == (uuid.UUID(her).hex, "1 results")
    assert (await sam.get("/api/v1/searches")).status_code == 403
    review = await (await sign_in("lee.lead")).get("/api/v1/searches")
    assert [s["terms"] for s in review.json()] == [{"name": "Quayle"}]
    fiona = await (await sign_in("fiona.lead")).get("/api/v1/searches")
    assert fiona.json() == []


async def test_a_search_is_one_audit_row_and_she_sees_it_listed_her(sign_in: SignIn) -> None:
    sam = await sign_in("sam.social")
    her = await make_referral(sam, named("Nia", "Rhoswen"))
    other = await make_referral(sam, named("Ffion", "Rhoswen"))
    found = (await sam.post("/api/v1/search", json={"name": "rhoswen"})).json()
    assert {r["id"] for r in found["results"]} == {her, other}
    lee = await sign_in("lee.lead")
    for woman in (her, other):
        entries = (await lee.get(f"/api/v1/women/{woman}/audit")).json()
        searched = [e for e in entries if e["action"] == "search_women"]
        assert [(e["name"], e["detail"]) for e in searched] == [("Sam Okafor", "2 results")]
    alone = await make_referral(sam, named("Nia", "Elsewhere"))
    entries = (await lee.get(f"/api/v1/women/{alone}/audit")).json()
    assert "search_women" not in {e["action"] for e in entries}


@pytest.mark.parametrize(
    ("body", "problem"),
    [({}, "her name"), ({"name": "a"}, "two letters"), ({"name": "x", "extra": 1}, "extra")],
)
async def test_a_search_without_terms_is_refused_and_nothing_recorded(
    sign_in: SignIn, sessions: Sessions, body: dict[str, Any], problem: str
) -> None:
    sam = await sign_in("sam.social")
    refused = await sam.post("/api/v1/search", json=body)
    assert refused.status_code == 422
    assert problem in refused.text
    async with sessions() as session:
        assert (await session.scalars(select(Search))).all() == []


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (SearchQuery(name="smith"), "ix_women_search_key"),
        (SearchQuery(name="jane smith"), "ix_women_search_key"),
        (SearchQuery(number="9434765919"), "ix_women_nhs_number ix_women_chi_number"),
        (SearchQuery(date_of_birth=date(1990, 1, 1)), "ix_women_date_of_birth"),
    ],
)
@pytest.mark.usefixtures("demo")
async def test_each_way_of_matching_reads_its_own_index_on_sqlite(
    sessions: Sessions, query: SearchQuery, index: str
) -> None:
    """Without statistics, SQLite would take the policy's or merged records' index to be the
    narrower, and read and sort every record in her area (100,000 in bench.search)."""
    async with sessions() as session:
        if session.get_bind().dialect.name != "sqlite":
            pytest.skip("PostgreSQL plans from its statistics")
        for username in ("lee.lead", "sam.social"):
            user = await session.scalar(select(User).where(User.username == username))
            assert user is not None
            who = await principal_of(session, user, "test")
            # The ways of matching run as one statement; each part reads its own index.
            statement = together(statements(session, who, query))
            sql = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
            plan = await session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            details = " ".join(str(row[-1]) for row in plan)
            assert all(name in details for name in index.split()), (username, details)
            assert "SCAN women" not in details, (username, details)
