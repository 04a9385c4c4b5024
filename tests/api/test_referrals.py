"""Referral intake end to end: API → pathway workflow → activity → read model."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from forms.referral import ReferralForm, check_referral
from tests.api.conftest import SignIn
from tests.conftest import codec_for_tests
from tests.helpers.api import serve
from tests.helpers.ports import free_port
from tests.helpers.referrals import edd_in, referral_body
from waymark.db.models import Involvement, Referral, TimelineEvent, Woman, WomanIdentifier
from waymark.settings import Settings
from waymark.temporal.codec import make_data_converter


async def count(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_referral_starts_her_pathway_and_is_recorded(sign_in: SignIn) -> None:
    midwife = await sign_in("mia.midwife")
    created = await midwife.post("/api/v1/referrals", json=referral_body())
    assert created.status_code == 201, created.text
    receipt = created.json()
    assert receipt["stage"] == "screening"

    woman = await midwife.get(f"/api/v1/women/{receipt['woman_id']}")
    assert woman.status_code == 200, woman.text
    summary = woman.json()
    assert summary["given_name"] == "Jane"
    assert summary["stage"] == "screening"
    assert summary["team"] == "Northmoor Children's Social Care"
    assert [e["kind"] for e in summary["timeline"]] == ["referral_received"]
    assert summary["timeline"][0]["summary"] == "Referral received from Northmoor Maternity Service"
    assert {a["code"] for a in summary["agencies"]} == {"northmoor-maternity", "northmoor-csc"}


async def test_the_same_idempotency_key_returns_the_same_result_and_starts_nothing_new(
    sign_in: SignIn, sessions: async_sessionmaker[AsyncSession]
) -> None:
    midwife = await sign_in("mia.midwife")
    headers = {"Idempotency-Key": "referral-0001"}
    body = referral_body()
    responses = await asyncio.gather(
        *(midwife.post("/api/v1/referrals", json=body, headers=headers) for _ in range(5))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.text for r in responses}) == 1
    assert await count(sessions, Woman) == 1
    assert await count(sessions, Referral) == 1


async def test_a_reused_key_with_a_different_referral_is_refused(sign_in: SignIn) -> None:
    midwife = await sign_in("mia.midwife")
    headers = {"Idempotency-Key": "referral-0002"}
    first = await midwife.post("/api/v1/referrals", json=referral_body(), headers=headers)
    assert first.status_code == 201
    other = referral_body(pregnancy={"edd": edd_in(100)})
    second = await midwife.post("/api/v1/referrals", json=other, headers=headers)
    assert second.status_code == 422
    assert "Idempotency-Key" in second.json()["detail"]


async def test_bad_referrals_are_refused_naming_the_problem_and_record_nothing(
    sign_in: SignIn, sessions: async_sessionmaker[AsyncSession]
) -> None:
    midwife = await sign_in("mia.midwife")
    base = referral_body()
    woman_bad_nhs = {**base["woman"], "nhs_number": "9434765918"}
    woman_no_name = {k: v for k, v in base["woman"].items() if k != "family_name"}
    cases = [
        (referral_body(woman=woman_bad_nhs), "check digit"),
        (referral_body(woman=woman_no_name), "woman.family_name"),
        (referral_body(pregnancy={"edd": edd_in(-30)}), "more than 14 days ago"),
        (referral_body(area="atlantis"), "atlantis"),
        (referral_body(sharing={"consent": False}), "lawful basis"),
        (referral_body(referrer={"practitioner_name": "A", "organisation_code": "nope"}), "nope"),
    ]
    for body, expected in cases:
        response = await midwife.post("/api/v1/referrals", json=body)
        assert response.status_code == 422, (expected, response.text)
        assert expected in response.text, response.text
        assert "Jane" not in response.text  # values she gave are not echoed back
    assert await count(sessions, Woman) == 0
    assert await count(sessions, TimelineEvent) == 0


async def test_an_oversized_body_is_refused_before_parsing(sign_in: SignIn) -> None:
    midwife = await sign_in("mia.midwife")
    body = referral_body(concerns={"summary": "x" * 300_000})
    response = await midwife.post("/api/v1/referrals", json=body)
    assert response.status_code == 413
    assert "larger than the limit" in response.json()["detail"]


async def test_only_referring_roles_may_refer(sign_in: SignIn) -> None:
    advocate = await sign_in("ava.advocate")
    response = await advocate.post("/api/v1/referrals", json=referral_body())
    assert response.status_code == 403
    assert "advocate" in response.json()["detail"]


async def test_the_referring_agency_is_involved_in_her_care(
    sign_in: SignIn, sessions: async_sessionmaker[AsyncSession]
) -> None:
    social_worker = await sign_in("sam.social")
    body = referral_body(
        referrer={"practitioner_name": "Dev Patel", "organisation_code": "northmoor-recovery"}
    )
    created = await social_worker.post("/api/v1/referrals", json=body)
    assert created.status_code == 201, created.text
    assert await count(sessions, Involvement) == 2
    drug_service = await sign_in("dev.drugs")
    woman = await drug_service.get(f"/api/v1/women/{created.json()['woman_id']}")
    assert woman.status_code == 200


async def test_the_readmes_example_referral_is_accepted(sign_in: SignIn) -> None:
    example = json.loads((Path(__file__).parents[2] / "examples" / "referral.json").read_text())
    form = ReferralForm.model_validate(example)
    # As written, it is valid on the day it was written...
    assert check_referral(form, date(2026, 12, 6)) == []
    # ...and the API takes it as it is, once its due date is moved to stay in range.
    example["pregnancy"]["edd"] = edd_in(150)
    midwife = await sign_in("mia.midwife")
    created = await midwife.post(
        "/api/v1/referrals", json=example, headers={"Idempotency-Key": "readme-example"}
    )
    assert created.status_code == 201, created.text


@pytest.fixture(params=["refusing", "silent"])
def temporal_down(request: pytest.FixtureRequest) -> Iterator[str]:
    """Where no Temporal answers: a port that refuses connections, or one that takes them and
    never replies (the call times out, not knowing whether her pathway started)."""
    if request.param == "refusing":
        yield f"127.0.0.1:{free_port()}"
        return
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        yield f"127.0.0.1:{silent.getsockname()[1]}"


async def test_a_referral_while_temporal_is_unreachable_is_503_and_keeps_nothing(
    sign_in: SignIn,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    temporal_down: str,
) -> None:
    """Her pathway could not be started, so her new claim is released; the same referral sent
    again with the same key, once Temporal answers, makes one record."""
    midwife = await sign_in("mia.midwife")
    # A key of its own: her pathway's id comes from it, and the Temporal server is shared.
    headers = {"Idempotency-Key": f"referral-outage-{uuid.uuid4()}", **midwife.headers}
    body = referral_body()
    converter = make_data_converter(codec_for_tests())
    down = await Client.connect(temporal_down, lazy=True, data_converter=converter)
    quick = settings.model_copy(update={"command_timeout_seconds": 2.0})
    async with serve(create_app(quick, sessions=sessions, temporal=down)) as during:
        refused = await during.post("/api/v1/referrals", json=body, headers=headers)
    assert refused.status_code == 503, refused.text
    for model in (Woman, WomanIdentifier, Referral, TimelineEvent):
        assert await count(sessions, model) == 0, model
    again = await midwife.post("/api/v1/referrals", json=body, headers=headers)
    assert again.status_code == 201, again.text
    assert (await count(sessions, Woman), await count(sessions, Referral)) == (1, 1)


async def test_a_referral_no_worker_takes_in_time_is_202_and_keeps_her_claim(
    sign_in: SignIn,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    temporal_env: WorkflowEnvironment,
) -> None:
    """Temporal answers a start only with the Update's acceptance: her pathway is started
    but no worker has taken it, so the referral is received (202) and her claim is kept."""
    midwife = await sign_in("mia.midwife")
    unpolled = settings.model_copy(
        update={"command_timeout_seconds": 2.0, "temporal_task_queue": f"none-{uuid.uuid4()}"}
    )
    app = create_app(unpolled, sessions=sessions, temporal=temporal_env.client)
    async with serve(app) as slow:
        received = await slow.post(
            "/api/v1/referrals", json=referral_body(), headers=dict(midwife.headers)
        )
    assert received.status_code == 202, received.text
    assert received.json()["stage"] == "received"
    assert await count(sessions, WomanIdentifier) > 0
