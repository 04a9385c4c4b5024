"""Driving a woman's pre-birth planning and conference through the API, for API tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from rules.uktime import uk_date
from tests.helpers.api import glenbrae_referral_body, make_referral
from tests.helpers.planning import eventually, meeting_at

SignIn = Callable[[str], Awaitable[httpx.AsyncClient]]

ENGLAND_QUORATE = ["children_social_care", "maternity", "drug_treatment"]
SCOTLAND_QUORATE = ["children_social_care", "maternity", "police"]
# What the summary calls each deadline (DeadlineSummary carries its label, not its key).
CONFERENCE_DUE = "Pre-birth conference held"
# How far ahead scheduled_conference() sets the meeting.
MEETING_IN_DAYS = 8


async def summary(client: httpx.AsyncClient, woman_id: str) -> dict[str, Any]:
    """Her record as the signed-in person sees it."""
    response = await client.get(f"/api/v1/women/{woman_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def screen(
    social_worker: httpx.AsyncClient, woman_id: str, decision: str = "strategy_discussion"
) -> None:
    response = await social_worker.post(
        f"/api/v1/women/{woman_id}/screening",
        json={"decision": decision, "reason": "Significant concerns about her baby"},
    )
    assert response.status_code == 200, response.text


async def strategy_discussion(
    social_worker: httpx.AsyncClient,
    woman_id: str,
    held_on: date,
    outcome: str = "conference",
    **extra: Any,
) -> httpx.Response:
    body = {"held_on": held_on.isoformat(), "outcome": outcome, **extra}
    return await social_worker.post(f"/api/v1/women/{woman_id}/strategy-discussion", json=body)


async def conference(
    client: httpx.AsyncClient,
    woman_id: str,
    phase: str = "to_schedule",
    conference_id: str | None = None,
) -> dict[str, Any]:
    """Her conference (by default her latest), once its record shows `phase`.

    A conference is a child workflow that writes its own row just after the command that
    started or changed it has returned, so the record is polled until it catches up."""
    found: dict[str, Any] = {}

    async def shown() -> bool:
        conferences = (await summary(client, woman_id))["conferences"]
        if conference_id is not None:
            conferences = [c for c in conferences if c["id"] == conference_id]
        if conferences and conferences[-1]["phase"] == phase:
            found.update(conferences[-1])
            return True
        return False

    await eventually(shown)
    return found


async def to_conference(social_worker: httpx.AsyncClient, woman_id: str, held_on: date) -> str:
    """Screen for a strategy discussion, record one that decides to confer; the conference id."""
    await screen(social_worker, woman_id)
    response = await strategy_discussion(social_worker, woman_id, held_on)
    assert response.status_code == 200, response.text
    return str((await conference(social_worker, woman_id))["id"])


def meeting_body(
    now: datetime,
    days: int,
    *,
    kind: str = "conference",
    hour: int = 10,
    any_day: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """A JSON body for a meeting on the first open day `days` or more UK days after now (exactly
    `days` with any_day), at a private, accessible venue."""
    details = meeting_at(now, days, hour, any_day=any_day).model_dump(mode="json")
    details.update(extra.pop("details", {}))
    return {"kind": kind, "details": details, **extra}


def deadline_called(woman: dict[str, Any], label: str) -> dict[str, Any]:
    """The one deadline in her summary with this label."""
    [found] = [d for d in woman["deadlines"] if d["label"] == label]
    return found


def refused(response: httpx.Response, status: int, *words: str) -> None:
    """The response is a refusal with this status whose message says each of `words`."""
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, (word, detail)


@dataclass(frozen=True)
class Scheduled:
    """A woman whose conference has a meeting date, and her team's social worker (the chair)."""

    chair: httpx.AsyncClient
    woman_id: str
    conference_id: str
    meeting_id: str
    starts_at: datetime

    def url(self, command: str) -> str:
        return f"/api/v1/women/{self.woman_id}/conferences/{self.conference_id}/{command}"


async def scheduled_conference(
    sign_in: SignIn,
    now: datetime,
    *,
    scotland: bool = False,
    referral: dict[str, Any] | None = None,
) -> Scheduled:
    """Refer (Northmoor, or Glenbrae), confer, and schedule the meeting MEETING_IN_DAYS ahead."""
    if scotland:
        woman_id = await make_referral(await sign_in("ewan.midwife"), glenbrae_referral_body())
        chair = await sign_in("iona.social")
    else:
        woman_id = await make_referral(await sign_in("mia.midwife"), referral)
        chair = await sign_in("sam.social")
    conference_id = await to_conference(chair, woman_id, uk_date(now))
    body = meeting_body(now, MEETING_IN_DAYS)
    response = await chair.post(f"/api/v1/women/{woman_id}/meetings", json=body)
    assert response.status_code == 201, response.text
    await conference(chair, woman_id, "scheduled")
    starts_at = datetime.fromisoformat(body["details"]["starts_at"])
    return Scheduled(chair, woman_id, conference_id, response.json()["meeting_id"], starts_at)


async def after_the_meeting(clock_env: WorkflowEnvironment, scheduled: Scheduled) -> None:
    """Move virtual time on to the evening of the conference day."""
    evening = scheduled.starts_at + timedelta(hours=8)
    await clock_env.sleep(evening - await clock_env.get_current_time())


def outcome(agencies: list[str], **decision: Any) -> dict[str, Any]:
    """A body for the outcome: who attended (agency kinds), she did, and what was decided."""
    return {"attended_agencies": agencies, "woman_attended": True, **decision}


async def with_everything(
    sam: httpx.AsyncClient, woman_id: str, now: datetime, env: WorkflowEnvironment
) -> None:
    """A record with a running duty (her assessment), a meeting, her baby placed in care (so a
    support episode and an advocate's allocation run)."""
    await screen(sam, woman_id, "pre_birth_assessment")
    met = await sam.post(
        f"/api/v1/women/{woman_id}/meetings", json=meeting_body(now, 10, kind="planning_meeting")
    )
    assert met.status_code == 201, met.text
    await env.sleep(timedelta(hours=2))  # born after her referral, before the workflows' now
    born_at = (now + timedelta(hours=1)).isoformat()
    birth = {"born_at": born_at, "gestation_weeks": 39, "babies": [{}]}
    babies = await sam.post(f"/api/v1/women/{woman_id}/birth", json=birth)
    assert babies.status_code == 201, babies.text
    baby = babies.json()[0]["baby_id"]
    placed = await sam.post(
        f"/api/v1/women/{woman_id}/babies/{baby}/placement",
        json={"placement": "care", "legal_basis": "police_protection", "reason": "Protection"},
    )
    assert placed.status_code == 200, placed.text
