"""Transfers through the page: the receiving team sees where from, why and when (not her name),
declines only with a reason, and accepting opens her record to it."""

from __future__ import annotations

from tests.api.conftest import SignIn
from tests.helpers.api import make_referral
from tests.helpers.planning_api import screen, summary
from tests.pages.conftest import Browse
from tests.pages.html import Doc


async def test_the_receiving_team_answers_a_transfer_on_its_page(
    browse: Browse, sign_in: SignIn
) -> None:
    sam = await sign_in("sam.social")
    woman_id = await make_referral(await sign_in("mia.midwife"))
    await screen(sam, woman_id, "strategy_discussion")
    sam_page = await browse("sam.social")
    her_page = await sam_page.page(f"/women/{woman_id}")
    assert her_page.texts("action-transfer") == ["Transfer her record to another area"]
    form = f"/women/{woman_id}/transfer"
    unsaid = await sam_page.submit(form, {"to_area": "glenbrae", "reason": ""})
    assert unsaid.status_code == 422
    asked = await sam_page.submit(
        form, {"to_area": "glenbrae", "reason": "She has moved to Glenbrae"}
    )
    assert asked.status_code == 303, asked.text
    assert asked.headers["location"].startswith(f"/women/{woman_id}")
    [waiting] = (await (await sign_in("iona.social")).get("/api/v1/transfers")).json()
    transfer_id = waiting["id"]
    her = await summary(sam, woman_id)

    iona = await browse("iona.social")
    doc = await iona.page("/transfers")
    assert len(doc.texts("transfer")) == 1
    assert doc.texts("transfer-reason") == ["Why: She has moved to Glenbrae"]
    assert her["family_name"] not in " ".join(doc.texts("transfer"))
    action = f"/transfers/{transfer_id}"
    unanswered = await iona.submit(
        "/transfers", {"decision": "decline", "reason": ""}, form_action=action
    )
    assert unanswered.status_code == 422
    assert Doc(unanswered.text).texts("error-reason") == ["Error: Say why your team declines"]
    done = await iona.submit("/transfers", {"decision": "accept", "reason": ""}, form_action=action)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/women/{woman_id}"
    # Her record now opens to the receiving team (page() checks for a 200).
    await iona.page(done.headers["location"])
    assert (await iona.page("/transfers")).texts("no-transfers")


async def test_her_social_worker_withdraws_a_transfer_on_its_page(
    browse: Browse, sign_in: SignIn
) -> None:
    sam = await sign_in("sam.social")
    woman_id = await make_referral(await sign_in("mia.midwife"))
    await screen(sam, woman_id, "strategy_discussion")
    sam_page = await browse("sam.social")
    form = f"/women/{woman_id}/transfer"
    asked = await sam_page.submit(form, {"to_area": "glenbrae", "reason": "She has moved"})
    assert asked.status_code == 303, asked.text
    waiting = await sam_page.page(form)
    assert waiting.texts("action-withdraw-transfer") == ["Withdraw the transfer"]
    withdraw = f"{form}/withdraw"
    unsaid = await sam_page.submit(withdraw, {"reason": ""})
    assert unsaid.status_code == 422
    assert Doc(unsaid.text).texts("error-reason")
    done = await sam_page.submit(withdraw, {"reason": "She is staying after all"})
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/women/{woman_id}?done=transfer_withdrawn"
    assert not (await sam_page.page(form)).texts("transfer-waiting")
    assert (await (await browse("iona.social")).page("/transfers")).texts("no-transfers")
