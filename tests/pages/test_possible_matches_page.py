"""Intake through the pages: a second referral for her joins her record, and a referral that may
be hers waits on the possible-matches page for her team to confirm or reject, with a reason."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.helpers.referrals import fresh_nhs_number
from tests.pages.conftest import Browse
from tests.pages.flows import refer, referral_fields
from tests.pages.html import Doc
from waymark.db.models import PossibleMatch, Referral, Woman

Sessions = async_sessionmaker[AsyncSession]


async def count(sessions: Sessions, model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_second_referral_for_her_joins_her_record(
    browse: Browse, sessions: Sessions
) -> None:
    sam = await browse("sam.social")
    nhs = fresh_nhs_number()
    first = await refer(sam, **{"woman.nhs_number": nhs})
    again = await sam.submit("/referrals/new", referral_fields(**{"woman.nhs_number": nhs}))
    assert again.status_code == 303
    assert again.headers["location"].startswith(f"/referrals/sent/{first}?")
    page = await sam.page(again.headers["location"])
    assert "already has a record" in " ".join(page.texts("referral-sent"))
    assert await count(sessions, Woman) == 1
    assert await count(sessions, Referral) == 2


async def test_a_possible_match_is_confirmed_on_the_page(
    browse: Browse, sessions: Sessions
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    held = await sam.submit("/referrals/new", referral_fields(**{"woman.nhs_number": ""}))
    assert held.headers["location"] == "/referrals/received?outcome=possible_match_to_check"
    told = await sam.page(held.headers["location"])
    assert "will check and confirm" in " ".join(told.texts("referral-received"))

    doc = await sam.page("/possible-matches")
    assert len(doc.texts("possible-match")) == 1
    match_id = (await _only(sessions)).id
    action = f"/possible-matches/{match_id}"
    no_reason = await sam.submit(
        "/possible-matches", {"decision": "confirm", "reason": ""}, form_action=action
    )
    assert no_reason.status_code == 422
    assert Doc(no_reason.text).texts("error-reason") == ["Error: Give a reason"]
    done = await sam.submit(
        "/possible-matches",
        {"decision": "confirm", "reason": "Same address and midwife"},
        form_action=action,
    )
    assert done.status_code == 303, done.text[:500]
    assert done.headers["location"] == f"/women/{woman_id}"
    assert (await _only(sessions)).status == "confirmed"
    assert await count(sessions, Woman) == 1
    assert await count(sessions, Referral) == 2
    empty = await sam.page("/possible-matches")
    assert empty.texts("no-possible-matches")


async def _only(sessions: Sessions) -> PossibleMatch:
    async with sessions() as session:
        [row] = (await session.scalars(select(PossibleMatch))).all()
    return row
