"""`GET /api/v1/me/duties`: each person's open duties (hers, and her team's), overdue first
then soonest due, paged, audited once a view; nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import SignIn
from tests.helpers.planning import rows
from tests.oversight.builders import make_woman, owe
from waymark.db.base import utcnow
from waymark.db.models import AuditEvent

Sessions = async_sessionmaker[AsyncSession]


@pytest.mark.parametrize("username", ["sam.social", "ava.advocate", "nadia.advocate", "lee.lead"])
async def test_each_person_sees_what_she_owes_overdue_first(
    sign_in: SignIn, sessions: Sessions, username: str
) -> None:
    woman = await make_woman(sessions)
    now = utcnow()
    later = await owe(sessions, woman, "review", now + timedelta(days=2), owed_by=username)
    overdue = await owe(sessions, woman, "contact", now - timedelta(days=1), owed_by=username)
    someone_else = "ola.social" if username != "ola.social" else "sam.social"
    await owe(sessions, woman, "advocate", now - timedelta(days=3), owed_by=someone_else)
    person = await sign_in(username)
    first = await person.get("/api/v1/me/duties", params={"limit": 1})
    assert first.status_code == 200, first.text
    assert [d["id"] for d in first.json()["duties"]] == [str(overdue)]
    assert first.json()["duties"][0]["dropped"] is True
    second = await person.get("/api/v1/me/duties", params={"after": first.json()["next"]})
    assert [d["id"] for d in second.json()["duties"]] == [str(later)]
    assert second.json()["next"] is None
    views = await rows(sessions, AuditEvent, action="view_my_duties")
    assert [v.listed for v in views] == [woman.hex, woman.hex]


async def test_her_teams_duties_are_hers_too(sign_in: SignIn, sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    team_duty = await owe(
        sessions, woman, "named_worker", utcnow() - timedelta(hours=2), owed_by=None
    )
    sam = await sign_in("sam.social")
    listed = (await sam.get("/api/v1/me/duties")).json()["duties"]
    assert [d["id"] for d in listed] == [str(team_duty)]
    ava = await sign_in("ava.advocate")  # another organisation
    assert (await ava.get("/api/v1/me/duties")).json()["duties"] == []
    bad = await sam.get("/api/v1/me/duties", params={"after": "nonsense"})
    assert bad.status_code == 422
