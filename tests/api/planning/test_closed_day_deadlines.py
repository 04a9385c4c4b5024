"""Dates a person can keep: a deadline due on a weekend or a holiday of her area is shown with
that fact and the last open day before it; one on an open day says nothing more."""

from __future__ import annotations

from datetime import date, timedelta

from tests.api.conftest import SignIn
from tests.helpers.api import make_referral
from tests.helpers.planning_api import CONFERENCE_DUE, deadline_called, screen, summary


async def test_a_deadline_extended_to_a_saturday_names_the_last_open_day(
    sign_in: SignIn,
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id, "pre_birth_assessment")
    due = deadline_called(await summary(sam, woman_id), CONFERENCE_DUE)
    first = date.fromisoformat(due["due"])
    saturday = first + timedelta(days=7 + (5 - first.weekday()) % 7)
    body = {"action": "extend", "reason": "Awaiting a report", "new_due": saturday.isoformat()}
    response = await sam.post(f"/api/v1/women/{woman_id}/deadlines/{due['id']}", json=body)
    assert response.status_code == 200, response.text

    shown = deadline_called(await summary(sam, woman_id), CONFERENCE_DUE)
    assert shown["closed_day"].startswith(f"Saturday {saturday.day} {saturday:%B %Y} is a")
    last = shown["closed_day"].split("the last open day before it is ")[1]
    assert last.split()[0] in ("Friday", "Thursday", "Wednesday")
    others = [d for d in (await summary(sam, woman_id))["deadlines"] if d["id"] != due["id"]]
    assert all(
        d["closed_day"] is None for d in others if date.fromisoformat(d["due"]).weekday() < 5
    )
