"""Pre-birth planning through the API: the care co-ordinator, the strategy discussion and EDD
changes, each refusal with its status and message, and nothing written when refused."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.clocks import Deadline
from rules.clocks import compute_deadlines
from rules.uktime import uk_date
from tests.api.conftest import SignIn
from tests.helpers.api import glenbrae_referral_body, make_referral, user_id
from tests.helpers.planning import count
from tests.helpers.planning_api import (
    CONFERENCE_DUE,
    ENGLAND_QUORATE,
    after_the_meeting,
    conference,
    deadline_called,
    meeting_body,
    outcome,
    refused,
    scheduled_conference,
    screen,
    strategy_discussion,
    summary,
    to_conference,
)
from waymark.areas import get_area
from waymark.db.models import Conference, TimelineEvent
from waymark.db.models import Deadline as DeadlineRow

Sessions = async_sessionmaker[AsyncSession]


async def test_a_social_worker_of_her_team_names_her_coordinator(
    sign_in: SignIn, sessions: Sessions
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    assert (await summary(sam, woman_id))["coordinator"] is None

    response = await sam.post(
        f"/api/v1/women/{woman_id}/coordinator",
        json={"user_id": str(await user_id(sessions, "sam.social"))},
    )

    assert response.status_code == 200, response.text
    woman = await summary(sam, woman_id)
    assert woman["coordinator"] == "Sam Okafor"
    assert "coordinator_assigned" in [e["kind"] for e in woman["timeline"]]


@pytest.mark.parametrize(
    "candidate",
    [
        pytest.param("mia.midwife", id="a-practitioner"),
        pytest.param("iona.social", id="a-social-worker-of-another-team"),
        pytest.param(None, id="nobody-known"),
    ],
)
async def test_the_coordinator_must_be_a_social_worker_in_her_team(
    sign_in: SignIn, sessions: Sessions, candidate: str | None
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    chosen = await user_id(sessions, candidate) if candidate else uuid.uuid4()
    events = await count(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id))

    response = await sam.post(
        f"/api/v1/women/{woman_id}/coordinator", json={"user_id": str(chosen)}
    )

    refused(response, 422, "must be a social worker in her team")
    assert (await summary(sam, woman_id))["coordinator"] is None
    assert await count(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id)) == events


@pytest.mark.parametrize(
    ("username", "status"),
    [
        pytest.param("ava.advocate", 403, id="an-advocate-403"),
        pytest.param("mia.midwife", 403, id="a-practitioner-403"),
        pytest.param("iona.social", 404, id="a-social-worker-of-another-team-404"),
    ],
)
async def test_only_her_teams_social_workers_may_name_a_coordinator(
    sign_in: SignIn, sessions: Sessions, username: str, status: int
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam_id = await user_id(sessions, "sam.social")

    response = await (await sign_in(username)).post(
        f"/api/v1/women/{woman_id}/coordinator", json={"user_id": str(sam_id)}
    )

    assert response.status_code == status, response.text
    if status == 404:
        assert response.json() == {"detail": "no such woman's record"}
    assert (await summary(await sign_in("sam.social"), woman_id))["coordinator"] is None


async def test_a_strategy_discussion_deciding_to_confer_starts_the_conference(
    sign_in: SignIn, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id)

    response = await strategy_discussion(sam, woman_id, uk_date(now))

    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True, "stage": "conference"}
    found = await conference(sam, woman_id, "to_schedule")
    woman = await summary(sam, woman_id)
    assert woman["stage"] == "conference"
    assert found["kind"] == "initial"
    # The conference knows the statutory latest date her pathway's clock watches.
    assert found["statutory_latest"] == deadline_called(woman, CONFERENCE_DUE)["due"]
    assert deadline_called(woman, "Strategy discussion held")["status"] == "met"


async def test_assessment_only_moves_her_back_to_the_assessment_without_a_conference(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id)

    response = await strategy_discussion(sam, woman_id, uk_date(now), "assessment_only")

    assert response.json() == {"ok": True, "stage": "pre_birth_assessment"}
    assert (await summary(sam, woman_id))["conferences"] == []
    assert await count(sessions, Conference) == 0


async def test_a_strategy_discussion_in_the_future_is_refused(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id)
    events = await count(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id))

    response = await strategy_discussion(sam, woman_id, uk_date(now) + timedelta(days=1))

    refused(response, 409, "the strategy discussion date is in the future")
    woman = await summary(sam, woman_id)
    assert woman["stage"] == "strategy_discussion"
    assert deadline_called(woman, "Strategy discussion held")["status"] == "pending"
    assert await count(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id)) == events
    assert await count(sessions, Conference) == 0


async def test_a_concern_after_the_strategy_discussion_is_refused(
    sign_in: SignIn, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id)
    held_on = uk_date(now) - timedelta(days=2)

    response = await strategy_discussion(
        sam, woman_id, held_on, concern_on=(held_on + timedelta(days=1)).isoformat()
    )

    refused(response, 409, "the concern cannot be after the strategy discussion")


async def test_a_strategy_discussion_is_recorded_once(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id)
    first = await strategy_discussion(sam, woman_id, uk_date(now), "assessment_only")
    assert first.status_code == 200, first.text
    events = await count(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id))

    again = await strategy_discussion(sam, woman_id, uk_date(now), "conference")

    refused(again, 409, "the strategy discussion is already recorded")
    assert (await summary(sam, woman_id))["stage"] == "pre_birth_assessment"
    assert await count(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id)) == events
    assert await count(sessions, Conference) == 0


async def test_a_second_strategy_discussion_after_one_decided_to_confer_is_refused(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await to_conference(sam, woman_id, uk_date(now))

    again = await strategy_discussion(sam, woman_id, uk_date(now))

    refused(again, 409, "cannot be recorded at 'conference'")
    assert await count(sessions, Conference) == 1


async def test_a_strategy_discussion_before_screening_is_refused(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    events = await count(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id))

    response = await strategy_discussion(sam, woman_id, uk_date(now))

    refused(response, 409, "cannot be recorded at 'screening'")
    woman = await summary(sam, woman_id)
    assert (woman["stage"], woman["deadlines"], woman["conferences"]) == ("screening", [], [])
    assert await count(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id)) == events


async def test_scotland_counts_the_conference_deadline_in_calendar_days(
    sign_in: SignIn, now: datetime
) -> None:
    """England: 15 working days after the strategy discussion; Scotland: 28 (calendar) days."""
    today = uk_date(now)
    northmoor = await make_referral(await sign_in("mia.midwife"))
    glenbrae = await make_referral(await sign_in("ewan.midwife"), glenbrae_referral_body())
    sam, iona = await sign_in("sam.social"), await sign_in("iona.social")
    await to_conference(sam, northmoor, today)
    await to_conference(iona, glenbrae, today)

    england_woman, scotland_woman = await summary(sam, northmoor), await summary(iona, glenbrae)
    england = deadline_called(england_woman, CONFERENCE_DUE)
    scotland = deadline_called(scotland_woman, "Pre-birth child protection planning meeting held")

    expected = {
        area: _initial_conference(area, today, date.fromisoformat(woman["edd"]))
        for area, woman in (("northmoor", england_woman), ("glenbrae", scotland_woman))
    }
    assert "15 working days after the strategy discussion" in expected["northmoor"].basis
    assert "28 days after the Inter-agency Referral Discussion (IRD)" in expected["glenbrae"].basis
    assert england["due"] == expected["northmoor"].due.isoformat()
    assert scotland["due"] == expected["glenbrae"].due.isoformat()
    assert scotland["due"] == (today + timedelta(days=28)).isoformat()
    # Each basis names the initial conference date its own nation's rule gave.
    assert f"the initial conference date ({england['due']})" in england["basis"]
    assert (
        f"the initial child protection planning meeting date ({scotland['due']})"
        in (scotland["basis"])
    )
    assert england["due"] != scotland["due"]


def _initial_conference(area: str, strategy_discussion: date, edd: date) -> Deadline:
    """What the area's rules say the initial conference date is (the pure rule)."""
    deadlines = compute_deadlines(
        get_area(area),
        edd=edd,
        concern=strategy_discussion,
        strategy_discussion=strategy_discussion,
    )
    [initial] = [d for d in deadlines if d.key == "initial_conference"]
    return initial


