"""The conference through the API: agency reports, the outcome in each nation's terms and its
letter, quorum, minutes and the first core group; each refusal changes nothing."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from api.women import DOCUMENT_CSP
from rules.uktime import uk_date
from tests.api.conftest import SignIn
from tests.helpers.api import make_referral
from tests.helpers.planning import count, eventually, rows
from tests.helpers.planning_api import (
    ENGLAND_QUORATE,
    MEETING_IN_DAYS,
    SCOTLAND_QUORATE,
    after_the_meeting,
    conference,
    meeting_body,
    outcome,
    refused,
    scheduled_conference,
    summary,
    to_conference,
)
from tests.helpers.referrals import referral_body
from waymark.db.models import AgencyReport, Document, Involvement, Meeting, Notice, Organisation

Sessions = async_sessionmaker[AsyncSession]


async def _documents(sessions: Sessions, kind: str = "decision_letter") -> int:
    return await count(sessions, Document, kind=kind)


async def test_an_invited_agency_submits_its_report_once(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    conf = await scheduled_conference(sign_in, now)
    midwife = await sign_in("mia.midwife")
    report = {"summary": "She attends every antenatal appointment."}

    first = await midwife.post(conf.url("reports"), json=report)
    again = await midwife.post(conf.url("reports"), json=report)

    assert first.status_code == 201, first.text
    refused(again, 409, "this agency's report is already in")
    [row] = await rows(sessions, AgencyReport, conference_id=uuid.UUID(conf.conference_id))
    [maternity] = await rows(sessions, Organisation, code="northmoor-maternity")
    assert (row.organisation_id, row.summary) == (maternity.id, report["summary"])
    timeline = (await summary(conf.chair, conf.woman_id))["timeline"]
    assert [e["kind"] for e in timeline].count("report_received") == 1


async def test_a_social_worker_does_not_submit_agency_reports(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    conf = await scheduled_conference(sign_in, now)

    response = await conf.chair.post(conf.url("reports"), json={"summary": "Our report"})

    refused(response, 403, "reports are submitted by the invited agencies' practitioners")
    assert await count(sessions, AgencyReport) == 0


async def test_an_agency_not_invited_cannot_report(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    """Not in treatment, so the drug service was not invited. It joins her care afterwards (no
    route adds an agency yet, so the row is written here): it may see her, but owes no report."""
    not_in_treatment = referral_body(
        concerns={"substances": ["cannabis"], "in_drug_treatment": False}
    )
    conf = await scheduled_conference(sign_in, now, referral=not_in_treatment)
    [drug_service] = await rows(sessions, Organisation, code="northmoor-recovery")
    async with sessions.begin() as session:
        session.add(
            Involvement(
                woman_id=uuid.UUID(conf.woman_id), organisation_id=drug_service.id, reason="test"
            )
        )

    response = await (await sign_in("dev.drugs")).post(
        conf.url("reports"), json={"summary": "Our report"}
    )

    refused(response, 409, "this agency is not asked for a report")
    assert await count(sessions, AgencyReport) == 0


async def test_reports_wait_until_the_conference_is_scheduled(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    conference_id = await to_conference(await sign_in("sam.social"), woman_id, uk_date(now))

    response = await (await sign_in("mia.midwife")).post(
        f"/api/v1/women/{woman_id}/conferences/{conference_id}/reports",
        json={"summary": "Our report"},
    )

    refused(response, 409, "once the conference is scheduled")
    assert await count(sessions, AgencyReport) == 0


async def test_a_conference_of_another_woman_is_not_found(sign_in: SignIn, now: datetime) -> None:
    conf = await scheduled_conference(sign_in, now)
    other = await make_referral(await sign_in("mia.midwife"))

    response = await conf.chair.post(
        f"/api/v1/women/{other}/conferences/{conf.conference_id}/outcome",
        json=outcome(ENGLAND_QUORATE, plan=False),
    )

    refused(response, 404, "no such conference for her")


async def test_the_outcome_waits_for_the_meeting_day(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    conf = await scheduled_conference(sign_in, now)

    response = await conf.chair.post(
        conf.url("outcome"), json=outcome(ENGLAND_QUORATE, plan=True, category="neglect")
    )

    refused(response, 409, "the conference has not happened yet")
    assert (await conference(conf.chair, conf.woman_id, "scheduled"))["plan"] is None
    assert await _documents(sessions) == 0


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        pytest.param(
            {}, "record whether the conference decided on a child protection plan", id="no-decision"
        ),
        pytest.param(
            {"plan": True}, "a child protection plan needs its category", id="plan-without-category"
        ),
        pytest.param(
            {"plan": True, "category": "neglect", "areas_of_concern": ["Parental drug use"]},
            "areas of concern are recorded in Scotland",
            id="with-areas-of-concern",
        ),
        pytest.param(
            {"plan": False, "category": "neglect"},
            "a category is recorded only with a child protection plan",
            id="category-without-plan",
        ),
    ],
)
async def test_england_decides_a_plan_with_its_category(
    sign_in: SignIn,
    sessions: Sessions,
    clock_env: WorkflowEnvironment,
    now: datetime,
    decision: dict[str, Any],
    message: str,
) -> None:
    conf = await scheduled_conference(sign_in, now)
    await after_the_meeting(clock_env, conf)

    response = await conf.chair.post(conf.url("outcome"), json=outcome(ENGLAND_QUORATE, **decision))

    refused(response, 409, message)
    assert (await conference(conf.chair, conf.woman_id, "scheduled"))["plan"] is None
    assert await _documents(sessions) == 0
    [meeting] = await rows(sessions, Meeting, id=uuid.UUID(conf.meeting_id))
    assert meeting.status == "scheduled"


async def test_england_plan_then_minutes_and_core_group_close_the_conference(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    conf = await scheduled_conference(sign_in, now)
    await after_the_meeting(clock_env, conf)
    today = uk_date(await clock_env.get_current_time())
    early = await conf.chair.post(conf.url("core-group"), json={"held_on": today.isoformat()})
    refused(early, 409, "a first core group follows a decision to make a plan")
    early = await conf.chair.post(conf.url("minutes"), json={"text": "Minutes."})
    refused(early, 409, "minutes are recorded once, after the decision")

    decided = await conf.chair.post(
        conf.url("outcome"), json=outcome(ENGLAND_QUORATE, plan=True, category="neglect")
    )

    assert decided.json() == {"ok": True, "phase": "decided"}
    woman = await summary(conf.chair, conf.woman_id)
    [letter] = [d for d in woman["documents"] if d["kind"] == "decision_letter"]
    html = (await conf.chair.get(f"/api/v1/women/{conf.woman_id}/documents/{letter['id']}")).text
    assert "child protection plan" in html
    assert "neglect" in html.lower()

    async def on_a_plan() -> bool:
        return (await summary(conf.chair, conf.woman_id))["stage"] == "child_protection_plan"

    await eventually(on_a_plan)
    minutes = await conf.chair.post(conf.url("minutes"), json={"text": "Minutes of the meeting."})
    assert minutes.status_code == 200, minutes.text
    again = await conf.chair.post(conf.url("minutes"), json={"text": "Other minutes."})
    refused(again, 409, "minutes are recorded once, after the decision")
    tomorrow = (today + timedelta(days=1)).isoformat()
    future = await conf.chair.post(conf.url("core-group"), json={"held_on": tomorrow})
    refused(future, 409, "the core group date is in the future")
    before = (today - timedelta(days=MEETING_IN_DAYS + 1)).isoformat()
    too_early = await conf.chair.post(conf.url("core-group"), json={"held_on": before})
    refused(too_early, 409, "the core group cannot be before the conference")
    refused_timeline = (await summary(conf.chair, conf.woman_id))["timeline"]
    assert "core_group_held" not in [e["kind"] for e in refused_timeline]

    held = await conf.chair.post(conf.url("core-group"), json={"held_on": today.isoformat()})

    assert held.status_code == 200, held.text
    await conference(conf.chair, conf.woman_id, "closed", conf.conference_id)
    # Her first review conference follows, waiting for its date.
    review = await conference(conf.chair, conf.woman_id, "to_schedule")
    assert (review["kind"], review["id"] != conf.conference_id) == ("review", True)
    timeline = [e["kind"] for e in (await summary(conf.chair, conf.woman_id))["timeline"]]
    assert timeline.count("core_group_held") == 1
    assert timeline.count("minutes_recorded") == 1
    # The review is due 3 months after the conference: a date a month away needs no reason.
    body = meeting_body(await clock_env.get_current_time(), 30, kind="review_conference")
    redated = await conf.chair.post(f"/api/v1/women/{conf.woman_id}/meetings", json=body)
    assert redated.status_code == 201, redated.text
    await conference(conf.chair, conf.woman_id, "scheduled", review["id"])


async def test_an_inquorate_conference_goes_back_to_be_scheduled(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    conf = await scheduled_conference(sign_in, now)
    await after_the_meeting(clock_env, conf)
    without_midwifery = ["children_social_care", "drug_treatment", "police"]

    response = await conf.chair.post(
        conf.url("outcome"), json=outcome(without_midwifery, plan=True, category="neglect")
    )

    assert response.json() == {"ok": True, "phase": "to_schedule"}
    found = await conference(conf.chair, conf.woman_id, "to_schedule")
    assert found["plan"] is None
    [meeting] = (await summary(conf.chair, conf.woman_id))["meetings"]
    assert meeting["status"] == "inquorate"
    assert await _documents(sessions) == 0


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        pytest.param({}, "record whether the conference decided on registration", id="no-decision"),
        pytest.param(
            {"plan": True, "category": "neglect", "areas_of_concern": ["Parental drug use"]},
            "Scotland records areas of concern, not a category",
            id="with-a-category",
        ),
        pytest.param(
            {"plan": True}, "registration needs the areas of concern", id="registered-without-areas"
        ),
    ],
)
async def test_scotland_refuses_a_decision_in_englands_terms(
    sign_in: SignIn,
    sessions: Sessions,
    clock_env: WorkflowEnvironment,
    now: datetime,
    decision: dict[str, Any],
    message: str,
) -> None:
    conf = await scheduled_conference(sign_in, now, scotland=True)
    await after_the_meeting(clock_env, conf)

    response = await conf.chair.post(
        conf.url("outcome"), json=outcome(SCOTLAND_QUORATE, **decision)
    )

    refused(response, 409, message)
    assert (await conference(conf.chair, conf.woman_id, "scheduled"))["plan"] is None
    assert await _documents(sessions) == 0


async def test_scotland_registers_her_baby_with_a_letter_in_scotlands_words(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    conf = await scheduled_conference(sign_in, now, scotland=True)
    await after_the_meeting(clock_env, conf)

    response = await conf.chair.post(
        conf.url("outcome"),
        json=outcome(SCOTLAND_QUORATE, plan=True, areas_of_concern=["Parental drug use"]),
    )

    assert response.json() == {"ok": True, "phase": "decided"}
    woman = await summary(conf.chair, conf.woman_id)
    [letter] = [d for d in woman["documents"] if d["kind"] == "decision_letter"]
    assert letter["audience"] == "woman"
    url = f"/api/v1/women/{conf.woman_id}/documents/{letter['id']}"
    document = await conf.chair.get(url)
    assert document.status_code == 200, document.text
    assert document.headers["content-type"].startswith("text/html")
    assert document.headers["content-security-policy"] == DOCUMENT_CSP
    assert "child protection register" in document.text
    assert "Parental drug use" in document.text
    assert "category" not in document.text.lower()
    for outsider in ("sam.social", "kirsty.advocate"):
        hidden = await (await sign_in(outsider)).get(url)
        refused(hidden, 404, "no such woman's record")
        assert "register" not in hidden.text


# Her pathway never learns that a conference meeting was held or inquorate (its
# conference_progress handler ignores the meeting), so it still counts the meeting as scheduled.
async def test_a_held_conference_meeting_cannot_be_cancelled(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    conf = await scheduled_conference(sign_in, now)
    await after_the_meeting(clock_env, conf)
    decided = await conf.chair.post(
        conf.url("outcome"), json=outcome(ENGLAND_QUORATE, plan=True, category="neglect")
    )
    assert decided.json()["phase"] == "decided"
    notices = await count(sessions, Notice)

    response = await conf.chair.post(
        f"/api/v1/women/{conf.woman_id}/meetings/{conf.meeting_id}/cancel",
        json={"reason": "Entered by mistake"},
    )

    refused(response, 409, "there is no scheduled meeting with that id to cancel")
    assert await count(sessions, Notice) == notices
    [meeting] = await rows(sessions, Meeting, id=uuid.UUID(conf.meeting_id))
    assert meeting.status == "held"
    assert (await conference(conf.chair, conf.woman_id, "decided"))["plan"] is True


async def test_an_inquorate_conference_is_redated_with_a_new_meeting(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment, now: datetime
) -> None:
    conf = await scheduled_conference(sign_in, now)
    await after_the_meeting(clock_env, conf)
    without_midwifery = ["children_social_care", "drug_treatment", "police"]
    inquorate = await conf.chair.post(
        conf.url("outcome"), json=outcome(without_midwifery, plan=False)
    )
    assert inquorate.json()["phase"] == "to_schedule"
    later = await clock_env.get_current_time()

    response = await conf.chair.post(
        f"/api/v1/women/{conf.woman_id}/meetings", json=meeting_body(later, 7)
    )

    assert response.status_code == 201, response.text
    statuses = {
        m["id"]: m["status"] for m in (await summary(conf.chair, conf.woman_id))["meetings"]
    }
    assert statuses == {conf.meeting_id: "inquorate", response.json()["meeting_id"]: "scheduled"}
