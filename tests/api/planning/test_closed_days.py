"""No meeting on a weekend or a bank holiday of the woman's area, through the JSON API: a 409
that names the date, and nothing written. England and Scotland keep different bank holidays.

The refusal is made by her pathway's scheduling validator (one path for the API, the pages and
every other client), which calls `rules.closed_days.refuse_closed_day`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.area import england_rules, scotland_rules
from rules.calendar import WorkingCalendar
from rules.uktime import uk_date
from tests.api.conftest import SignIn
from tests.helpers.api import glenbrae_referral_body, make_referral
from tests.helpers.planning import count
from tests.helpers.planning_api import meeting_body, refused, summary, to_conference
from waymark.db.models import Meeting, Notice

Sessions = async_sessionmaker[AsyncSession]
ENGLAND = WorkingCalendar(england_rules())
SCOTLAND = WorkingCalendar(scotland_rules())
LATE = "The first date all the agencies can attend"


def _days_to(now: datetime, wanted: Any, start: int = 7) -> tuple[int, date]:
    """Days from now to the first day at least `start` days ahead that is `wanted`."""
    today = uk_date(now)
    for days in range(start, start + 800):
        if wanted(today + timedelta(days=days)):
            return days, today + timedelta(days=days)
    raise AssertionError("no such day in two years")


def _spoken(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


async def _written(sessions: Sessions) -> tuple[int, int]:
    return await count(sessions, Meeting), await count(sessions, Notice)


async def _conferring(sign_in: SignIn, now: datetime, *, scotland: bool) -> tuple[Any, str]:
    """Her social worker, and her id once her strategy discussion has decided to confer."""
    if scotland:
        woman_id = await make_referral(await sign_in("ewan.midwife"), glenbrae_referral_body())
        chair = await sign_in("iona.social")
    else:
        woman_id = await make_referral(await sign_in("mia.midwife"))
        chair = await sign_in("sam.social")
    await to_conference(chair, woman_id, uk_date(now))
    return chair, woman_id


async def _schedule(client: httpx.AsyncClient, woman_id: str, body: dict[str, Any]) -> Any:
    return await client.post(f"/api/v1/women/{woman_id}/meetings", json=body)


async def test_a_conference_on_a_saturday_is_refused_naming_the_date(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    sam, woman_id = await _conferring(sign_in, now, scotland=False)
    days, saturday = _days_to(now, lambda day: day.weekday() == 5)
    before = await _written(sessions)

    response = await _schedule(
        sam, woman_id, meeting_body(now, days, any_day=True, late_reason=LATE)
    )

    refused(response, 409, f"{_spoken(saturday)} is a weekend", "Choose another date")
    assert await _written(sessions) == before
    assert (await summary(sam, woman_id))["meetings"] == []


async def test_a_conference_on_an_english_bank_holiday_is_refused_in_england(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    sam, woman_id = await _conferring(sign_in, now, scotland=False)
    days, holiday = _days_to(now, lambda day: day.weekday() < 5 and not ENGLAND.is_working_day(day))
    before = await _written(sessions)

    response = await _schedule(
        sam, woman_id, meeting_body(now, days, any_day=True, late_reason=LATE)
    )

    refused(response, 409, f"{_spoken(holiday)} is ", "a bank holiday in England")
    assert await _written(sessions) == before


async def test_a_scottish_bank_holiday_is_refused_in_scotland_and_open_in_england(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    """St Andrew's Day or 2 January (or their substitute days): Scotland's only."""
    days, holiday = _days_to(
        now, lambda day: ENGLAND.is_working_day(day) and not SCOTLAND.is_working_day(day)
    )
    iona, glenbrae = await _conferring(sign_in, now, scotland=True)
    before = await _written(sessions)

    in_scotland = await _schedule(
        iona, glenbrae, meeting_body(now, days, any_day=True, late_reason=LATE)
    )

    refused(in_scotland, 409, f"{_spoken(holiday)} is ", "a bank holiday in Scotland")
    assert "Glenbrae Council" in in_scotland.json()["detail"]
    assert await _written(sessions) == before
    sam, northmoor = await _conferring(sign_in, now, scotland=False)
    in_england = await _schedule(
        sam, northmoor, meeting_body(now, days, any_day=True, late_reason=LATE)
    )
    assert in_england.status_code == 201, in_england.text


async def test_a_meeting_the_area_allows_on_closed_days_is_scheduled(
    sign_in: SignIn, now: datetime
) -> None:
    """Her own health appointments may fall at a weekend (the default rules allow them)."""
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    days, _ = _days_to(now, lambda day: day.weekday() == 6)

    response = await _schedule(
        sam, woman_id, meeting_body(now, days, any_day=True, kind="appointment")
    )

    assert response.status_code == 201, response.text