@pytest.mark.parametrize(
    "days",
    [
        pytest.param(-15, id="more-than-14-days-ago"),
        pytest.param(7 * 45 + 1, id="over-45-weeks-ahead"),
    ],
)
async def test_an_edd_out_of_range_is_refused(
    sign_in: SignIn, sessions: Sessions, now: datetime, days: int
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id, "pre_birth_assessment")
    before = await summary(sam, woman_id)
    events = await count(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id))

    response = await sam.post(
        f"/api/v1/women/{woman_id}/edd",
        json={"edd": (uk_date(now) + timedelta(days=days)).isoformat(), "reason": "Dating scan"},
    )

    refused(response, 422, "edd: the EDD must be between 14 days ago and 45 weeks from today")
    after = await summary(sam, woman_id)
    assert (after["edd"], after["deadlines"]) == (before["edd"], before["deadlines"])
    assert await count(sessions, TimelineEvent, woman_id=uuid.UUID(woman_id)) == events


@pytest.mark.parametrize(
    "reason",
    [pytest.param({}, id="missing"), pytest.param({"reason": "   "}, id="blank")],
)
async def test_an_edd_change_needs_its_reason(
    sign_in: SignIn, now: datetime, reason: dict[str, str]
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    before = (await summary(sam, woman_id))["edd"]
    new_edd = (uk_date(now) + timedelta(days=120)).isoformat()

    response = await sam.post(f"/api/v1/women/{woman_id}/edd", json={"edd": new_edd, **reason})

    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["problems"]] == ["reason"]
    assert (await summary(sam, woman_id))["edd"] == before


