"""A bounded mixed load through several web processes: referrals (each sent twice, once to each
of two web processes, with one Idempotency-Key), screening decisions and reads."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from tests.helpers.referrals import referral_body
from waymark.demo import DEMO_PASSWORD

CONCURRENCY = 6
DECISIONS = ("early_help", "no_further_action")
# Answers that mean "not confirmed yet, may still happen": the command is sent again.
NOT_YET = {202, 503}


def family_name(number: int) -> str:
    """A name no log, metric or span may ever show."""
    return f"Scaleout-Quintrell-{number:03d}"


@dataclass
class Referred:
    number: int
    key: str
    woman_id: str


async def signed_in(url: str, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=url, timeout=30)
    token = await client.post(
        "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
    )
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return client


async def refer_all(
    referrers: list[httpx.AsyncClient], count: int, half_way: Callable[[], None]
) -> list[Referred]:
    """`count` referrals, each sent to two web processes at once; `half_way` runs when half of
    them have been answered."""
    limit = asyncio.Semaphore(CONCURRENCY)
    answered = 0

    async def one(number: int) -> Referred:
        nonlocal answered
        key = f"scale-out-{number}"
        body = referral_body()
        body["woman"] = {**body["woman"], "family_name": family_name(number)}
        async with limit:
            first, second = referrers[number % 2], referrers[(number + 1) % 2]
            ids = await asyncio.gather(_refer(first, body, key), _refer(second, body, key))
        assert ids[0] == ids[1], f"one key, two women: {ids}"
        answered += 1
        if answered == count // 2:
            half_way()
        return Referred(number, key, ids[0])

    return list(await asyncio.gather(*(one(n) for n in range(count))))


async def _refer(client: httpx.AsyncClient, body: dict[str, object], key: str) -> str:
    for _ in range(6):
        response = await client.post(
            "/api/v1/referrals", json=body, headers={"Idempotency-Key": key}
        )
        assert response.status_code in {201, *NOT_YET}, response.text
        if response.status_code == 201:
            return str(response.json()["woman_id"])
        await asyncio.sleep(1)
    raise AssertionError(f"referral {key} was never confirmed")


async def screen_and_read(screeners: list[httpx.AsyncClient], referred: list[Referred]) -> None:
    """A screening decision for each (sent again while unconfirmed), and reads of her record."""
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(item: Referred) -> None:
        client = screeners[item.number % 2]
        body = {"decision": DECISIONS[item.number % 2], "reason": "Screened in the load test"}
        async with limit:
            for attempt in range(6):
                response = await client.post(f"/api/v1/women/{item.woman_id}/screening", json=body)
                done = response.status_code == 200
                # Sent again after an unconfirmed try: "already decided" means the first landed.
                landed_before = attempt > 0 and response.status_code == 409
                if done or landed_before:
                    break
                assert response.status_code in NOT_YET, response.text
                await asyncio.sleep(1)
            else:
                raise AssertionError(f"screening of {item.woman_id} was never confirmed")
            seen = await screeners[(item.number + 1) % 2].get(f"/api/v1/women/{item.woman_id}")
            assert seen.status_code == 200, seen.text

    await asyncio.gather(*(one(item) for item in referred))
