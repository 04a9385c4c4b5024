"""Closed means closed: an advocate offer or a meeting for a closed case is refused (409) with
the reason and nothing written (every command to her finished pathway says so, checked in one place:
api/commands.py); reopening is a command of its own, on her record, after which
the same commands are taken again. And an impossible date (a birth before her referral) is
refused naming the field, with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import SignIn
from tests.helpers.api import glenbrae_referral_body, make_referral, user_id
from tests.helpers.planning import count
from tests.helpers.planning_api import meeting_body, screen, summary
from waymark.db.models import AdvocacyOffer, Baby, Meeting

Sessions = async_sessionmaker[AsyncSession]


async def test_a_closed_case_refuses_offers_and_meetings_until_it_is_reopened(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id, "no_further_action")
    assert (await summary(sam, woman_id))["stage"] == "closed"

    offer = await sam.post(f"/api/v1/women/{woman_id}/advocacy/offer", json={"trigger": "referral"})
    assert offer.status_code == 409
    assert "her case is closed" in offer.json()["detail"]
    assert "advocate" in offer.json()["detail"]
    meeting = await sam.post(
        f"/api/v1/women/{woman_id}/meetings", json=meeting_body(now, 10, kind="planning_meeting")
    )
    assert meeting.status_code == 409
    assert "no meeting" in meeting.json()["detail"]
    assert await count(sessions, AdvocacyOffer) == 0
    assert await count(sessions, Meeting) == 0

    reopened = await sam.post(
        f"/api/v1/women/{woman_id}/reopen", json={"reason": "New concerns from her midwife"}
    )
    assert reopened.status_code == 200, reopened.text
    assert reopened.json() == {"stage": "screening"}
    her = await summary(sam, woman_id)
    assert her["stage"] == "screening"
    assert any("reopened: New concerns" in e["summary"] for e in her["timeline"])
    again = await sam.post(f"/api/v1/women/{woman_id}/reopen", json={"reason": "Twice"})
    assert again.status_code == 409

    offer = await sam.post(f"/api/v1/women/{woman_id}/advocacy/offer", json={"trigger": "referral"})
    assert offer.status_code == 201, offer.text
    await screen(sam, woman_id, "pre_birth_assessment")
    assert (await summary(sam, woman_id))["stage"] == "pre_birth_assessment"


async def test_a_birth_before_her_referral_is_refused_naming_the_field(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    mia = await sign_in("mia.midwife")
    body = {
        "born_at": (now - timedelta(days=3)).isoformat(),
        "gestation_weeks": 38,
        "babies": [{"location": "with_mother"}],
    }
    response = await mia.post(f"/api/v1/women/{woman_id}/birth", json=body)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("born_at: the birth cannot be before her referral")
    assert await count(sessions, Baby) == 0
    assert (await summary(mia, woman_id))["stage"] == "screening"


async def test_every_command_for_her_closed_case_is_refused_saying_why(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id, "no_further_action")
    base = f"/api/v1/women/{woman_id}"
    today = now.date().isoformat()
    commands = [
        ("screening", {"decision": "pre_birth_assessment", "reason": "x"}, "no screening"),
        ("strategy-discussion", {"held_on": today, "outcome": "conference"}, "no strategy"),
        ("assessment", {"completed_on": today}, "no pre-birth assessment"),
        ("edd", {"edd": (now + timedelta(days=90)).date().isoformat(), "reason": "Scan"}, "date"),
        (
            "coordinator",
            {"user_id": str(await user_id(sessions, "sam.social"))},
            "no care co-ordinator",
        ),
        ("close-case", {"reason": "Again"}, "cannot be closed again"),
    ]
    before = await summary(sam, woman_id)
    for path, body, words in commands:
        response = await sam.post(f"{base}/{path}", json=body)
        assert response.status_code == 409, (path, response.text)
        detail = response.json()["detail"]
        assert detail.startswith("her case is closed, so "), (path, detail)
        assert words in detail, (path, detail)
        assert "reopen her case first" in detail
    birth = {
        "born_at": datetime.now(UTC).isoformat(),  # after her referral, not in the future
        "gestation_weeks": 38,
        "babies": [{"location": "with_mother"}],
    }
    response = await (await sign_in("mia.midwife")).post(f"{base}/birth", json=birth)
    assert response.status_code == 409, response.text
    assert "the birth cannot be recorded" in response.json()["detail"]
    after = await summary(sam, woman_id)
    assert (after["stage"], after["edd"], after["timeline"]) == (
        before["stage"],
        before["edd"],
        before["timeline"],
    )
    assert await count(sessions, Baby) == 0


async def test_a_closed_scottish_case_is_refused_in_scotlands_words(
    sign_in: SignIn, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("ewan.midwife"), glenbrae_referral_body())
    iona = await sign_in("iona.social")
    await screen(iona, woman_id, "no_further_action")
    response = await iona.post(
        f"/api/v1/women/{woman_id}/strategy-discussion",
        json={"held_on": now.date().isoformat(), "outcome": "conference"},
    )
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == (
        "her case is closed, so no Inter-agency Referral Discussion (IRD) can be recorded: "
        "if she needs this now, reopen her case first"
    )
    assert "strategy discussion" not in response.json()["detail"]