async def test_a_new_edd_moves_her_conference_deadline(sign_in: SignIn, sessions: Sessions) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id, "pre_birth_assessment")
    before = await summary(sam, woman_id)
    due = deadline_called(before, CONFERENCE_DUE)
    earlier = date.fromisoformat(before["edd"]) - timedelta(days=21)

    response = await sam.post(
        f"/api/v1/women/{woman_id}/edd",
        json={"edd": earlier.isoformat(), "reason": "Dating scan at 20 weeks"},
    )

    assert response.status_code == 200, response.text
    after = await summary(sam, woman_id)
    moved = deadline_called(after, CONFERENCE_DUE)
    assert after["edd"] == earlier.isoformat()
    # No strategy discussion yet, so the deadline is 28 weeks' gestation: it moves with the EDD.
    assert date.fromisoformat(moved["due"]) == date.fromisoformat(due["due"]) - timedelta(days=21)
    assert moved["id"] == due["id"]
    assert await count(sessions, DeadlineRow, deadline="conference_due") == 1


async def test_an_edd_change_leaves_the_review_conference_date_alone(
    sign_in: SignIn, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    """The first review is due 3 months after the initial conference, whatever the EDD."""
    conf = await scheduled_conference(sign_in, now)
    await after_the_meeting(clock_env, conf)
    later = await clock_env.get_current_time()
    decision = outcome(ENGLAND_QUORATE, plan=True, category="neglect")
    assert (await conf.chair.post(conf.url("outcome"), json=decision)).status_code == 200
    assert (
        await conf.chair.post(conf.url("minutes"), json={"text": "Minutes."})
    ).status_code == 200
    held = {"held_on": uk_date(later).isoformat()}
    assert (await conf.chair.post(conf.url("core-group"), json=held)).status_code == 200
    review = await conference(conf.chair, conf.woman_id, "to_schedule")
    assert review["kind"] == "review"
    edd = date.fromisoformat((await summary(conf.chair, conf.woman_id))["edd"])

    changed = await conf.chair.post(
        f"/api/v1/women/{conf.woman_id}/edd",
        json={"edd": (edd - timedelta(days=7)).isoformat(), "reason": "Growth scan"},
    )

    assert changed.status_code == 200, changed.text
    # A review a month from now is well within its 3 months: no reason for lateness is needed.
    body = meeting_body(later, 30, kind="review_conference")
    scheduled = await conf.chair.post(f"/api/v1/women/{conf.woman_id}/meetings", json=body)
    assert scheduled.status_code == 201, scheduled.text
    shown = await conference(conf.chair, conf.woman_id, "scheduled", review["id"])
    assert shown["statutory_latest"] == review["statutory_latest"]
