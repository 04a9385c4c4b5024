"""Impossible dates are refused with a 4xx naming the field, and nothing is written: a birth
before her referral, an EDD more than 45 weeks away (on a referral and on a change of EDD), a
discharge before the birth. After each refusal her record, her timeline, her deadlines and tasks,
and the outbox of notices and their deliveries are exactly as they were (only the audit trail,
which records the attempt, grows)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rules.uktime import uk_date
from tests.api.conftest import SignIn
from tests.helpers.api import make_referral
from tests.helpers.planning_api import screen
from tests.helpers.referrals import edd_in, referral_body
from waymark.db.models import (
    Baby,
    Deadline,
    Delivery,
    Duty,
    Meeting,
    Notice,
    Referral,
    SupportEpisode,
    Task,
    TimelineEvent,
    Woman,
)

Sessions = async_sessionmaker[AsyncSession]
# Everything a command could write about her: her record, timeline, clocks, work and outbox.
WRITTEN = [
    Woman,
    Referral,
    TimelineEvent,
    Deadline,
    Duty,
    Task,
    Notice,
    Delivery,
    Meeting,
    Baby,
    SupportEpisode,
]


async def everything(sessions: Sessions) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a command could write, column by column, in a stable order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with sessions() as session:
        for model in WRITTEN:
            columns = [column.key for column in inspect(model).columns]
            rows = await session.scalars(select(model))
            found[model.__name__] = sorted(
                tuple(str(getattr(row, column)) for column in columns) for row in rows
            )
    return found


def refused_naming(response: httpx.Response, field: str, words: str) -> None:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail.startswith(f"{field}: "), detail
    assert words in detail, detail


async def test_a_birth_before_her_referral_changes_nothing(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    mia = await sign_in("mia.midwife")
    woman_id = await make_referral(mia)
    await screen(await sign_in("sam.social"), woman_id, "pre_birth_assessment")
    before = await everything(sessions)
    body = {
        "born_at": (now - timedelta(days=3)).isoformat(),
        "gestation_weeks": 38,
        "babies": [{"location": "with_mother"}],
    }
    response = await mia.post(f"/api/v1/women/{woman_id}/birth", json=body)
    refused_naming(response, "born_at", "the birth cannot be before her referral")
    assert await everything(sessions) == before


async def test_an_edd_more_than_45_weeks_away_changes_nothing(
    sign_in: SignIn, sessions: Sessions
) -> None:
    mia = await sign_in("mia.midwife")
    woman_id = await make_referral(mia)
    sam = await sign_in("sam.social")
    await screen(sam, woman_id, "pre_birth_assessment")
    before = await everything(sessions)

    far = await sam.post(
        f"/api/v1/women/{woman_id}/edd", json={"edd": edd_in(7 * 45 + 1), "reason": "Scan"}
    )
    refused_naming(far, "edd", "45 weeks")
    referral = await mia.post(
        "/api/v1/referrals", json=referral_body(pregnancy={"edd": edd_in(7 * 45 + 1)})
    )
    assert referral.status_code == 422, referral.text
    assert "pregnancy.edd" in referral.text
    assert "more than 45 weeks" in referral.text
    assert await everything(sessions) == before


async def test_a_discharge_before_the_birth_changes_nothing(
    sign_in: SignIn, sessions: Sessions
) -> None:
    mia = await sign_in("mia.midwife")
    woman_id = await make_referral(mia)
    await screen(await sign_in("sam.social"), woman_id, "early_help")
    born = datetime.now(UTC)  # after her referral, not in the future
    base = f"/api/v1/women/{woman_id}"
    birth = {
        "born_at": born.isoformat(),
        "gestation_weeks": 37,
        "babies": [{"location": "neonatal_unit"}],
        "exposure": "opioids_or_polydrug",
    }
    assert (await mia.post(f"{base}/birth", json=birth)).status_code == 201
    async with sessions() as session:
        baby_id = await session.scalar(select(Baby.id).where(Baby.woman_id == uuid.UUID(woman_id)))
    before = await everything(sessions)
    response = await mia.post(
        f"{base}/babies/{baby_id}/discharge",
        json={"discharged_on": (uk_date(born) - timedelta(days=1)).isoformat()},
    )
    refused_naming(response, "discharged_on", "the discharge cannot be before the birth")
    assert await everything(sessions) == before
