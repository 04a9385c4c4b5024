"""A CHI number end to end: a Glenbrae referral with a CHI number that is not 10 digits, whose
check digit does not match, or that does not begin with her date of birth is refused (422
naming woman.chi_number) with nothing written; a good one is kept on her record and finds her."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.identifiers import mod11_valid
from tests.api.conftest import SignIn
from tests.helpers.api import glenbrae_referral_body, make_referral
from tests.helpers.planning import count
from waymark.db.models import Woman

Sessions = async_sessionmaker[AsyncSession]
BORN = "1995-01-01"  # her date of birth in glenbrae_referral_body


def chi_for(prefix: str, serial: int = 0) -> str:
    """A CHI number with this DDMMYY prefix and a check digit that matches."""
    for n in range(serial, 1000):
        for last in "0123456789":
            number = f"{prefix}{n:03d}{last}"
            if mod11_valid(number):
                return number
    raise AssertionError(prefix)


def with_chi(chi: str) -> dict[str, Any]:
    body = glenbrae_referral_body()
    body["woman"] = {**body["woman"], "date_of_birth": BORN, "chi_number": chi}
    return body


def wrong_check_digit(chi: str) -> str:
    return chi[:9] + str((int(chi[9]) + 1) % 10)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("01019512", "a CHI number has 10 digits"),
        (wrong_check_digit(chi_for("010195")), "the check digit does not match"),
        (chi_for("020195"), "does not begin with the date of birth"),
    ],
)
async def test_a_bad_chi_number_is_refused_naming_the_field(
    sign_in: SignIn, sessions: Sessions, typed: str, words: str
) -> None:
    ewan = await sign_in("ewan.midwife")
    response = await ewan.post("/api/v1/referrals", json=with_chi(typed))
    assert response.status_code == 422, response.text
    assert "woman.chi_number" in response.text
    assert words in response.text
    assert typed not in response.text  # what she gave is not echoed back
    assert await count(sessions, Woman) == 0


async def test_a_good_chi_number_is_kept_and_finds_her(sign_in: SignIn, sessions: Sessions) -> None:
    ewan = await sign_in("ewan.midwife")
    chi = chi_for("010195", serial=123)
    spaced = f"{chi[:6]}-{chi[6:]}"
    woman_id = await make_referral(ewan, with_chi(spaced))
    async with sessions() as session:
        kept = await session.scalar(select(Woman.chi_number).where(Woman.id == uuid.UUID(woman_id)))
    assert kept == chi
    iona = await sign_in("iona.social")
    found = await iona.post("/api/v1/search", json={"number": chi})
    assert found.status_code == 200, found.text
    assert [r["id"] for r in found.json()["results"]] == [woman_id]
