"""The baby's days in hospital: a baby moves between the neonatal unit, transitional care and
the ward, shown where she is now; a discharge has a day of its own, and one before the birth
or in the future is refused (422 naming discharged_on) with nothing written."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.situation import baby_place
from rules.uktime import uk_date
from tests.api.conftest import SignIn
from tests.helpers.api import make_referral
from tests.helpers.planning_api import screen, summary
from waymark.db.models import Baby

Sessions = async_sessionmaker[AsyncSession]


async def her_baby(sessions: Sessions, woman_id: str) -> Baby:
    async with sessions() as session:
        baby = await session.scalar(select(Baby).where(Baby.woman_id == uuid.UUID(woman_id)))
    assert baby is not None
    return baby


async def test_a_baby_moves_in_hospital_and_leaves_on_a_day_of_its_own(
    sign_in: SignIn, sessions: Sessions
) -> None:
    mia = await sign_in("mia.midwife")
    woman_id = await make_referral(mia)
    await screen(await sign_in("sam.social"), woman_id, "early_help")
    born = datetime.now(UTC)  # after her referral, not in the future
    base = f"/api/v1/women/{woman_id}"
    birth = {
        "born_at": born.isoformat(),
        "gestation_weeks": 36,
        "babies": [{"location": "neonatal_unit"}],
        "exposure": "opioids_or_polydrug",
    }
    assert (await mia.post(f"{base}/birth", json=birth)).status_code == 201
    baby = await her_baby(sessions, woman_id)
    moves = f"{base}/babies/{baby.id}/location"

    response = await mia.post(moves, json={"location": "transitional_care"})
    assert response.status_code == 200, response.text
    baby = await her_baby(sessions, woman_id)
    assert baby_place(baby.location, baby.placement, False) == "in transitional care"
    response = await mia.post(moves, json={"location": "transitional_care"})
    assert response.status_code == 409
    assert "already there" in response.json()["detail"]
    assert (await mia.post(moves, json={"location": "a_cupboard"})).status_code == 422
    response = await mia.post(moves, json={"location": "with_mother"})
    assert response.status_code == 200, response.text
    assert (await her_baby(sessions, woman_id)).location == "with_mother"
    timeline = [e["summary"] for e in (await summary(mia, woman_id))["timeline"]]
    assert "Baby 1 moved to transitional care" in timeline
    assert "Baby 1 moved to the ward, with her" in timeline

    discharge = f"{base}/babies/{baby.id}/discharge"
    born_on = uk_date(born)
    for day, words in (
        (born_on - timedelta(days=1), "discharged_on: the discharge cannot be before the birth"),
        (born_on + timedelta(days=2), "discharged_on: the discharge cannot be in the future"),
    ):
        response = await mia.post(discharge, json={"discharged_on": day.isoformat()})
        assert response.status_code == 422, response.text
        assert response.json()["detail"] == words
        assert (await her_baby(sessions, woman_id)).discharged_at is None
    response = await mia.post(discharge, json={"discharged_on": born_on.isoformat()})
    assert response.status_code == 200, response.text
    assert (await her_baby(sessions, woman_id)).discharged_at is not None
    timeline = [e["summary"] for e in (await summary(mia, woman_id))["timeline"]]
    left = [s for s in timeline if s.startswith("Baby 1 discharged from hospital on ")]
    assert len(left) == 1
    assert "Warning: this is before the end of the observation advised" in left[0]
    response = await mia.post(moves, json={"location": "neonatal_unit"})
    assert response.status_code == 409  # she has left hospital
