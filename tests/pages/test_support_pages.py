"""Her own support episode as pages: what it shows, and contacts, plan answers and closing
sent as the API's own Updates; bad input and refusals come back on the form, changing nothing."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from temporalio.testing import WorkflowEnvironment

from rules.uktime import uk_date
from tests.api.conftest import SignIn
from tests.helpers.clock import skip
from tests.helpers.planning import eventually
from tests.pages.conftest import Browse
from tests.pages.flows import command
from tests.pages.html import Doc
from tests.pages.support_flows import removed


def support(woman_id: str) -> str:
    return f"/women/{woman_id}/support"


async def test_her_support_page_shows_her_episode_and_records_a_contact(
    browse: Browse, sign_in: SignIn, now: datetime
) -> None:
    woman_id = await removed(browse, now)
    sam = await browse("sam.social")  # placed her baby in care: so not her named worker
    her = await sam.page(f"/women/{woman_id}")
    assert her.by_testid("support-link")[0].attrs["href"] == support(woman_id)
    page = await sam.page(support(woman_id))
    assert page.by_testid("support-state")[0].attrs["data-status"] == "active"
    assert page.texts("named-worker") == ["Ola Adeyemi"]
    assert page.texts("heightened-risk")[0].startswith("Until ")
    assert page.texts("last-contact") == ["No contact recorded yet"]
    plan = page.by_testid("plan-row")
    assert len(plan) == 7
    assert {row.attrs["data-answered"] for row in plan} == {"no"}
    assert page.texts("no-open-work") == ["None open."]
    assert not page.by_testid("action-close")  # only a safeguarding lead closes it
    assert page.by_testid("closing-rule")
    # Outside her care: nothing (a 404, as for a record that does not exist); wrong role: 403.
    for username in ("iona.social", "fiona.lead"):
        outsider = await browse(username)
        for path in ("", "/contacts/new", "/plan", "/close"):
            assert (await outsider.get(support(woman_id) + path)).status_code == 404
    assert (await (await browse("ava.advocate")).get(support(woman_id))).status_code == 403

    path = f"{support(woman_id)}/contacts/new"
    form = (await sam.page(path)).form(path)
    assert form.values()["csrf_token"]
    assert form.values()["on"] == uk_date(now).isoformat()
    response = await sam.submit(path, {})  # how the contact happened is not said
    assert response.status_code == 422
    doc = Doc(response.text)
    assert doc.texts("error-summary") == ["There is a problem Say how you were in contact with her"]
    assert doc.texts("error-kind") == ["Error: Say how you were in contact with her"]
    tomorrow = (uk_date(now) + timedelta(days=1)).isoformat()
    response = await sam.submit(path, {"on": tomorrow, "kind": "phone"})
    assert response.status_code == 409
    assert Doc(response.text).texts("error-on") == ["Error: The contact date is in the future"]
    unchanged = await sam.page(support(woman_id))
    assert unchanged.texts("last-contact") == ["No contact recorded yet"]
    assert not unchanged.by_testid("contact-row")

    note = "We talked about her housing. She will call on Friday."
    page = await command(sam, path, {"kind": "phone", "note": note})
    assert page.texts("notification")[0].startswith("The contact is recorded")
    [last] = page.texts("last-contact")
    assert last == f"{uk_date(now).day} {uk_date(now):%B %Y}"
    assert "Contact with her (phone)" in page.texts("contact-row")[0]
    assert page.texts("contact-note") == [note]
    # The safeguarding lead reads it too; an advocate cannot open her support page at all.
    lead = await (await browse("lee.lead")).page(support(woman_id))
    assert lead.texts("contact-note") == [note]
    api = await sign_in("sam.social")
    state = (await api.get(f"/api/v1/women/{woman_id}/support")).json()
    assert state["last_contact_on"] == uk_date(now).isoformat()


async def test_an_answer_to_a_referral_meets_its_clock_once_and_lapses_are_shown(
    browse: Browse, now: datetime, clock_env: WorkflowEnvironment
) -> None:
    woman_id = await removed(browse, now)
    sam = await browse("sam.social")
    page = await sam.page(support(woman_id))
    link = page.by_testid("answer-housing")[0].attrs["href"]
    path = f"{support(woman_id)}/plan"
    assert link == f"{path}?item=housing"
    form = (await sam.page(link)).form(path)
    assert form.values()["item"] == "housing"
    assert form.values()["csrf_token"]
    response = await sam.submit(link, {"outcome": "  "}, form_action=path)
    assert response.status_code == 422
    assert Doc(response.text).texts("error-outcome") == ["Error: Say what the answer was"]
    row = (await sam.page(support(woman_id))).by_testid("plan-row")
    assert {r.attrs["data-item"]: r.attrs["data-answered"] for r in row}["housing"] == "no"

    page = await command(sam, path, {"item": "housing", "outcome": "A flat is offered from Monday"})
    assert page.texts("notification") == ["The answer to the referral is recorded."]
    housing = next(r for r in page.by_testid("plan-row") if r.attrs["data-item"] == "housing")
    assert housing.attrs["data-answered"] == "yes"
    assert "A flat is offered from Monday" in " ".join(housing.text.split())
    # Answered once: it is no longer offered, and sending it again is refused on the form.
    doc = await sam.page(path)
    options = [e.attrs["value"] for e in doc.elements if e.attrs.get("name") == "item"]
    assert "housing" not in options
    assert len(options) == 6
    token = doc.form(path).values()["csrf_token"]
    again = await sam.client.post(
        path, data={"csrf_token": token, "item": "housing", "outcome": "Again"}
    )
    assert again.status_code == 409
    assert Doc(again.text).texts("error-item") == [
        "Error: This part of her plan is already recorded"
    ]
    # A week and more with no contact: outreach is open, and unanswered referrals are escalated.
    await skip(clock_env, timedelta(days=9))

    async def outreach_open() -> bool:
        page = await sam.page(support(woman_id))
        return bool(page.by_testid("open-work-row"))

    await eventually(outreach_open)
    page = await sam.page(support(woman_id))
    assert page.texts("missed-contacts") == ["1"]
    assert [r.attrs["data-kind"] for r in page.by_testid("open-work-row")] == ["assertive_outreach"]
    assert "did not happen: outreach started" in page.texts("contact-row")[0]
    lapsed = [r for r in page.texts("plan-row") if "Peer support" in r]
    assert "Overdue" in lapsed[0], lapsed
    assert "has been told" in lapsed[0], lapsed


async def test_only_a_safeguarding_lead_closes_her_support_with_a_reason_and_handover(
    browse: Browse, now: datetime
) -> None:
    woman_id = await removed(browse, now)
    path = f"{support(woman_id)}/close"
    closing = {"reason": "She has moved away", "handover_to": "Her GP in Leeds"}
    sam = await browse("sam.social")
    assert (await sam.page(path)).by_testid("closing-rule")
    response = await sam.submit(path, closing)
    assert response.status_code == 409
    assert Doc(response.text).texts("error-reason") == [
        "Error: Only a safeguarding lead can close her support episode"
    ]
    her = await sam.page(f"/women/{woman_id}")
    assert "support_close_refused" in [
        e.attrs["data-kind"] for e in her.by_testid("timeline-entry")
    ]

    lee = await browse("lee.lead")
    page = await lee.page(support(woman_id))
    assert page.by_testid("action-close")[0].attrs["href"] == path
    form_page = await lee.page(path)
    assert form_page.texts("minimum-period")[0].startswith("Her support runs at least until")
    # One date, worked out in one place: the same on her support page and the closing form.
    runs_until = page.texts("runs-until")[0].split(" (")[0]
    assert form_page.texts("minimum-period")[0] == (
        f"Her support runs at least until {runs_until}. To close it before then, give a second "
        "reason as well."
    )
    response = await lee.submit(path, {"reason": "She has moved away"})
    assert response.status_code == 422
    assert Doc(response.text).texts("error-summary") == [
        "There is a problem Enter who her support is handed over to"
    ]
    response = await lee.submit(path, closing)  # before the minimum period: a second reason
    assert response.status_code == 409
    [early] = Doc(response.text).texts("error-second_reason")
    assert "closing earlier needs a second reason" in early
    assert f"Her support runs at least until {runs_until};" in early  # the workflow's date too
    still = await lee.page(support(woman_id))
    assert still.by_testid("support-state")[0].attrs["data-status"] == "active"

    page = await command(lee, path, {**closing, "second_reason": "She asked for it to close"})
    assert page.texts("notification") == ["Her support is closed and handed over."]
    assert page.by_testid("support-state")[0].attrs["data-status"] == "closed"
    assert page.texts("close-reason") == ["She has moved away / She asked for it to close"]
    assert page.texts("handover") == ["Her GP in Leeds"]
    assert page.texts("closed")[0].endswith("by Lee Morgan")
    assert not page.by_testid("actions")


async def test_her_support_forms_need_their_token(browse: Browse) -> None:
    """Checked before anything else: no token (or a forged one) is the expired-form page."""
    sam = await browse("sam.social")
    for command_path in ("/contacts/new", "/plan", "/close"):
        path = support(str(uuid.uuid4())) + command_path
        for data in ({"reason": "x"}, {"csrf_token": "0" * 64, "reason": "x"}):
            response = await sam.client.post(path, data=data)
            assert response.status_code == 403, path
            assert Doc(response.text).texts("error-title") == ["This form has expired"]
